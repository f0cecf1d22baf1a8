// GET /review/{token}: the reviewer's confirmation page. It never changes state. The token is
// in the URL: the chain's security headers send `Referrer-Policy: no-referrer` on every answer,
// so it never leaves in a Referer (setting it here again sent the header twice).
import { httpHandler } from '#shared/http/handler.ts';
import { openReview } from '#shared/use-cases/workflow/review.ts';
import { reviewPage } from '#shared/views/review-pages.ts';
import { reviewServices } from '#shared/wiring/review-services.ts';

export const handler = httpHandler({ html: true }, async (req) => {
  const result = reviewPage(await openReview(reviewServices(), req.pathParameters.token ?? ''));
  return {
    statusCode: result.status,
    html: result.html,
    headers: { 'cache-control': 'no-store' },
  };
});
