// Submit a filing (附件1): validate it against the program's rules, store it as
// `submitted` with its audit event, counters and the outbox item that starts the review
// workflow in one transaction (the workflow is started from the table's stream, see
// docs/outbox.md: a stored filing always gets its review, and nothing here waits for it).
// The Idempotency-Key's lease (idempotency.ts) gives the filing id: a keyed replay is answered
// from the stored filing before anything else (the bucket is not touched), the same key with
// another body is a conflict, and of concurrent requests with one key only the one holding the
// lease copies and stores. Attachments are checked with everything else (every failing field
// at once); the uploads are copied under the filing before it is stored (idempotently, so a
// retry with the same key completes an interrupted copy). A refused filing stores nothing.
// A training certificate is matched against the pass lists (verify-training.ts).

import { assessFiling } from '../domain/eligibility.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { getProgram } from '../domain/programs/index.ts';
import type { Program } from '../domain/programs/program.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type {
  CreateFilingCommand,
  EnterpriseIndex,
  FilingRecord,
  FilingRepository,
} from '../ports/filings.ts';
import type { TrainingStore } from '../ports/training.ts';
import { type AttachmentPlan, checkAttachments, copyUploads, deleteQuietly } from './attachments.ts';
import { checkIdempotencyKey, keyReused, type SubmissionLease, submissionLease } from './idempotency.ts';
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
  checkIdempotencyKey(input.idempotencyKey);
  const { errors, warnings } = await assess(deps, program, input.filing, now);
  const lease = await submissionLease(deps, program.id, input.filing, input.idempotencyKey);
  // A repeated request is answered from what the first one stored, before anything else.
  const earlier = await lease.stored();
  if (earlier) return answer(deps, earlier);
  const { issues, plan } = await checkAttachments(
    deps.attachments,
    program,
    lease.filingId,
    input.filing.attachments ?? [],
  );
  if (errors.length > 0 || issues.length > 0) throw new ValidationError([...errors, ...issues]);
  const concurrent = await lease.acquire(now);
  if (concurrent) return answer(deps, concurrent);
  const record = await store(deps, lease, plan, {
    programId: program.id,
    filing: { ...input.filing, attachments: plan.stored },
    warnings,
    at: now.toISOString(),
  });
  await deleteQuietly(
    deps.attachments,
    plan.copies.map((c) => c.from),
    lease.filingId,
  );
  return answer(deps, record);
}

/** The programme's rules and the training pass lists: hard errors and soft warnings. */
async function assess(deps: SubmitDeps, program: Program, filing: Filing, now: Date) {
  const assessed = assessFiling(program, filing, {
    today: shanghaiDate(now),
    noticeVersion: program.privacyNotice.version,
    activeInEnterpriseByRole: await deps.enterprises.activeByRole(program.id, filing.enterprise.uscc),
  });
  const training = deps.training
    ? await checkTraining(deps.training, deps.hasher, program, filing)
    : { warnings: [], errors: [] };
  return {
    errors: [...assessed.errors, ...training.errors],
    warnings: [...assessed.warnings, ...training.warnings],
  };
}

/**
 * Copies the uploads under the filing, then stores it with the outbox item that starts its
 * review. The copies come first so that an acknowledged filing never refers to an object that
 * is not there (copies are idempotent).
 */
async function store(
  deps: SubmitDeps,
  lease: SubmissionLease,
  plan: AttachmentPlan,
  submitted: Pick<CreateFilingCommand, 'programId' | 'filing' | 'warnings' | 'at'>,
): Promise<FilingRecord> {
  const { filingId, requestHash } = lease;
  const copied = plan.copies.map((c) => c.to);
  let record: FilingRecord;
  try {
    await copyUploads(deps.attachments, plan);
    record = await deps.repo.create({
      filingId,
      programId: submitted.programId,
      filing: submitted.filing,
      warnings: submitted.warnings,
      requestHash,
      actor: { role: 'applicant' },
      at: submitted.at,
      // Its consequence, stored with it: the stream starts the review (execution named by the id).
      outbox: ['review.start'],
    });
  } catch (error) {
    // Refused (say, a duplicate person) or failed: nothing of it stays stored, and the key is
    // free again for a retry.
    await deleteQuietly(deps.attachments, copied, filingId);
    await lease.release();
    throw error;
  }
  if (!lease.owns(record)) {
    // Another filing owns this id: remove only the copies it does not refer to.
    const kept = new Set((record.filing.attachments ?? []).map((a) => a.key));
    await deleteQuietly(
      deps.attachments,
      copied.filter((key) => !kept.has(key)),
      filingId,
    );
    throw keyReused();
  }
  return record;
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
