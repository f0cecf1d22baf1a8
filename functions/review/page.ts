// GET /review/{token}: the reviewer's confirmation page. It never changes state.
import { reviewServices } from '#shared/adapters/review-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { reviewPage } from '#shared/use-cases/workflow/review.ts';

export const handler = httpHandler({ html: true }, async (req) => {
  const result = await reviewPage(reviewServices(), req.pathParameters.token ?? '');
  return {
    statusCode: result.status,
    html: result.html,
    headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  };
});
