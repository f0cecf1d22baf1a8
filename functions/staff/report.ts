// GET /staff/programs/{programId}/report?asOf=YYYY-MM-DD&format=json|csv|html: the
// target-progress report now (stored in the report bucket; not mailed).

import { ValidationError } from '#shared/domain/errors.ts';
import { type HttpResult, httpHandler } from '#shared/http/handler.ts';
import { reportForStaff } from '#shared/use-cases/report-delivery.ts';
import { reportFilename, toCsv } from '#shared/use-cases/reports/render-csv.ts';
import { toHtml } from '#shared/use-cases/reports/render-html.ts';
import { reportServices } from '#shared/wiring/report-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req): Promise<HttpResult> => {
  const format = req.query.format ?? 'json';
  if (!['json', 'csv', 'html'].includes(format)) {
    throw new ValidationError([
      {
        path: 'format',
        code: 'invalid_query',
        message: { zh: '格式为 json、csv 或 html', en: 'format is json, csv or html' },
      },
    ]);
  }
  const { report } = await reportForStaff(reportServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    ...(req.query.asOf ? { asOf: req.query.asOf } : {}),
    mail: false,
  });
  if (format === 'csv') {
    return {
      statusCode: 200,
      file: {
        contentType: 'text/csv; charset=utf-8',
        filename: reportFilename(report, 'csv'),
        data: toCsv(report),
      },
    };
  }
  // The chain sends the page policy as the answer's one CSP header; no second one in a meta.
  if (format === 'html') return { statusCode: 200, html: await toHtml(report, { metaPolicy: false }) };
  return { statusCode: 200, body: report, headers: { 'cache-control': 'no-store' } };
});
