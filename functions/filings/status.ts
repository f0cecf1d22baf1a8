// GET /filings/{filingId}: status for the holder of the receipt token (else 404).

import { httpHandler } from '#shared/http/handler.ts';
import { filingStatus } from '#shared/use-cases/filing-status.ts';
import { receiptFrom } from '#shared/use-cases/receipt.ts';
import { filingServices } from '#shared/wiring/filing-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await filingStatus(filingServices(), {
    filingId: req.pathParameters.filingId ?? '',
    receipt: receiptFrom(req.headers, req.query),
  }),
  headers: { 'cache-control': 'no-store' },
}));
