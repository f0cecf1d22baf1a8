// GET /staff/programs/{programId}/assessments/{year}: the year's results per unit and for the
// programme (province and auditors), the outstanding list with masked names.
import { assessmentStartServices } from '#shared/adapters/assessment-services.ts';
import { staffPrincipal } from '#shared/adapters/staff-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { assessmentResults } from '#shared/use-cases/assessment/start.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await assessmentResults(
    assessmentStartServices(),
    staffPrincipal(req.claims),
    req.pathParameters.programId ?? '',
    req.pathParameters.year ?? '',
  ),
  headers: { 'cache-control': 'no-store' },
}));
