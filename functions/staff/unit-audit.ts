// GET /staff/programs/{programId}/units/{unit}/audit[?format=csv&cursor&limit]: a unit's
// audit log, one page of its filings' transitions, and who saw or took its personal data.

import { type HttpResult, httpHandler } from '#shared/http/handler.ts';
import { auditCsv, unitAudit } from '#shared/use-cases/staff/staff-filings.ts';
import { staffPrincipal, staffServices } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req): Promise<HttpResult> => {
  const programId = req.pathParameters.programId ?? '';
  const unit = req.pathParameters.unit ?? '';
  const page = await unitAudit(staffServices(), staffPrincipal(req.claims), {
    programId,
    unit,
    // An empty cursor is passed on too: it is refused (422), not read as the first page.
    ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
    ...(req.query.limit ? { limit: req.query.limit } : {}),
  });
  if (req.query.format === 'csv') {
    return {
      statusCode: 200,
      file: {
        contentType: 'text/csv; charset=utf-8',
        filename: `audit-${programId}-${unit}.csv`,
        data: auditCsv(page.lines),
      },
      ...(page.next ? { headers: { 'x-next-cursor': page.next } } : {}),
    };
  }
  return { statusCode: 200, body: page, headers: { 'cache-control': 'no-store' } };
});
