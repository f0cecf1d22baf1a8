// POST /staff/programs/{programId}/imports?fileName=… (body: the XLSX file): import existing
// pool members, up to 500 rows per request; the row-level report as the answer.

import { httpHandler } from '#shared/http/handler.ts';
import { IMPORT_MAX_BYTES, importForStaff } from '#shared/use-cases/staff/staff-import.ts';
import { staffImportServices } from '#shared/wiring/staff-import-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const handler = httpHandler(
  { file: { contentTypes: [XLSX, 'application/octet-stream'], maxBytes: IMPORT_MAX_BYTES } },
  async (req) => {
    const report = await importForStaff(staffImportServices(), staffPrincipal(req.claims), {
      programId: req.pathParameters.programId ?? '',
      ...(req.query.fileName ? { fileName: req.query.fileName } : {}),
      workbook: req.body as unknown as Buffer,
    });
    return { statusCode: 200, body: report, headers: { 'cache-control': 'no-store' } };
  },
);
