// GET /staff/programs/{programId}/units/{unit}/summary?format=xlsx|csv&from&to | &batchId:
// the unit's city summary (附件2) as a download.

import { requireEnv, TABLE_NAME_ENV } from '#shared/config/env.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { exportCitySummary } from '#shared/use-cases/staff/summary-export.ts';
import { staffPrincipal, staffServices } from '#shared/wiring/staff-services.ts';

let reviews: ReturnType<typeof createReviewStore> | undefined;

export const handler = httpHandler({}, async (req) => {
  reviews ??= createReviewStore(createDocumentClient(), requireEnv(TABLE_NAME_ENV));
  const file = await exportCitySummary({ ...staffServices(), reviews }, staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    unit: req.pathParameters.unit ?? '',
    ...req.query,
  });
  return {
    statusCode: 200,
    file: { contentType: file.contentType, filename: file.filename, data: file.data },
    headers: { 'x-row-count': String(file.count) },
  };
});
