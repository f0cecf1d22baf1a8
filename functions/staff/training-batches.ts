// POST /staff/programs/{programId}/training/batches { organizer, course, startDate, endDate }:
// record a training batch (province staff: any; city staff: their own unit's).
import { staffPrincipal } from '#shared/adapters/staff-services.ts';
import { trainingServices } from '#shared/adapters/training-services.ts';
import { TrainingBatchRequestSchema } from '#shared/domain/training.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { recordBatch } from '#shared/use-cases/training/staff-training.ts';

export const handler = httpHandler({ body: TrainingBatchRequestSchema }, async (req) => ({
  statusCode: 201,
  body: await recordBatch(trainingServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    batch: req.body,
  }),
  headers: { 'cache-control': 'no-store' },
}));
