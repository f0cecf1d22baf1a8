// POST /review/{token}: the decision from the confirmation page's form. The link says what it
// decides on: one filing (the city's decision, or the province's on an escalated filing) or a
// province batch.
import { httpHandler } from '#shared/http/handler.ts';
import { decideBatch, decideFiling, findReviewLink } from '#shared/use-cases/workflow/review.ts';
import { batchDecisionPage, filingDecisionPage, refusalPage } from '#shared/views/review-pages.ts';
import { reviewServices } from '#shared/wiring/review-services.ts';

export const handler = httpHandler({ html: true, form: true }, async (req) => {
  const deps = reviewServices();
  const token = req.pathParameters.token ?? '';
  const form = req.body ?? new URLSearchParams();
  const found = await findReviewLink(deps, token);
  const result =
    found.kind === 'filing_link'
      ? filingDecisionPage(await decideFiling(deps, token, found.link, form))
      : found.kind === 'batch_link'
        ? batchDecisionPage(await decideBatch(deps, token, found.link, form))
        : refusalPage(found);
  return { statusCode: result.status, html: result.html, headers: { 'cache-control': 'no-store' } };
});
