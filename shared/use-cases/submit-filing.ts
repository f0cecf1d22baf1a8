// Submit a filing (附件1): validate it against the program's rules, store it as
// `submitted` with its audit event and counters in one transaction, and hand it to the
// review workflow. With an Idempotency-Key the filing id is derived from the key, so the
// same key and body return the same answer and create nothing; the same key with another
// body is a conflict. Attachments are checked with everything else (every failing field at
// once); once the filing is stored, its uploads are copied under it (idempotently, so a retry
// with the same key completes an interrupted copy). A refused filing stores nothing.
import { createHash } from 'node:crypto';
import type { KeyedHasher } from '../data/field-crypto.ts';
import { assessFiling } from '../domain/eligibility.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { filingIdFrom, newFilingId } from '../domain/ids.ts';
import { getProgram } from '../domain/programs/index.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { FilingRepository } from '../ports/filings.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { checkAttachments, copyUploads, deleteQuietly } from './attachments.ts';
import { receiptToken } from './receipt.ts';

export interface SubmitDeps {
  repo: FilingRepository;
  hasher: KeyedHasher;
  workflow: FilingWorkflow;
  attachments: AttachmentStore;
  now?: () => Date;
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
  const { errors, warnings } = assessFiling(program, input.filing, {
    today: shanghaiDate(now),
    noticeVersion: program.privacyNotice.version,
  });
  const requestHash = createHash('sha256').update(JSON.stringify(input.filing)).digest('base64url');
  const filingId = input.idempotencyKey
    ? filingIdFrom(
        Buffer.from(
          await deps.hasher.mac('idempotency', `${program.id}\u0000${input.idempotencyKey}`),
          'base64url',
        ),
      )
    : newFilingId();
  const { issues, plan } = await checkAttachments(
    deps.attachments,
    program,
    filingId,
    input.filing.attachments ?? [],
  );
  if (errors.length > 0 || issues.length > 0) throw new ValidationError([...errors, ...issues]);
  // The uploads are copied under the filing before the filing is stored, so an acknowledged
  // filing never refers to an object that is not there (copies are idempotent).
  await copyUploads(deps.attachments, plan);
  const copied = plan.copies.map((c) => c.to);
  let record: Awaited<ReturnType<typeof deps.repo.create>>;
  try {
    record = await deps.repo.create({
      filingId,
      programId: program.id,
      filing: { ...input.filing, attachments: plan.stored },
      warnings,
      requestHash,
      actor: { role: 'applicant' },
      at: now.toISOString(),
    });
  } catch (error) {
    // Refused (say, a duplicate person): nothing of it stays stored.
    await deleteQuietly(deps.attachments, copied, filingId);
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
    throw new ConflictError('idempotency_key_reused', {
      zh: '该 Idempotency-Key 已用于另一份不同的备案',
      en: 'this Idempotency-Key was already used with a different filing',
    });
  }
  await deleteQuietly(
    deps.attachments,
    plan.copies.map((c) => c.from),
    filingId,
  );
  await deps.workflow.filingSubmitted({ filingId, programId: program.id });
  return {
    filingId,
    receiptToken: await receiptToken(deps.hasher, filingId),
    // A replayed request gets the answer of the first one, whatever the workflow did since.
    status: 'submitted' as const,
    warnings: record.warnings,
    statusUrl: `/filings/${filingId}`,
  };
}
