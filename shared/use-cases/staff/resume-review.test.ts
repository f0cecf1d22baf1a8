// Restarting a failed review, against the in-memory filing repository: who may, when there is
// something to restart, where the restarted workflow waits (stage and round from the filing),
// and that repeats and races start one execution.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACTOR_FOR, validFiling } from '../../../test/support/fixtures.ts';
import { MemoryFilingRepository } from '../../../test/support/memory-filing-repository.ts';
import { localHasher } from '../../data/keyed-hash.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { parseFiling } from '../../domain/filing.ts';
import { type Action, type FilingState, REASON_REQUIRED } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import type { ReviewResume } from '../../ports/filings.ts';
import type { FilingWorkflow } from '../../ports/workflow.ts';
import { amendmentWait, provinceWait } from '../workflow/plan.ts';
import { resumeReview } from './resume-review.ts';

const P = 'liaoning-cso';
const ID = 'F0000000000001';
const NOW = new Date('2026-03-02T03:00:00.000Z');
const FAILED_AT = '2026-03-01T10:00:00.000Z';
const REASON = '邮件服务故障已修复 mail relay fixed';

const province: StaffPrincipal = { subject: 'p-1', scopes: [{ role: 'province', programId: P }] };

class RecordingWorkflow implements Pick<FilingWorkflow, 'reviewResumed'> {
  readonly starts: { name: string; input: string }[] = [];
  async reviewResumed(start: { name: string; input: string }) {
    this.starts.push(start);
  }
}

/**
 * The filing ID walked through `actions` to `state` in the in-memory repository (Liaoning's
 * CSO, or Anhui's director), with a recorded workflow failure unless `failed` is false.
 */
async function setup(state: FilingState, actions: Action[] = [], failed = true, anhui = false) {
  const repo = new MemoryFilingRepository(localHasher(new Uint8Array(randomBytes(32))));
  const at = '2026-03-01T00:00:00.000Z';
  const input = anhui
    ? validFiling({ n: 41_002, unit: '340100', role: 'director', region: '340100' })
    : validFiling({ n: 41_001, unit: '210100' });
  await repo.create({
    filingId: ID,
    programId: anhui ? 'anhui-std-director' : P,
    filing: parseFiling(input),
    warnings: [],
    actor: { role: 'applicant' },
    at,
  });
  for (const action of actions) {
    const { state: from, version } = await repo.get(ID);
    await repo.transition({
      filingId: ID,
      expected: { state: from, version },
      action,
      actor: { role: ACTOR_FOR[action] },
      at,
      ...(REASON_REQUIRED.includes(action) ? { reason: '请补充材料' } : {}),
    });
  }
  expect((await repo.get(ID)).state).toBe(state);
  if (failed)
    await repo.recordFailure(ID, { at: FAILED_AT, stage: 'city', error: 'InjectedFault', cause: '' });
  const workflow = new RecordingWorkflow();
  const deps = { repo, workflow: workflow as unknown as FilingWorkflow, now: () => NOW };
  return { repo, workflow, deps };
}

const inputOf = (start: { input: string } | undefined) => JSON.parse(start?.input ?? '{}');

describe('resumeReview', () => {
  it('restarts a failed city review at StartReview, audited with the reason, as execution <id>-r1', async () => {
    const { repo, workflow, deps } = await setup('city_review', ['start_city_review']);
    const answer = await resumeReview(deps, province, ID, { reason: REASON });
    expect(answer).toEqual({
      filingId: ID,
      status: 'resumed',
      execution: `${ID}-r1`,
      stage: 'city',
      round: 0,
    });
    expect(workflow.starts.map((s) => s.name)).toEqual([`${ID}-r1`]);
    expect(inputOf(workflow.starts[0])).toEqual({
      filingId: ID,
      programId: P,
      round: 0,
      stage: 'city',
      attempt: 0,
      wait: { timeoutSeconds: 1, kind: 'notify' },
    });
    expect(await repo.resumes(ID)).toEqual([
      expect.objectContaining({ n: 1, at: NOW.toISOString(), failureAt: FAILED_AT, subject: 'p-1' }),
    ]);
    expect(repo.access).toEqual([
      expect.objectContaining({
        filingId: ID,
        unit: '210100',
        role: 'province',
        subject: 'p-1',
        what: `resume:${ID}-r1`,
        reason: REASON,
      }),
    ]);
  });

  it('waits where the filing stands: the amendment or the province, in the round of the amendments sent', async () => {
    const program = getProgram(P);
    const amend = await setup('changes_requested', ['start_city_review', 'request_changes']);
    await resumeReview(amend.deps, province, ID, { reason: REASON });
    expect(inputOf(amend.workflow.starts[0])).toMatchObject({
      stage: 'amend',
      round: 0,
      wait: amendmentWait(program),
    });

    const twice = [
      'start_city_review',
      'request_changes',
      'resubmit',
      'request_changes',
      'resubmit',
      'approve',
    ];
    const pool = await setup('province_review', twice as Action[]);
    const answer = await resumeReview(pool.deps, province, ID, { reason: REASON });
    expect(answer).toMatchObject({ stage: 'province', round: 2 });
    expect(inputOf(pool.workflow.starts[0])).toMatchObject({
      stage: 'province',
      wait: provinceWait(program),
    });

    const submitted = await setup('submitted');
    expect(await resumeReview(submitted.deps, province, ID, { reason: REASON })).toMatchObject({
      stage: 'city',
      round: 0,
    });
  });

  it('a repeat starts the same execution again and records nothing more', async () => {
    const { repo, workflow, deps } = await setup('city_review', ['start_city_review']);
    await resumeReview(deps, province, ID, { reason: REASON });
    const again = await resumeReview(deps, province, ID, { reason: REASON });
    expect(again).toMatchObject({ status: 'already_resumed', execution: `${ID}-r1` });
    expect(workflow.starts.map((s) => s.name)).toEqual([`${ID}-r1`, `${ID}-r1`]);
    expect(workflow.starts[1]?.input).toBe(workflow.starts[0]?.input);
    expect(await repo.resumes(ID)).toHaveLength(1);
    expect(repo.access).toHaveLength(1);
  });

  it('a restart that failed again may be restarted once more, as -r2', async () => {
    const { repo, workflow, deps } = await setup('city_review', ['start_city_review']);
    await resumeReview(deps, province, ID, { reason: REASON });
    await repo.recordFailure(ID, {
      at: '2026-03-02T05:00:00.000Z',
      stage: 'city',
      error: 'InjectedFault',
      cause: '',
    });
    const answer = await resumeReview(deps, province, ID, { reason: REASON });
    expect(answer).toMatchObject({ status: 'resumed', execution: `${ID}-r2` });
    expect((await repo.resumes(ID)).map((r) => [r.n, r.failureAt])).toEqual([
      [1, FAILED_AT],
      [2, '2026-03-02T05:00:00.000Z'],
    ]);
    expect(workflow.starts.map((s) => s.name)).toEqual([`${ID}-r1`, `${ID}-r2`]);
  });

  it('two staff at once: the loser answers with the winner’s execution and starts no other', async () => {
    const { repo, workflow, deps } = await setup('city_review', ['start_city_review']);
    const theirs: ReviewResume = {
      n: 1,
      at: '2026-03-02T02:59:59.000Z',
      failureAt: FAILED_AT,
      executionName: `${ID}-r1`,
      input: '{"stage":"city","round":0}',
      subject: 'p-2',
    };
    const theirAccess = {
      at: theirs.at,
      filingId: ID,
      programId: P,
      unit: '210100',
      subject: 'p-2',
      role: 'province' as const,
      what: `resume:${ID}-r1`,
      reason: REASON,
    };
    // Another member of staff stores the first restart just before this one does.
    const recordResume = repo.recordResume.bind(repo);
    repo.recordResume = async (filingId, resume, access) => {
      repo.recordResume = recordResume;
      await recordResume(filingId, theirs, theirAccess);
      return recordResume(filingId, resume, access);
    };
    const answer = await resumeReview(deps, province, ID, { reason: REASON });
    expect(answer).toEqual({
      filingId: ID,
      status: 'already_resumed',
      execution: `${ID}-r1`,
      stage: 'city',
      round: 0,
    });
    expect(workflow.starts).toEqual([{ name: theirs.executionName, input: theirs.input }]);
    expect(repo.access).toEqual([theirAccess]);
  });

  it('refuses with 409 when nothing failed, or the filing is final; nothing is written or started', async () => {
    const healthy = await setup('city_review', ['start_city_review'], false);
    const error = await resumeReview(healthy.deps, province, ID, { reason: REASON }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('no_failed_workflow');

    const withdrawn = await setup('withdrawn', ['start_city_review', 'withdraw']);
    const ended = await resumeReview(withdrawn.deps, province, ID, { reason: REASON }).catch(
      (e: unknown) => e,
    );
    expect((ended as ConflictError).code).toBe('review_ended');
    for (const { repo, workflow } of [healthy, withdrawn]) {
      expect(await repo.resumes(ID)).toEqual([]);
      expect(repo.access).toEqual([]);
      expect(workflow.starts).toEqual([]);
    }
  });

  it('Anhui (no province stage): restarts a city review, and finds nothing to resume once registered', async () => {
    const anhui: StaffPrincipal = {
      subject: 'p-2',
      scopes: [{ role: 'province', programId: 'anhui-std-director' }],
    };
    const city = await setup('city_review', ['start_city_review'], true, true);
    expect(await resumeReview(city.deps, anhui, ID, { reason: REASON })).toMatchObject({
      status: 'resumed',
      stage: 'city',
    });
    expect(inputOf(city.workflow.starts[0])).toMatchObject({
      programId: 'anhui-std-director',
      stage: 'city',
    });

    const registered = await setup('registered', ['start_city_review', 'register'], true, true);
    const ended = await resumeReview(registered.deps, anhui, ID, { reason: REASON }).catch((e: unknown) => e);
    expect((ended as ConflictError).code).toBe('review_ended');
    expect(registered.workflow.starts).toEqual([]);
  });

  it('only province staff of the filing’s programme may; an unknown filing is 404', async () => {
    const callers: StaffPrincipal[] = [
      { subject: 'c', scopes: [{ role: 'city', programId: P, unit: '210100' }] },
      { subject: 'a', scopes: [{ role: 'auditor', programId: P }] },
      { subject: 'o', scopes: [{ role: 'province', programId: 'anhui-std-director' }] },
    ];
    for (const caller of callers) {
      const { repo, workflow, deps } = await setup('city_review', ['start_city_review']);
      await expect(resumeReview(deps, caller, ID, { reason: REASON })).rejects.toBeInstanceOf(ForbiddenError);
      expect(await repo.resumes(ID)).toEqual([]);
      expect(workflow.starts).toEqual([]);
    }
    const missing = await setup('city_review', ['start_city_review']);
    const error = await resumeReview(missing.deps, province, 'F0000000000002', { reason: REASON }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).resource).toBe('filing');
  });
});
