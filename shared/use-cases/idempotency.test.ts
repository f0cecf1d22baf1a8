// The Idempotency-Key's lease on its own, against the in-memory repository that keeps the
// port's contract: a fresh key may write, the same key and body replay the stored filing, the
// same key with another body is a conflict, a key held by a concurrent request waits for its
// filing (or answers 409 in progress), and a failed attempt gives the key back.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { MemoryFilingRepository } from '../../test/support/memory-filing-repository.ts';
import { localHasher } from '../data/field-crypto.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import { type Filing, parseFiling } from '../domain/filing.ts';
import { FILING_ID_PATTERN } from '../domain/ids.ts';
import { checkIdempotencyKey, type SubmissionLease, submissionLease } from './idempotency.ts';

const P = 'liaoning-cso';
const NOW = new Date('2025-06-01T02:00:00.000Z');
const KEY = 'lease-key-0001';

function setup(claimWaitMs?: number) {
  const hasher = localHasher(new Uint8Array(randomBytes(32)));
  const repo = new MemoryFilingRepository(hasher);
  return { repo, hasher, ...(claimWaitMs === undefined ? {} : { claimWaitMs }) };
}

let n = 60_000;
const filing = (): Filing => parseFiling(validFiling({ n: n++ }));

/** What the request holding the lease stores under it. */
const store = (deps: ReturnType<typeof setup>, lease: SubmissionLease, body: Filing) =>
  deps.repo.create({
    filingId: lease.filingId,
    programId: P,
    filing: body,
    warnings: [],
    requestHash: lease.requestHash,
    actor: { role: 'applicant' },
    at: NOW.toISOString(),
  });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('checkIdempotencyKey', () => {
  it('accepts no key, and keys of 8 to 128 visible ASCII characters', () => {
    for (const key of [undefined, '12345678', '~'.repeat(128), 'a!b#c$d%e']) {
      expect(() => checkIdempotencyKey(key)).not.toThrow();
    }
  });

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'k'.repeat(129)],
    ['with a space', 'key with space'],
    ['not ASCII', '幂等键幂等键幂等键'],
    ['empty', ''],
  ])('refuses a key that is %s, at headers.idempotency-key', (_label, key) => {
    let error: unknown;
    try {
      checkIdempotencyKey(key);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'headers.idempotency-key', code: 'invalid_idempotency_key' }),
    ]);
  });
});

describe('submissionLease', () => {
  it('a fresh key: an id derived from key and programme, nothing stored, and the lease taken', async () => {
    const deps = setup();
    const body = filing();
    const lease = await submissionLease(deps, P, body, KEY);
    expect(lease.filingId).toMatch(FILING_ID_PATTERN);
    expect(lease.requestHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await submissionLease(deps, P, filing(), KEY)).filingId).toBe(lease.filingId);
    expect((await submissionLease(deps, P, body, 'lease-key-0002')).filingId).not.toBe(lease.filingId);
    expect((await submissionLease(deps, 'anhui-std-director', body, KEY)).filingId).not.toBe(lease.filingId);
    expect((await submissionLease(setup(), P, body, KEY)).filingId).not.toBe(lease.filingId);
    expect(await lease.stored()).toBeUndefined();
    expect(await lease.acquire(NOW)).toBeUndefined();
    expect(deps.repo.claims.get(lease.filingId)?.requestHash).toBe(lease.requestHash);
  });

  it('the same key and body: the stored filing, for a replay', async () => {
    const deps = setup();
    const body = filing();
    const first = await submissionLease(deps, P, body, KEY);
    await first.acquire(NOW);
    const record = await store(deps, first, body);
    expect(first.owns(record)).toBe(true);
    const again = await submissionLease(deps, P, structuredClone(body), KEY);
    expect(again.requestHash).toBe(first.requestHash);
    expect(await again.stored()).toEqual(record);
  });

  it('the same key with another body: 409 reused, from the stored filing or from the lease at once', async () => {
    const deps = setup();
    const body = filing();
    const first = await submissionLease(deps, P, body, KEY);
    await first.acquire(NOW);
    const other = { ...body, person: { ...body.person, major: '化学工程' } };
    // Held, not yet stored: refused without waiting for the filing.
    const held = await submissionLease(deps, P, other, KEY);
    expect(await held.stored()).toBeUndefined();
    const reads = deps.repo.reads;
    expect(await rejection(held.acquire(NOW))).toMatchObject({ code: 'idempotency_key_reused' });
    expect(deps.repo.reads).toBe(reads);
    // Stored: refused from the filing.
    const record = await store(deps, first, body);
    const late = await submissionLease(deps, P, other, KEY);
    const error = await rejection(late.stored());
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'idempotency_key_reused' });
    expect(late.owns(record)).toBe(false);
  });

  it('a key in progress with the same body: waits for the other request’s filing and answers with it', async () => {
    const deps = setup();
    const body = filing();
    const first = await submissionLease(deps, P, body, KEY);
    await first.acquire(NOW);
    const second = await submissionLease(deps, P, body, KEY);
    // The first request stores its filing once the second has looked for it in vain.
    const get = deps.repo.get.bind(deps.repo);
    let misses = 0;
    deps.repo.get = async (filingId) => {
      const record = await get(filingId).catch(async (error: unknown) => {
        if (++misses === 1) await store(deps, first, body);
        throw error;
      });
      return record;
    };
    const record = await second.acquire(NOW);
    expect(misses).toBe(1);
    expect(record).toEqual(await get(first.filingId));
    expect(deps.repo.creates).toHaveLength(1);
  });

  it('a key that stays in progress: 409 in progress with Retry-After once the wait is over', async () => {
    const deps = setup(0);
    const body = filing();
    await (await submissionLease(deps, P, body, KEY)).acquire(NOW);
    const error = await rejection((await submissionLease(deps, P, body, KEY)).acquire(NOW));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'idempotency_key_in_progress', retryAfterSeconds: 1 });
  });

  it('released after a failed attempt: a retry takes the key at once; only the holder releases; never throws', async () => {
    const deps = setup();
    const body = filing();
    const first = await submissionLease(deps, P, body, KEY);
    await first.acquire(NOW);
    const other = await submissionLease(deps, P, { ...body, role: 'specialist' }, KEY);
    await other.release(); // not the holder: the key stays held
    expect(deps.repo.claims.get(first.filingId)?.requestHash).toBe(first.requestHash);
    await first.release();
    expect(deps.repo.claims.size).toBe(0);
    const retry = await submissionLease(deps, P, body, KEY);
    expect(await retry.acquire(NOW)).toBeUndefined();
    deps.repo.releaseSubmission = async () => {
      throw new Error('table unavailable');
    };
    await expect(retry.release()).resolves.toBeUndefined();
  });

  it('no key: a random id, and no read, lease or release', async () => {
    const deps = setup();
    const body = filing();
    const lease = await submissionLease(deps, P, body, undefined);
    expect(lease.filingId).toMatch(FILING_ID_PATTERN);
    expect((await submissionLease(deps, P, body, undefined)).filingId).not.toBe(lease.filingId);
    expect(await lease.stored()).toBeUndefined();
    expect(await lease.acquire(NOW)).toBeUndefined();
    await lease.release();
    expect(deps.repo.reads).toBe(0);
    expect(deps.repo.claims.size).toBe(0);
    expect(lease.owns(await store(deps, lease, body))).toBe(true);
  });
});
