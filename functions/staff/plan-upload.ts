// POST /staff/programs/{programId}/plans/{year}/upload?fileName=… (body: the filled XLSX
// template): the year's plans replaced by the file's, as the PUT would; a bad cell refuses the
// file, naming every one.

import { httpHandler } from '#shared/http/handler.ts';
import { uploadYearPlan } from '#shared/use-cases/plans/yearly-plan-sheets.ts';
import { planServices } from '#shared/wiring/plan-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const handler = httpHandler(
  { file: { contentTypes: [XLSX, 'application/octet-stream'], maxBytes: 1024 * 1024 } },
  async (req) => ({
    statusCode: 200,
    body: await uploadYearPlan(planServices(), staffPrincipal(req.claims), {
      programId: req.pathParameters.programId ?? '',
      year: req.pathParameters.year ?? '',
      ...(req.query.fileName ? { fileName: req.query.fileName } : {}),
      workbook: req.body as unknown as Buffer,
    }),
    headers: { 'cache-control': 'no-store' },
  }),
);
