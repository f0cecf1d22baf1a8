// The FilingRepository contract, run against the DynamoDB adapter (integration suite) and the
// in-memory repository the use-case tests use (unit suite), so the fake cannot drift from the
// real thing: create is idempotent by id and masks the ID number; one active filing per person,
// a pool member's filing for another role waiting to supersede it; version-locked transitions
// through the lifecycle, a retried one answered with its event; amendments; the enterprise
// index; the Idempotency-Key lease; workflow failures and review restarts.
import { describe, expect, it } from 'vitest';
import { CLAIM_LEASE_SECONDS } from '#shared/data/submission-claim-item.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { type Filing, parseFiling } from '#shared/domain/filing.ts';
import { type Action, type FilingState, REASON_REQUIRED } from '#shared/domain/lifecycle.ts';
import type { EnterpriseIndex, FilingRepository } from '#shared/ports/filings.ts';
import { ACTOR_FOR, validFiling } from './fixtures.ts';

type Repository = FilingRepository & EnterpriseIndex;

const P = 'liaoning-cso';
const AT = '2025-05-10T02:00:00.000Z';
let seq = 0;

export function filingRepositoryContract(name: string, make: () => Promise<Repository> | Repository) {
  // Each case its own people, enterprises and ids, so one table serves the whole run.
  const newId = () => `F${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();
  let n = 930_000;
  const person = (options: Parameters<typeof validFiling>[0] = {}) =>
    parseFiling(validFiling({ n: n++, ...options }));

  async function submit(repo: Repository, filing: Filing, extra: { requestHash?: string } = {}) {
    const filingId = newId();
    const record = await repo.create({
      filingId,
      programId: P,
      filing,
      warnings: [],
      actor: { role: 'applicant' },
      at: AT,
      ...extra,
    });
    return { filingId, record };
  }

  async function act(repo: Repository, filingId: string, action: Action, reason = '材料不全') {
    const { state, version } = await repo.get(filingId);
    return repo.transition({
      filingId,
      expected: { state, version },
      action,
      actor: { role: ACTOR_FOR[action], id: 'staff-1', unit: '210100' },
      at: AT,
      ...(REASON_REQUIRED.includes(action) ? { reason } : {}),
    });
  }

  async function walk(repo: Repository, filingId: string, actions: Action[]) {
    for (const action of actions) await act(repo, filingId, action);
  }

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );

  describe(`FilingRepository contract (${name})`, () => {
    it('creates a submitted filing at version 1 with its first event, the ID number masked and revealed only on request', async () => {
      const repo = await make();
      const filing = person();
      const { filingId, record } = await submit(repo, filing, { requestHash: 'hash-a' });
      expect(record).toMatchObject({
        filingId,
        requestHash: 'hash-a',
        programId: P,
        createdAt: AT,
        state: 'submitted',
        version: 1,
        warnings: [],
        lastEvent: { filingId, version: 1, action: 'submit', from: null, to: 'submitted', unit: '210100' },
      });
      expect(await repo.get(filingId)).toEqual(record);
      expect(JSON.stringify(record)).not.toContain(filing.person.idNumber);
      expect(record.filing.person.idNumberMasked).toBe(
        `${filing.person.idNumber.slice(0, 6)}********${filing.person.idNumber.slice(-4)}`,
      );
      expect(await repo.history(filingId)).toEqual([record.lastEvent]);
      expect(await repo.revealIdNumber(filingId)).toBe(filing.person.idNumber);
      // One read at a time: a second one started meanwhile would reject with nobody awaiting it.
      for (const read of [() => repo.get('F0000000000000'), () => repo.history('F0000000000000')]) {
        expect(await failure(read())).toBeInstanceOf(NotFoundError);
      }
      expect(await failure(repo.revealIdNumber('F0000000000000'))).toBeInstanceOf(NotFoundError);
    });

    it('answers a second create of the same id with the first filing, storing nothing new', async () => {
      const repo = await make();
      const filing = person();
      const { filingId, record } = await submit(repo, filing, { requestHash: 'first' });
      const again = await repo.create({
        filingId,
        programId: P,
        filing: { ...filing, person: { ...filing.person, major: '化学工程' } },
        warnings: [],
        requestHash: 'second',
        actor: { role: 'applicant' },
        at: '2025-05-11T00:00:00.000Z',
      });
      expect(again).toEqual(record);
      expect(await repo.history(filingId)).toHaveLength(1);
    });

    it('refuses a second active filing of one person, storing nothing, and takes one after withdrawal', async () => {
      const repo = await make();
      const filing = person();
      const { filingId } = await submit(repo, filing);
      const id = newId();
      const error = await failure(
        repo.create({
          filingId: id,
          programId: P,
          filing,
          warnings: [],
          actor: { role: 'applicant' },
          at: AT,
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).code).toBe('duplicate_person');
      expect(await failure(repo.get(id))).toBeInstanceOf(NotFoundError);
      await act(repo, filingId, 'withdraw');
      expect((await submit(repo, filing)).record.state).toBe('submitted');
    });

    it('walks the lifecycle, each step one event with the next version, the reason trimmed and the detail kept', async () => {
      const repo = await make();
      const { filingId } = await submit(repo, person());
      await walk(repo, filingId, ['start_city_review', 'approve']);
      const event = await repo.transition({
        filingId,
        expected: { state: 'province_review', version: 3 },
        action: 'include',
        actor: { role: 'province', id: 'p-1' },
        at: '2025-05-12T00:00:00.000Z',
        reason: '  同意纳入  ',
        detail: { batch: 'B1' },
      });
      expect(event).toEqual({
        filingId,
        version: 4,
        action: 'include',
        actor: { role: 'province', id: 'p-1' },
        from: 'province_review',
        to: 'in_pool',
        at: '2025-05-12T00:00:00.000Z',
        programId: P,
        unit: '210100',
        role: 'cso',
        reason: '同意纳入',
        detail: { batch: 'B1' },
      });
      expect((await repo.history(filingId)).map((e) => [e.version, e.action, e.to])).toEqual([
        [1, 'submit', 'submitted'],
        [2, 'start_city_review', 'city_review'],
        [3, 'approve', 'province_review'],
        [4, 'include', 'in_pool'],
      ]);
      expect(await repo.get(filingId)).toMatchObject({ state: 'in_pool', version: 4, lastEvent: event });
    });

    it('refuses a stale version, a move the lifecycle does not allow, a missing reason and an unknown filing, writing nothing', async () => {
      const repo = await make();
      const { filingId } = await submit(repo, person());
      await act(repo, filingId, 'start_city_review');
      const command = (state: FilingState, version: number, action: Action, reason?: string) => ({
        filingId,
        expected: { state, version },
        action,
        actor: { role: ACTOR_FOR[action] },
        at: AT,
        ...(reason ? { reason } : {}),
      });
      expect(await failure(repo.transition(command('submitted', 1, 'withdraw')))).toBeInstanceOf(
        ConcurrentModificationError,
      );
      expect(await failure(repo.transition(command('city_review', 2, 'include')))).toBeInstanceOf(
        InvalidTransitionError,
      );
      expect(await failure(repo.transition(command('city_review', 2, 'reject', '  ')))).toBeInstanceOf(
        ValidationError,
      );
      expect(
        await failure(
          repo.transition({ ...command('city_review', 2, 'approve'), filingId: 'F0000000000000' }),
        ),
      ).toBeInstanceOf(NotFoundError);
      expect(await repo.get(filingId)).toMatchObject({ state: 'city_review', version: 2 });
      expect(await repo.history(filingId)).toHaveLength(2);
    });

    it('answers a retried transition with the event it wrote, and another one at that version as lost', async () => {
      const repo = await make();
      const { filingId } = await submit(repo, person());
      const command = {
        filingId,
        expected: { state: 'submitted' as const, version: 1 },
        action: 'start_city_review' as const,
        actor: { role: 'system' as const },
        at: AT,
      };
      const first = await repo.transition(command);
      expect(await repo.transition(command)).toEqual(first);
      const withdraw = { ...command, action: 'withdraw' as const, actor: { role: 'applicant' as const } };
      expect(await failure(repo.transition(withdraw))).toBeInstanceOf(ConcurrentModificationError);
      expect(await repo.history(filingId)).toHaveLength(2);
    });

    it('replaces the filing and its warnings on resubmission; a corrected ID number moves the person’s place', async () => {
      const repo = await make();
      const filing = person();
      const { filingId } = await submit(repo, filing);
      await walk(repo, filingId, ['start_city_review', 'request_changes']);
      const corrected = person();
      const amended = {
        ...filing,
        person: { ...filing.person, idNumber: corrected.person.idNumber, major: '化学工程' },
      };
      const warning = { path: 'person.major', code: 'note', message: { zh: '注', en: 'note' } };
      const event = await repo.transition({
        filingId,
        expected: { state: 'changes_requested', version: 3 },
        action: 'resubmit',
        actor: { role: 'applicant' },
        at: AT,
        amended: { filing: amended, warnings: [warning] },
      });
      expect(event).toMatchObject({ version: 4, to: 'city_review' });
      const record = await repo.get(filingId);
      expect(record.filing.person.major).toBe('化学工程');
      expect(record.warnings).toEqual([warning]);
      expect(await repo.revealIdNumber(filingId)).toBe(corrected.person.idNumber);
      // The old ID number is free again; the corrected one is taken.
      expect((await submit(repo, filing)).record.state).toBe('submitted');
      const taken = await failure(submit(repo, { ...person(), person: { ...amended.person } }));
      expect((taken as ConflictError).code).toBe('duplicate_person');
      // An amended filing goes only with a resubmission.
      const other = await submit(repo, person());
      const misplaced = await failure(
        repo.transition({
          filingId: other.filingId,
          expected: { state: 'submitted', version: 1 },
          action: 'start_city_review',
          actor: { role: 'system' },
          at: AT,
          amended: { filing: amended, warnings: [] },
        }),
      );
      expect(misplaced).toBeInstanceOf(ConcurrentModificationError);
    });

    it('counts an enterprise’s active filings per role, leaving one out on request and ended ones always', async () => {
      const repo = await make();
      const cso = person();
      const uscc = cso.enterprise.uscc;
      const sameEnterprise = (role: string) => {
        const f = person({ role });
        return { ...f, enterprise: { ...f.enterprise, uscc } };
      };
      const a = await submit(repo, cso);
      const b = await submit(repo, sameEnterprise('specialist'));
      const c = await submit(repo, sameEnterprise('specialist'));
      expect(await repo.activeByRole(P, uscc)).toEqual({ cso: 1, specialist: 2 });
      expect(await repo.activeByRole(P, uscc, b.filingId)).toEqual({ cso: 1, specialist: 1 });
      await act(repo, c.filingId, 'withdraw');
      await walk(repo, a.filingId, ['start_city_review', 'approve', 'include']);
      expect(await repo.activeByRole(P, uscc)).toEqual({ cso: 1, specialist: 1 });
      expect(await repo.activeByRole('anhui-std-director', uscc)).toEqual({});
    });

    it('lets a pool member’s filing for another role wait, and supersede the earlier one on inclusion', async () => {
      const repo = await make();
      const specialist = person({ role: 'specialist' });
      const { filingId: earlier } = await submit(repo, specialist);
      // Not in the pool yet: nothing to wait behind.
      const early = await failure(submit(repo, { ...specialist, role: 'director' }));
      expect((early as ConflictError).code).toBe('duplicate_person');
      await walk(repo, earlier, ['start_city_review', 'approve', 'include']);
      const same = await failure(submit(repo, specialist));
      expect((same as ConflictError).code).toBe('duplicate_person');
      const { filingId: later, record } = await submit(repo, { ...specialist, role: 'director' });
      expect(record.supersedes).toBe(earlier);
      expect(record.warnings).toEqual([
        expect.objectContaining({ path: 'role', code: 'supersedes', message: expect.any(Object) }),
      ]);
      expect(record.warnings[0]?.message.zh).toContain(earlier);
      // One waits at a time.
      const third = await failure(submit(repo, { ...specialist, role: 'cso' }));
      expect((third as ConflictError).code).toBe('duplicate_person');
      await walk(repo, later, ['start_city_review', 'approve', 'include']);
      const superseded = await repo.get(earlier);
      expect(superseded.state).toBe('superseded');
      expect(superseded.lastEvent).toMatchObject({
        version: 5,
        action: 'supersede',
        actor: { role: 'system' },
        from: 'in_pool',
        reason: `由备案 ${later} 替代`,
        detail: { supersededBy: later },
      });
      // The later filing now holds the place.
      const next = await failure(submit(repo, { ...specialist, role: 'director' }));
      expect((next as ConflictError).code).toBe('duplicate_person');
    });

    it('gives an Idempotency-Key’s lease to one request, names the holder’s body, lets it go, and lets it lapse', async () => {
      const repo = await make();
      const id = newId();
      const at = new Date('2025-05-10T02:00:00.000Z');
      expect(await repo.claimSubmission(id, 'body-a', at)).toEqual({ claimed: true });
      expect(await repo.claimSubmission(id, 'body-b', at)).toEqual({ claimed: false, requestHash: 'body-a' });
      expect(await repo.claimSubmission(id, 'body-a', at)).toEqual({ claimed: false, requestHash: 'body-a' });
      await repo.releaseSubmission(id, 'body-b'); // not the holder: nothing changes
      expect(await repo.claimSubmission(id, 'body-b', at)).toEqual({ claimed: false, requestHash: 'body-a' });
      await repo.releaseSubmission(id, 'body-a');
      expect(await repo.claimSubmission(id, 'body-b', at)).toEqual({ claimed: true });
      const lapsed = new Date(at.getTime() + CLAIM_LEASE_SECONDS * 1000 + 1);
      expect(await repo.claimSubmission(id, 'body-c', lapsed)).toEqual({ claimed: true });
      expect(await repo.claimSubmission(id, 'body-b', lapsed)).toEqual({
        claimed: false,
        requestHash: 'body-c',
      });
    });

    it('keeps workflow failures oldest first, and one review restart per number', async () => {
      const repo = await make();
      const { filingId } = await submit(repo, person());
      expect(await repo.failures(filingId)).toEqual([]);
      expect(await repo.resumes(filingId)).toEqual([]);
      const late = { at: '2025-05-10T05:00:00.000Z', stage: 'province', error: 'States.Timeout', cause: '' };
      const early = { at: '2025-05-10T03:00:00.000Z', stage: 'city', error: 'InjectedFault', cause: 'mail' };
      await repo.recordFailure(filingId, late);
      await repo.recordFailure(filingId, early);
      expect(await repo.failures(filingId)).toEqual([early, late]);
      const resume = (k: number, subject: string) => ({
        n: k,
        at: `2025-05-11T0${k}:00:00.000Z`,
        failureAt: early.at,
        executionName: `${filingId}-r${k}`,
        input: '{"stage":"city","round":0}',
        subject,
      });
      const access = (subject: string) => ({
        at: AT,
        filingId,
        programId: P,
        unit: '210100',
        subject,
        role: 'province' as const,
        what: `resume:${filingId}-r1`,
        reason: '邮件服务已修复',
      });
      await repo.recordResume(filingId, resume(2, 'p-1'), access('p-1'));
      await repo.recordResume(filingId, resume(1, 'p-1'), access('p-1'));
      const lost = await failure(repo.recordResume(filingId, resume(1, 'p-2'), access('p-2')));
      expect(lost).toBeInstanceOf(ConcurrentModificationError);
      expect(await repo.resumes(filingId)).toEqual([resume(1, 'p-1'), resume(2, 'p-1')]);
    });
  });
}
