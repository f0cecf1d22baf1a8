// Submit a filing (附件1): validate it against the program's rules, store it as
// `submitted` with its audit event, counters and the outbox item that starts the review
// workflow in one transaction (the workflow is started from the table's stream, see
// docs/outbox.md: a stored filing always gets its review, and nothing here waits for it). With an Idempotency-Key the filing id is derived from the key, so the
// same key and body return the same answer and create nothing; the same key with another
// body is a conflict. A keyed replay is answered from the stored filing before anything else
// (the bucket is not touched), and of concurrent requests with one key only the one holding the
// key's lease copies and stores; the others wait briefly for its filing, or answer 409 "in
// progress" with Retry-After. Attachments are checked with everything else (every failing field
// at once); the uploads are copied under the filing before it is stored (idempotently, so a
// retry with the same key completes an interrupted copy). A refused filing stores nothing.
// A training certificate is matched against the pass lists (verify-training.ts).
import { createHash } from 'node:crypto';
import type { KeyedHasher } from '../data/field-crypto.ts';
import { assessFiling } from '../domain/eligibility.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { filingIdFrom, newFilingId } from '../domain/ids.ts';
import { getProgram } from '../domain/programs/index.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { EnterpriseIndex, FilingRecord, FilingRepository } from '../ports/filings.ts';
import type { TrainingStore } from '../ports/training.ts';
import { checkAttachments, copyUploads, deleteQuietly } from './attachments.ts';
import { receiptToken } from './receipt.ts';
import { checkTraining } from './training/verify-training.ts';

export interface SubmitDeps {
  repo: FilingRepository;
  /** The enterprise's active filings per role, for the "usually one per enterprise" warning. */
  enterprises: EnterpriseIndex;
  hasher: KeyedHasher;
  attachments: AttachmentStore;
  now?: () => Date;
  /** How long a request waits for a concurrent one with its key (ms; default 2,500). */
  claimWaitMs?: number;
  /** The training pass lists a certificate is matched against (absent: no match is made). */
  training?: TrainingStore;
}

export interface SubmitInput {
  programId: string;
  filing: Filing;
  idempotencyKey?: string;
}

export async function submitFiling(deps: SubmitDeps, input: SubmitInput) {
  const program = getProgram(input.programId);
  const now = (deps.now ?? (() => new Date()))();
  if (input.idempotencyKey !== undefined && !/^[\x21-\x7e]{8,128}$/.test(input.idempotencyKey)) {
    throw new ValidationError([
      {
        path: 'headers.idempotency-key',
        code: 'invalid_idempotency_key',
        message: {
          zh: 'Idempotency-Key 须为 8–128 个可见 ASCII 字符',
          en: 'Idempotency-Key must be 8–128 visible ASCII characters',
        },
      },
    ]);
  }
  const assessed = assessFiling(program, input.filing, {
    today: shanghaiDate(now),
    noticeVersion: program.privacyNotice.version,
    activeInEnterpriseByRole: await deps.enterprises.activeByRole(program.id, input.filing.enterprise.uscc),
  });
  const training = deps.training
    ? await checkTraining(deps.training, deps.hasher, program, input.filing)
    : { warnings: [], errors: [] };
  const errors = [...assessed.errors, ...training.errors];
  const warnings = [...assessed.warnings, ...training.warnings];
  const requestHash = createHash('sha256').update(JSON.stringify(input.filing)).digest('base64url');
  const keyed = input.idempotencyKey !== undefined;
  const filingId = keyed
    ? filingIdFrom(
        Buffer.from(
          await deps.hasher.mac('idempotency', `${program.id}\u0000${input.idempotencyKey}`),
          'base64url',
        ),
      )
    : newFilingId();
  if (keyed) {
    const stored = await findFiling(deps.repo, filingId);
    if (stored) return replay(deps, stored, requestHash);
  }
  const { issues, plan } = await checkAttachments(
    deps.attachments,
    program,
    filingId,
    input.filing.attachments ?? [],
  );
  if (errors.length > 0 || issues.length > 0) throw new ValidationError([...errors, ...issues]);
  if (keyed) {
    const claim = await deps.repo.claimSubmission(filingId, requestHash, now);
    if (!claim.claimed) {
      if (claim.requestHash !== requestHash) throw keyReused();
      return replay(deps, await awaitFiling(deps, filingId), requestHash);
    }
  }
  // The uploads are copied under the filing before the filing is stored, so an acknowledged
  // filing never refers to an object that is not there (copies are idempotent).
  const copied = plan.copies.map((c) => c.to);
  let record: FilingRecord;
  try {
    await copyUploads(deps.attachments, plan);
    record = await deps.repo.create({
      filingId,
      programId: program.id,
      filing: { ...input.filing, attachments: plan.stored },
      warnings,
      requestHash,
      actor: { role: 'applicant' },
      at: now.toISOString(),
      // Its consequence, stored with it: the stream starts the review (execution named by the id).
      outbox: ['review.start'],
    });
  } catch (error) {
    // Refused (say, a duplicate person) or failed: nothing of it stays stored, and the key is
    // free again for a retry.
    await deleteQuietly(deps.attachments, copied, filingId);
    if (keyed) await deps.repo.releaseSubmission(filingId, requestHash).catch(() => undefined);
    throw error;
  }
  if (record.requestHash !== requestHash) {
    // Another filing owns this id: remove only the copies it does not refer to.
    const kept = new Set((record.filing.attachments ?? []).map((a) => a.key));
    await deleteQuietly(
      deps.attachments,
      copied.filter((key) => !kept.has(key)),
      filingId,
    );
    throw keyReused();
  }
  await deleteQuietly(
    deps.attachments,
    plan.copies.map((c) => c.from),
    filingId,
  );
  return answer(deps, record);
}

const keyReused = () =>
  new ConflictError('idempotency_key_reused', {
    zh: '该 Idempotency-Key 已用于另一份不同的备案',
    en: 'this Idempotency-Key was already used with a different filing',
  });

async function findFiling(repo: FilingRepository, filingId: string): Promise<FilingRecord | undefined> {
  try {
    return await repo.get(filingId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The filing a concurrent request with the same key is storing, once it is there. */
async function awaitFiling(deps: SubmitDeps, filingId: string): Promise<FilingRecord> {
  const deadline = Date.now() + (deps.claimWaitMs ?? 2_500);
  for (let pause = 50; ; pause = Math.min(pause * 2, 400)) {
    const stored = await findFiling(deps.repo, filingId);
    if (stored) return stored;
    if (Date.now() + pause > deadline) {
      throw new ConflictError(
        'idempotency_key_in_progress',
        {
          zh: '使用该 Idempotency-Key 的提交正在处理中，请稍后重试',
          en: 'a request with this Idempotency-Key is still being processed; retry shortly',
        },
        1,
      );
    }
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** A repeated request with the key: the first one's answer, or 409 if the body differs. */
async function replay(deps: SubmitDeps, stored: FilingRecord, requestHash: string) {
  if (stored.requestHash !== requestHash) throw keyReused();
  return answer(deps, stored);
}

/**
 * The answer to an accepted submission. The review workflow is not started here: the outbox
 * item stored with the filing starts it, so a submission interrupted after its write still
 * gets its review, and a replay starts nothing.
 */
async function answer(deps: SubmitDeps, record: FilingRecord) {
  const { filingId } = record;
  return {
    filingId,
    receiptToken: await receiptToken(deps.hasher, filingId),
    // A replayed request gets the answer of the first one, whatever the workflow did since.
    status: 'submitted' as const,
    warnings: record.warnings,
    statusUrl: `/filings/${filingId}`,
  };
}
