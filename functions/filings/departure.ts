// POST /filings/{filingId}/departure { kind: left_post | consent_withdrawn, … }: the enterprise,
// with the receipt, reports that a pool member left the post, or the person withdraws consent.

import { httpHandler } from '#shared/http/handler.ts';
import { DepartureRequestSchema, reportDeparture } from '#shared/use-cases/pool-departure.ts';
import { receiptFrom } from '#shared/use-cases/receipt.ts';
import { departureServices } from '#shared/wiring/departure-services.ts';

export const handler = httpHandler({ body: DepartureRequestSchema }, async (req) => ({
  statusCode: 200,
  body: await reportDeparture(departureServices(), {
    filingId: req.pathParameters.filingId ?? '',
    receipt: receiptFrom(req.headers, req.query),
    request: req.body,
  }),
  headers: { 'cache-control': 'no-store' },
}));
