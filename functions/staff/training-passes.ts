// POST /staff/programs/{programId}/training/batches/{batchId}/passes?fileName=… (body: the XLSX
// pass list): up to 2,000 people per request; the row-level report as the answer.

import { httpHandler } from '#shared/http/handler.ts';
import { PASS_LIST_MAX_BYTES, uploadPassList } from '#shared/use-cases/training/pass-list-upload.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';
import { trainingServices } from '#shared/wiring/training-services.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const handler = httpHandler(
  { file: { contentTypes: [XLSX, 'application/octet-stream'], maxBytes: PASS_LIST_MAX_BYTES } },
  async (req) => ({
    statusCode: 200,
    body: await uploadPassList(trainingServices(), staffPrincipal(req.claims), {
      programId: req.pathParameters.programId ?? '',
      batchId: req.pathParameters.batchId ?? '',
      ...(req.query.fileName ? { fileName: req.query.fileName } : {}),
      workbook: req.body as unknown as Buffer,
    }),
    headers: { 'cache-control': 'no-store' },
  }),
);
