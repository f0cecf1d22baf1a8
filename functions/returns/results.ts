// GET /staff/programs/{programId}/returns/{year}: the year's returns per unit (province and
// auditors every unit, city staff their own): enterprises that answered and those for
// follow-up, the removals and the nominees (masked names).
import { returnStartServices } from '#shared/adapters/return-services.ts';
import { staffPrincipal } from '#shared/adapters/staff-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { returnResults } from '#shared/use-cases/returns/start.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await returnResults(
    returnStartServices(),
    staffPrincipal(req.claims),
    req.pathParameters.programId ?? '',
    req.pathParameters.year ?? '',
  ),
  headers: { 'cache-control': 'no-store' },
}));
