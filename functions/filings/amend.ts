// PUT /filings/{filingId}: the amended filing, while changes are requested.
import { attachmentStore } from '#shared/adapters/attachment-store.ts';
import { FilingInputSchema } from '#shared/domain/filing.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { amendFiling } from '#shared/use-cases/amend-filing.ts';
import { receiptFrom } from '#shared/use-cases/receipt.ts';
import { filingWriteServices } from '#shared/wiring/filing-write-services.ts';
import { trainingStore } from '#shared/wiring/training-services.ts';

export const handler = httpHandler({ body: FilingInputSchema }, async (req) => ({
  statusCode: 200,
  body: await amendFiling(
    { ...filingWriteServices(), attachments: attachmentStore(), training: trainingStore() },
    {
      filingId: req.pathParameters.filingId ?? '',
      receipt: receiptFrom(req.headers, req.query),
      filing: req.body,
    },
  ),
  headers: { 'cache-control': 'no-store' },
}));
