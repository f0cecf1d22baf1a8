// POST /staff/programs/{programId}/training/batches { organizer, course, startDate, endDate }:
// record a training batch (province staff: any; city staff: their own unit's).

import { TrainingBatchRequestSchema } from '#shared/domain/training.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { recordBatch } from '#shared/use-cases/training/staff-training.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';
import { trainingServices } from '#shared/wiring/training-services.ts';

export const handler = httpHandler({ body: TrainingBatchRequestSchema }, async (req) => ({
  statusCode: 201,
  body: await recordBatch(trainingServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    batch: req.body,
  }),
  headers: { 'cache-control': 'no-store' },
}));
