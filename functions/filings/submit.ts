// POST /programs/{programId}/filings: submit a filing (optional Idempotency-Key header).
import { attachmentStore } from '#shared/adapters/attachment-store.ts';
import { LOCAL_EXIT_AFTER_SUBMIT_WRITE_ENV } from '#shared/config/env.ts';
import { FilingInputSchema } from '#shared/domain/filing.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { httpHandler } from '#shared/http/handler.ts';
import type { FilingRepository } from '#shared/ports/filings.ts';
import { submitFiling } from '#shared/use-cases/submit-filing.ts';
import { filingWriteServices } from '#shared/wiring/filing-write-services.ts';
import { trainingStore } from '#shared/wiring/training-services.ts';

/**
 * A test hook of the local runtime only (`npm start` sets nothing of the kind, nor does the
 * CDK app): with LOCAL_EXIT_AFTER_SUBMIT_WRITE=1 the process ends right after the filing's
 * transaction, before anything else, as a crash there would; the outbox must still start its review.
 */
function crashAfterWrite(repo: FilingRepository): FilingRepository {
  if (process.env[LOCAL_EXIT_AFTER_SUBMIT_WRITE_ENV] !== '1') return repo;
  return {
    ...repo,
    async create(command) {
      await repo.create(command);
      process.exit(70);
    },
  };
}

// The programme is looked up before the body is read: a filing for no programme is a 404, never a 422.
const knownProgram = (params: Record<string, string>) => void getProgram(params.programId ?? '');

export const handler = httpHandler({ body: FilingInputSchema, path: knownProgram }, async (req) => {
  const services = filingWriteServices();
  const result = await submitFiling(
    {
      ...services,
      repo: crashAfterWrite(services.repo),
      attachments: attachmentStore(),
      training: trainingStore(),
    },
    {
      programId: req.pathParameters.programId ?? '',
      filing: req.body,
      idempotencyKey: req.headers['idempotency-key'],
    },
  );
  return { statusCode: 201, body: result, headers: { location: result.statusUrl } };
});
