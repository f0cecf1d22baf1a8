// POST /staff/programs/{programId}/assessments/{year}: province staff start the year's
// annual assessment. 202 whatever happened before: one execution per programme and year, so a
// repeat changes nothing and its body says `already_started` (or `closed`).
import { assessmentStartServices } from '#shared/adapters/assessment-services.ts';
import { staffPrincipal } from '#shared/adapters/staff-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { startAssessment } from '#shared/use-cases/assessment/start.ts';

export const handler = httpHandler({}, async (req) => {
  const answer = await startAssessment(
    assessmentStartServices(),
    staffPrincipal(req.claims),
    req.pathParameters.programId ?? '',
    req.pathParameters.year ?? '',
  );
  return { statusCode: 202, body: answer, headers: { 'cache-control': 'no-store' } };
});
