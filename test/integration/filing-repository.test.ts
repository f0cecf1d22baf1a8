// The data layer against DynamoDB Local: creation, every transition, races, the duplicate
// person, counters against a recount, and that a failed transaction leaves nothing behind.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sumCounters } from '#shared/data/counter-item.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  InvalidTransitionError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import {
  type Action,
  type Actor,
  allowedActions,
  type FilingState,
  isActive,
  REASON_REQUIRED,
  STATES,
} from '#shared/domain/lifecycle.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { ACTOR_FOR, idNumberFor, usccFor, validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const AT = '2025-05-10T02:00:00.000Z';
let seq = 0;
const newId = () => `F${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

async function submit(env: Env, n: number, overrides: { unit?: string; role?: string } = {}) {
  const filingId = newId();
  const filing = parseFiling(validFiling({ n, ...overrides }));
  const record = await env.repo.create({
    filingId,
    programId: 'liaoning-cso',
    filing,
    warnings: [],
    actor: { role: 'applicant' },
    at: AT,
  });
  return { filingId, filing, record };
}

async function act(env: Env, filingId: string, state: FilingState, version: number, action: Action) {
  return env.repo.transition({
    filingId,
    expected: { state, version },
    action,
    actor: { role: ACTOR_FOR[action], id: 'staff-1', unit: '210100' },
    at: AT,
    ...(REASON_REQUIRED.includes(action) ? { reason: '材料不全' } : {}),
  });
}

/** Recount by reading every filing's latest event (tests only). */
async function recount(env: Env) {
  const items = await scanAll(env.doc, env.tableName);
  const latest = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    if (item.type !== 'FilingEvent') continue;
    const prev = latest.get(String(item.filingId));
    if (!prev || Number(prev.version) < Number(item.version)) latest.set(String(item.filingId), item);
  }
  const counts = new Map<string, Record<string, number>>();
  for (const event of latest.values()) {
    const key = `${String(event.unit)}#${String(event.role)}`;
    const c = counts.get(key) ?? Object.fromEntries(STATES.map((s) => [s, 0]));
    c[String(event.to)] = (c[String(event.to)] ?? 0) + 1;
    counts.set(key, c);
  }
  return counts;
}

async function counters(env: Env) {
  const items = (await scanAll(env.doc, env.tableName)).filter((i) => i.type === 'Counter');
  return sumCounters(items);
}

describe('filing repository on DynamoDB Local', () => {
  let env: Env;
  beforeAll(async () => {
    env = await freshTable();
  });

  it('gives an Idempotency-Key’s lease to one of many at once, names the holder’s body, and lets it go', async () => {
    const filingId = newId();
    const at = new Date(AT);
    const tries = await Promise.all(
      Array.from({ length: 20 }, (_, i) => env.repo.claimSubmission(filingId, `hash-${i}`, at)),
    );
    const winners = tries.flatMap((t, i) => (t.claimed ? [`hash-${i}`] : []));
    expect(winners).toHaveLength(1);
    for (const t of tries) if (!t.claimed) expect(t.requestHash).toBe(winners[0]);
    // Another body cannot release it; its holder can, and then the key is free.
    await env.repo.releaseSubmission(filingId, 'not-the-holder');
    expect(await env.repo.claimSubmission(filingId, 'later', at)).toEqual({
      claimed: false,
      requestHash: winners[0],
    });
    await env.repo.releaseSubmission(filingId, winners[0] ?? '');
    expect(await env.repo.claimSubmission(filingId, 'later', at)).toEqual({ claimed: true });
    // A lease that ran out (a crashed request) may be taken over.
    const after = new Date(at.getTime() + 31_000);
    expect(await env.repo.claimSubmission(filingId, 'takeover', after)).toEqual({ claimed: true });
    const items = (await scanAll(env.doc, env.tableName)).filter((i) => i.pk === `FILING#${filingId}`);
    expect(items).toEqual([
      expect.objectContaining({ sk: 'CLAIM', requestHash: 'takeover', expiresAt: expect.any(Number) }),
    ]);
  });

  it('creates a filing: body, first event, person claim, enterprise index entry, search name and counter in one go', async () => {
    const { filingId, filing } = await submit(env, 1);
    const record = await env.repo.get(filingId);
    expect(record.state).toBe('submitted');
    expect(record.version).toBe(1);
    expect(record.filing.person.idNumberMasked).toBe(
      `${filing.person.idNumber.slice(0, 6)}********${filing.person.idNumber.slice(-4)}`,
    );
    expect(record.filing.person).not.toHaveProperty('idNumber');
    const items = (await scanAll(env.doc, env.tableName)).filter(
      (i) => String(i.pk).includes(filingId) || i.filingId === filingId,
    );
    expect(items.map((i) => i.type).sort()).toEqual([
      'EnterpriseFiling',
      'FilingBody',
      'FilingEvent',
      'FilingName',
      'Person',
    ]);
  });

  it('never stores the clear ID number, and reveals it only through the key', async () => {
    const { filingId, filing } = await submit(env, 2);
    const raw = JSON.stringify(
      (await scanAll(env.doc, env.tableName)).filter((i) => i.filingId === filingId),
      (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v),
    );
    expect(raw).not.toContain(filing.person.idNumber);
    expect(raw).not.toContain(filing.person.idNumber.slice(6, 14));
    expect(await env.repo.revealIdNumber(filingId)).toBe(filing.person.idNumber);
  });

  it('walks the happy path and records every step in the history', async () => {
    const { filingId } = await submit(env, 3);
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await act(env, filingId, 'city_review', 2, 'approve');
    const last = await act(env, filingId, 'province_review', 3, 'include');
    expect(last.to).toBe('in_pool');
    const history = await env.repo.history(filingId);
    expect(history.map((e) => [e.from, e.action, e.to, e.version])).toEqual([
      [null, 'submit', 'submitted', 1],
      ['submitted', 'start_city_review', 'city_review', 2],
      ['city_review', 'approve', 'province_review', 3],
      ['province_review', 'include', 'in_pool', 4],
    ]);
    expect(history[2]?.actor).toEqual({ role: 'city', id: 'staff-1', unit: '210100' });
    expect((await env.repo.get(filingId)).state).toBe('in_pool');
  });

  it('performs every allowed transition from every reachable state', async () => {
    // Paths that reach each state, then every action its actor may take from there.
    const paths: Record<FilingState, Action[]> = {
      submitted: [],
      city_review: ['start_city_review'],
      changes_requested: ['start_city_review', 'request_changes'],
      province_review: ['start_city_review', 'approve'],
      in_pool: ['start_city_review', 'approve', 'include'],
      registered: ['start_city_review', 'register'],
      rejected: ['start_city_review', 'reject'],
      declined: ['start_city_review', 'approve', 'decline'],
      withdrawn: ['withdraw'],
      removed: ['start_city_review', 'approve', 'include', 'remove'],
      superseded: ['start_city_review', 'approve', 'include', 'supersede'],
    };
    let n = 100;
    for (const [target, path] of Object.entries(paths) as [FilingState, Action[]][]) {
      const actions = new Set<Action>(
        (['applicant', 'city', 'province', 'system'] as Actor[]).flatMap((a) => allowedActions(target, a)),
      );
      for (const action of [...actions, null]) {
        const { filingId } = await submit(env, n++);
        let state: FilingState = 'submitted';
        let version = 1;
        for (const step of path) {
          state = (await act(env, filingId, state, version, step)).to;
          version++;
        }
        expect(state).toBe(target);
        if (action === null) continue;
        const event = await act(env, filingId, state, version, action);
        const record = await env.repo.get(filingId);
        expect(record.state).toBe(event.to);
        expect(record.version).toBe(version + 1);
      }
    }
    expect(await counters(env)).toEqual(await recount(env));
  });

  it('refuses a transition the lifecycle does not allow, writing nothing', async () => {
    const { filingId } = await submit(env, 200);
    const before = await scanAll(env.doc, env.tableName);
    await expect(act(env, filingId, 'submitted', 1, 'include')).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    await expect(
      env.repo.transition({
        filingId,
        expected: { state: 'submitted', version: 1 },
        action: 'start_city_review',
        actor: { role: 'auditor' },
        at: AT,
      }),
    ).rejects.toBeInstanceOf(InvalidTransitionError);
    expect(await scanAll(env.doc, env.tableName)).toEqual(before);
  });

  it('requires a reason to reject', async () => {
    const { filingId } = await submit(env, 201);
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await expect(
      env.repo.transition({
        filingId,
        expected: { state: 'city_review', version: 2 },
        action: 'reject',
        actor: { role: 'city' },
        at: AT,
        reason: '  ',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('lets exactly one of two concurrent transitions win', async () => {
    for (let round = 0; round < 5; round++) {
      const { filingId } = await submit(env, 300 + round);
      await act(env, filingId, 'submitted', 1, 'start_city_review');
      const results = await Promise.allSettled([
        act(env, filingId, 'city_review', 2, 'approve'),
        act(env, filingId, 'city_review', 2, 'reject'),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentModificationError);
      const history = await env.repo.history(filingId);
      expect(history).toHaveLength(3);
    }
    expect(await counters(env)).toEqual(await recount(env));
  });

  it('raises ConcurrentModificationError on a stale version', async () => {
    const { filingId } = await submit(env, 320);
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await act(env, filingId, 'city_review', 2, 'approve');
    await expect(act(env, filingId, 'city_review', 2, 'reject')).rejects.toBeInstanceOf(
      ConcurrentModificationError,
    );
  });

  it('treats a retried transition as done, not as a second transition', async () => {
    const { filingId } = await submit(env, 330);
    const first = await act(env, filingId, 'submitted', 1, 'start_city_review');
    const again = await act(env, filingId, 'submitted', 1, 'start_city_review');
    expect(again.version).toBe(first.version);
    expect(await env.repo.history(filingId)).toHaveLength(2);
    expect(await counters(env)).toEqual(await recount(env));
  });

  it('treats a retried creation as the same filing', async () => {
    const filingId = newId();
    const filing = parseFiling(validFiling({ n: 340 }));
    const cmd = {
      filingId,
      programId: 'liaoning-cso',
      filing,
      warnings: [],
      actor: { role: 'applicant' as const },
      at: AT,
    };
    await env.repo.create(cmd);
    const again = await env.repo.create(cmd);
    expect(again.version).toBe(1);
    expect(await env.repo.history(filingId)).toHaveLength(1);
  });

  it('refuses a second active filing of the same person, leaving no trace, and allows one after withdrawal', async () => {
    const { filingId } = await submit(env, 400);
    const before = await scanAll(env.doc, env.tableName);
    const error = await submit(env, 400).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('duplicate_person');
    expect(await scanAll(env.doc, env.tableName)).toEqual(before);
    await act(env, filingId, 'submitted', 1, 'withdraw');
    const again = await submit(env, 400);
    expect(again.record.state).toBe('submitted');
  });

  /** Walks a new filing into the pool; returns its version there. */
  async function include(filingId: string) {
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await act(env, filingId, 'city_review', 2, 'approve');
    await act(env, filingId, 'province_review', 3, 'include');
    return 4;
  }

  describe('a pool member’s later filing (role change or move)', () => {
    it('is accepted while the member is in the pool, and supersedes the earlier filing on inclusion', async () => {
      const { filingId: earlier } = await submit(env, 420, { role: 'specialist' });
      await include(earlier);
      // Same role, same enterprise: still the duplicate-person rule.
      const same = await submit(env, 420, { role: 'specialist' }).catch((e: unknown) => e);
      expect((same as ConflictError).code).toBe('duplicate_person');
      const { filingId: later, record } = await submit(env, 420, { role: 'director' });
      expect(record.supersedes).toBe(earlier);
      expect(record.warnings.map((w) => w.code)).toContain('supersedes');
      expect((await env.repo.get(later)).supersedes).toBe(earlier);
      // Only one successor waits at a time.
      const third = await submit(env, 420, { role: 'cso' }).catch((e: unknown) => e);
      expect((third as ConflictError).code).toBe('duplicate_person');
      expect((await env.repo.get(earlier)).state).toBe('in_pool');

      await include(later);
      const old = await env.repo.get(earlier);
      expect(old.state).toBe('superseded');
      expect(old.lastEvent).toMatchObject({
        action: 'supersede',
        actor: { role: 'system' },
        detail: { supersededBy: later },
      });
      expect((await env.repo.get(later)).state).toBe('in_pool');
      expect(await counters(env)).toEqual(await recount(env));
      // The claim moved to the later filing: a fresh filing for yet another role may wait again.
      const next = await submit(env, 420, { role: 'cso' });
      expect(next.record.supersedes).toBe(later);
    });

    it('takes the claim when the earlier filing leaves the pool first, and is then included plainly', async () => {
      const { filingId: earlier } = await submit(env, 430, { role: 'specialist' });
      await include(earlier);
      const { filingId: later } = await submit(env, 430, { role: 'director' });
      await env.repo.transition({
        filingId: earlier,
        expected: { state: 'in_pool', version: 4 },
        action: 'remove',
        actor: { role: 'applicant' },
        at: AT,
        reason: '已离岗',
      });
      // The person is not free: the later filing holds the claim now.
      const other = await submit(env, 430, { role: 'specialist' }).catch((e: unknown) => e);
      expect((other as ConflictError).code).toBe('duplicate_person');
      await include(later);
      expect((await env.repo.get(earlier)).state).toBe('removed');
      expect((await env.repo.get(later)).state).toBe('in_pool');
      expect(await counters(env)).toEqual(await recount(env));
    });

    it('leaves the member untouched when it ends without inclusion', async () => {
      const { filingId: earlier } = await submit(env, 440, { role: 'specialist' });
      await include(earlier);
      const { filingId: later } = await submit(env, 440, { role: 'director' });
      await act(env, later, 'submitted', 1, 'withdraw');
      expect((await env.repo.get(earlier)).state).toBe('in_pool');
      // Its place as successor is free again.
      const again = await submit(env, 440, { role: 'director' });
      expect(again.record.supersedes).toBe(earlier);
    });

    it('supersedes on a move to another enterprise of the same unit and role (one counter item, changed once)', async () => {
      const { filingId: earlier } = await submit(env, 460, { role: 'director' });
      await include(earlier);
      const moved = parseFiling({
        ...validFiling({ n: 460, role: 'director' }),
        enterprise: { ...validFiling({ n: 460 }).enterprise, uscc: usccFor(461) },
      });
      const later = newId();
      const record = await env.repo.create({
        filingId: later,
        programId: 'liaoning-cso',
        filing: moved,
        warnings: [],
        actor: { role: 'applicant' },
        at: AT,
      });
      expect(record.supersedes).toBe(earlier);
      await include(later);
      expect((await env.repo.get(earlier)).state).toBe('superseded');
      expect((await env.repo.get(later)).state).toBe('in_pool');
      expect(await counters(env)).toEqual(await recount(env));
    });

    it('refuses to wait behind a filing that is not in the pool yet', async () => {
      await submit(env, 450, { role: 'specialist' });
      const error = await submit(env, 450, { role: 'director' }).catch((e: unknown) => e);
      expect((error as ConflictError).code).toBe('duplicate_person');
    });
  });

  it('refuses two concurrent filings of one person: one wins', async () => {
    const results = await Promise.allSettled([submit(env, 410), submit(env, 410), submit(env, 410)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await counters(env)).toEqual(await recount(env));
  });

  it('replaces the body on resubmission and moves the count when the unit changes', async () => {
    const { filingId } = await submit(env, 500);
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await act(env, filingId, 'city_review', 2, 'request_changes');
    const amended = parseFiling(validFiling({ n: 500, unit: '210200' }));
    const event = await env.repo.transition({
      filingId,
      expected: { state: 'changes_requested', version: 3 },
      action: 'resubmit',
      actor: { role: 'applicant' },
      at: AT,
      amended: { filing: amended, warnings: [] },
    });
    expect(event.unit).toBe('210200');
    const record = await env.repo.get(filingId);
    expect(record.filing.enterprise.reportingUnit).toBe('210200');
    expect(record.state).toBe('city_review');
    expect(await counters(env)).toEqual(await recount(env));
  });

  it('moves the person claim when an amendment corrects the ID number', async () => {
    const { filingId } = await submit(env, 510);
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await act(env, filingId, 'city_review', 2, 'request_changes');
    const corrected = validFiling({ n: 511 });
    const amended = parseFiling(corrected);
    await env.repo.transition({
      filingId,
      expected: { state: 'changes_requested', version: 3 },
      action: 'resubmit',
      actor: { role: 'applicant' },
      at: AT,
      amended: { filing: amended, warnings: [] },
    });
    expect(await env.repo.revealIdNumber(filingId)).toBe(idNumberFor(511).idNumber);
    // The old number is free again; the new one is taken.
    await expect(submit(env, 511)).rejects.toBeInstanceOf(ConflictError);
    expect((await submit(env, 510)).record.state).toBe('submitted');
  });

  describe('the enterprise index', () => {
    /** A filing of person n in the enterprise with this credit code. */
    async function submitIn(uscc: string, n: number, role: string) {
      const filingId = newId();
      const filing = parseFiling({
        ...validFiling({ n, role }),
        enterprise: { ...validFiling({ n }).enterprise, uscc },
      });
      await env.repo.create({
        filingId,
        programId: 'liaoning-cso',
        filing,
        warnings: [],
        actor: { role: 'applicant' },
        at: AT,
      });
      return filingId;
    }

    it('counts an enterprise’s active filings per role, leaving out the one asked to', async () => {
      const uscc = validFiling({ n: 600 }).enterprise.uscc;
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({});
      const cso = await submitIn(uscc, 600, 'cso');
      await submitIn(uscc, 601, 'specialist');
      await submitIn(uscc, 602, 'specialist');
      await submitIn(validFiling({ n: 603 }).enterprise.uscc, 603, 'cso');
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({ cso: 1, specialist: 2 });
      expect(await env.repo.activeByRole('liaoning-cso', uscc, cso)).toEqual({ specialist: 2 });
      expect(await env.repo.activeByRole('anhui-std-director', uscc)).toEqual({});
      // A filing that ends leaves the index in the same transaction.
      await act(env, cso, 'submitted', 1, 'withdraw');
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({ specialist: 2 });
    });

    it('keeps a pool member counted until a later filing supersedes it', async () => {
      const uscc = validFiling({ n: 610 }).enterprise.uscc;
      const earlier = await submitIn(uscc, 610, 'specialist');
      await include(earlier);
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({ specialist: 1 });
      const later = await submitIn(uscc, 610, 'director');
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({ specialist: 1, director: 1 });
      await include(later);
      expect((await env.repo.get(earlier)).state).toBe('superseded');
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({ director: 1 });
    });

    it('moves the filing when an amendment corrects the credit code', async () => {
      const uscc = validFiling({ n: 620 }).enterprise.uscc;
      const corrected = validFiling({ n: 621 }).enterprise.uscc;
      const filingId = await submitIn(uscc, 620, 'director');
      await act(env, filingId, 'submitted', 1, 'start_city_review');
      await act(env, filingId, 'city_review', 2, 'request_changes');
      const amended = parseFiling({
        ...validFiling({ n: 620, role: 'director' }),
        enterprise: { ...validFiling({ n: 620 }).enterprise, uscc: corrected },
      });
      await env.repo.transition({
        filingId,
        expected: { state: 'changes_requested', version: 3 },
        action: 'resubmit',
        actor: { role: 'applicant' },
        at: AT,
        amended: { filing: amended, warnings: [] },
      });
      expect(await env.repo.activeByRole('liaoning-cso', uscc)).toEqual({});
      expect(await env.repo.activeByRole('liaoning-cso', corrected)).toEqual({ director: 1 });
    });
  });

  it('answers NotFound for an unknown filing', async () => {
    await expect(env.repo.get('NOPE')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(env.repo.history('NOPE')).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('counters equal a recount after random transitions', () => {
  it('holds for random sequences (property)', async () => {
    const env = await freshTable();
    const units = ['210100', '210200', '21-SF'];
    const roles = ['cso', 'director', 'specialist'];
    let n = 10_000;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            unit: fc.constantFrom(...units),
            role: fc.constantFrom(...roles),
            steps: fc.array(fc.nat(20), { maxLength: 5 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (filings) => {
          for (const spec of filings) {
            const { filingId } = await submit(env, n++, { unit: spec.unit, role: spec.role });
            let state: FilingState = 'submitted';
            let version = 1;
            for (const pick of spec.steps) {
              const options = (['applicant', 'city', 'province', 'system'] as Actor[]).flatMap((a) =>
                allowedActions(state, a).filter((x) => x !== 'resubmit' || a === 'applicant'),
              );
              const action = options[pick % Math.max(1, options.length)];
              if (!action) break;
              state = (await act(env, filingId, state, version, action)).to;
              version++;
            }
          }
          const actual = await counters(env);
          const expected = await recount(env);
          expect(actual).toEqual(expected);
          // Only active filings hold a person claim.
          const items = await scanAll(env.doc, env.tableName);
          const active = new Map<string, Record<string, unknown>>();
          for (const e of items.filter((i) => i.type === 'FilingEvent')) {
            const prev = active.get(String(e.filingId));
            if (!prev || Number(prev.version) < Number(e.version)) active.set(String(e.filingId), e);
          }
          const activeCount = [...active.values()].filter((e) => isActive(e.to as FilingState)).length;
          expect(items.filter((i) => i.type === 'Person')).toHaveLength(activeCount);
          // And exactly the active filings are in their enterprises' index, under their role.
          const indexed = items
            .filter((i) => i.type === 'EnterpriseFiling')
            .map((i) => `${String(i.filingId)}#${String(i.role)}`)
            .sort();
          const activeFilings = [...active.values()]
            .filter((e) => isActive(e.to as FilingState))
            .map((e) => `${String(e.filingId)}#${String(e.role)}`)
            .sort();
          expect(indexed).toEqual(activeFilings);
        },
      ),
      { numRuns: 15 },
    );
  });
});
