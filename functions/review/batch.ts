// POST /review/{token}/batch: city staff send their unit's approved filings to the province now.
import { httpHandler } from '#shared/http/handler.ts';
import { sendBatchFromLink } from '#shared/use-cases/workflow/review.ts';
import { batchSentPage } from '#shared/views/review-pages.ts';
import { workflowServices } from '#shared/wiring/workflow-services.ts';

export const handler = httpHandler({ html: true, form: true }, async (req) => {
  const result = batchSentPage(
    await sendBatchFromLink(workflowServices().deps, req.pathParameters.token ?? ''),
  );
  return { statusCode: result.status, html: result.html, headers: { 'cache-control': 'no-store' } };
});
