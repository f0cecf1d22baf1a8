// POST /review/{token}: the decision from the confirmation page's form.

import { httpHandler } from '#shared/http/handler.ts';
import { decideReview } from '#shared/use-cases/workflow/review.ts';
import { reviewServices } from '#shared/wiring/review-services.ts';

export const handler = httpHandler({ html: true, form: true }, async (req) => {
  const result = await decideReview(
    reviewServices(),
    req.pathParameters.token ?? '',
    req.body ?? new URLSearchParams(),
  );
  return { statusCode: result.status, html: result.html, headers: { 'cache-control': 'no-store' } };
});
