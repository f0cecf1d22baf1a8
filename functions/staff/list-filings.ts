// GET /staff/programs/{programId}/filings?unit&status&role&from&to&limit&cursor&creditCode&name:
// filings of the caller's unit(s), masked, one page; with creditCode or name, those whose
// enterprise's code or name starts so.

import { httpHandler } from '#shared/http/handler.ts';
import { listFilings } from '#shared/use-cases/staff/staff-filings.ts';
import { staffPrincipal, staffServices } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await listFilings(staffServices(), staffPrincipal(req.claims), {
    ...req.query,
    programId: req.pathParameters.programId ?? '',
  }),
  headers: { 'cache-control': 'no-store' },
}));
