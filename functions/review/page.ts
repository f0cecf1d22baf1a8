// GET /review/{token}: the reviewer's confirmation page. It never changes state.
import { workflowServices } from '#shared/adapters/workflow-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { reviewPage } from '#shared/use-cases/workflow/review.ts';

export const handler = httpHandler({ html: true }, async (req) => {
  const result = await reviewPage(workflowServices().deps, req.pathParameters.token ?? '');
  return {
    statusCode: result.status,
    html: result.html,
    headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  };
});
