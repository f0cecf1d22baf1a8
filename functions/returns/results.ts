// GET /staff/programs/{programId}/returns/{year}: the year's returns per unit (province and
// auditors every unit, city staff their own): enterprises that answered and those for
// follow-up, the removals and the nominees (masked names).

import { httpHandler } from '#shared/http/handler.ts';
import { returnResults } from '#shared/use-cases/returns/start.ts';
import { returnStartServices } from '#shared/wiring/return-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

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
