// GET /staff/filings/{filingId}/audit[?format=csv]: a filing's transitions and accesses.

import { httpHandler } from '#shared/http/handler.ts';
import { auditCsv, filingAudit } from '#shared/use-cases/staff/staff-filings.ts';
import { staffPrincipal, staffServices } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => {
  const filingId = req.pathParameters.filingId ?? '';
  const lines = await filingAudit(staffServices(), staffPrincipal(req.claims), filingId);
  if (req.query.format === 'csv') {
    return {
      statusCode: 200,
      file: {
        contentType: 'text/csv; charset=utf-8',
        filename: `audit-${filingId}.csv`,
        data: auditCsv(lines),
      },
    };
  }
  return { statusCode: 200, body: { filingId, lines }, headers: { 'cache-control': 'no-store' } };
});
