// GET /staff/programs/{programId}/training/batches: the programme's training batches, oldest first.

import { httpHandler } from '#shared/http/handler.ts';
import { listBatches } from '#shared/use-cases/training/staff-training.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';
import { trainingServices } from '#shared/wiring/training-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await listBatches(trainingServices(), staffPrincipal(req.claims), req.pathParameters.programId ?? ''),
  headers: { 'cache-control': 'no-store' },
}));
