// POST /assessment/{token}: one page's grades, from the page's form.
import { assessmentGradingServices } from '#shared/adapters/assessment-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { gradePage } from '#shared/use-cases/assessment/grading.ts';

export const handler = httpHandler({ html: true, form: true }, async (req) => {
  const result = await gradePage(
    assessmentGradingServices(),
    req.pathParameters.token ?? '',
    req.body ?? new URLSearchParams(),
  );
  return {
    statusCode: result.status,
    html: result.html,
    headers: { 'cache-control': 'no-store' },
  };
});
