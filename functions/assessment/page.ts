// GET /assessment/{token}[?page=n]: one page of the unit's batch to grade. It never changes state.
import { assessmentGradingServices } from '#shared/adapters/assessment-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { gradingPage } from '#shared/use-cases/assessment/grading.ts';

export const handler = httpHandler({ html: true }, async (req) => {
  const result = await gradingPage(
    assessmentGradingServices(),
    req.pathParameters.token ?? '',
    req.query.page,
  );
  return {
    statusCode: result.status,
    html: result.html,
    headers: { 'cache-control': 'no-store' },
  };
});
