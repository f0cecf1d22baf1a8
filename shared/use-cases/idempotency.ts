// The Idempotency-Key of a submission: the filing id is derived from the key (per programme and
// deployment), so a repeated request finds what the first one stored and is answered from it;
// the same key with another body is a conflict. Of concurrent requests with one key only the one
// holding the key's lease (FilingRepository.claimSubmission) may write; the others wait briefly
// for its filing, or answer 409 "in progress" with Retry-After. A request without a key gets a
// random id and needs no lease, but its body is hashed all the same (the stored filing keeps it).
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import { filingIdFrom, newFilingId } from '../domain/ids.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type { FilingRecord, FilingRepository } from '../ports/filings.ts';

export interface LeaseDeps {
  repo: FilingRepository;
  hasher: KeyedHasher;
  /** How long a request waits for a concurrent one with its key (ms; default 2,500). */
  claimWaitMs?: number;
}

/** One submission's hold on its key: the id it writes under and what it may write. */
export interface SubmissionLease {
  readonly filingId: string;
  /** Hash of the body as sent; stored with the filing and compared by every later request. */
  readonly requestHash: string;
  /**
   * The filing an earlier request with this key stored (409 if its body differed), or
   * undefined when there is none yet or the request has no key.
   */
  stored(): Promise<FilingRecord | undefined>;
  /**
   * Takes the key's lease before anything is written for it. Undefined when this request may
   * write; otherwise the concurrent request's filing once it is stored (409 reused if that
   * request's body differs, 409 in progress if it is not stored within the wait).
   */
  acquire(at: Date): Promise<FilingRecord | undefined>;
  /** Gives the lease back after a refused or failed write, so that a retry need not wait. Never throws. */
  release(): Promise<void>;
  /** Whether a stored record is this request's (otherwise another body owns the id: 409 reused). */
  owns(record: FilingRecord): boolean;
}

/** Refuses a key that is not 8–128 visible ASCII characters (before anything else is judged). */
export function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !/^[\x21-\x7e]{8,128}$/.test(key)) {
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
}

/** The lease of one submission of `filing` to the programme, with or without a key. */
export async function submissionLease(
  deps: LeaseDeps,
  programId: string,
  filing: Filing,
  key: string | undefined,
): Promise<SubmissionLease> {
  const requestHash = createHash('sha256').update(JSON.stringify(filing)).digest('base64url');
  const keyed = key !== undefined;
  const filingId = keyed
    ? filingIdFrom(Buffer.from(await deps.hasher.mac('idempotency', `${programId}\u0000${key}`), 'base64url'))
    : newFilingId();
  const ours = (record: FilingRecord) => {
    if (record.requestHash !== requestHash) throw keyReused();
    return record;
  };
  return {
    filingId,
    requestHash,
    async stored() {
      if (!keyed) return undefined;
      const record = await findFiling(deps.repo, filingId);
      return record && ours(record);
    },
    async acquire(at) {
      if (!keyed) return undefined;
      const claim = await deps.repo.claimSubmission(filingId, requestHash, at);
      if (claim.claimed) return undefined;
      if (claim.requestHash !== requestHash) throw keyReused();
      return ours(await awaitFiling(deps, filingId));
    },
    async release() {
      if (keyed) await deps.repo.releaseSubmission(filingId, requestHash).catch(() => undefined);
    },
    owns(record) {
      return record.requestHash === requestHash;
    },
  };
}

export const keyReused = () =>
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
async function awaitFiling(deps: LeaseDeps, filingId: string): Promise<FilingRecord> {
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
