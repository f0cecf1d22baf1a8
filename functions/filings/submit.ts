// POST /programs/{programId}/filings: submit a filing (optional Idempotency-Key header).
import { attachmentStore } from '#shared/adapters/attachment-store.ts';
import { filingWriteServices } from '#shared/adapters/filing-write-services.ts';
import { trainingStore } from '#shared/adapters/training-services.ts';
import { FilingInputSchema } from '#shared/domain/filing.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { submitFiling } from '#shared/use-cases/submit-filing.ts';

// The programme is looked up before the body is read: a filing for no programme is a 404, never a 422.
const knownProgram = (params: Record<string, string>) => void getProgram(params.programId ?? '');

export const handler = httpHandler({ body: FilingInputSchema, path: knownProgram }, async (req) => {
  const result = await submitFiling(
    { ...filingWriteServices(), attachments: attachmentStore(), training: trainingStore() },
    {
      programId: req.pathParameters.programId ?? '',
      filing: req.body,
      idempotencyKey: req.headers['idempotency-key'],
    },
  );
  return { statusCode: 201, body: result, headers: { location: result.statusUrl } };
});
