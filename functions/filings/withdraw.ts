// POST /filings/{filingId}/withdraw: withdraw a filing that is not final.
import { attachmentStore } from '#shared/adapters/attachment-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { receiptFrom } from '#shared/use-cases/receipt.ts';
import { withdrawFiling } from '#shared/use-cases/withdraw-filing.ts';
import { filingServices } from '#shared/wiring/filing-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await withdrawFiling(
    { ...filingServices(), attachments: attachmentStore() },
    {
      filingId: req.pathParameters.filingId ?? '',
      receipt: receiptFrom(req.headers, req.query),
    },
  ),
  headers: { 'cache-control': 'no-store' },
}));
