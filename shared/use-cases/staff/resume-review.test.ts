// Restarting a failed review, with plain fakes: who may, when there is something to restart,
// where the restarted workflow waits (stage and round from the filing), and that repeats and
// races start one execution.
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { toStoredFiling } from '../../data/filing-body-item.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
} from '../../domain/errors.ts';
import { parseFiling } from '../../domain/filing.ts';
import type { Action, FilingState } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import type {
  FilingEvent,
  FilingRecord,
  FilingRepository,
  ReviewResume,
  WorkflowFailure,
} from '../../ports/filings.ts';
import type { AccessEntry } from '../../ports/staff.ts';
import type { FilingWorkflow } from '../../ports/workflow.ts';
import { amendmentWait, provinceWait } from '../workflow/plan.ts';
import { resumeReview } from './resume-review.ts';

const P = 'liaoning-cso';
const ID = 'F0000000000001';
const NOW = new Date('2026-03-02T03:00:00.000Z');
const FAILED_AT = '2026-03-01T10:00:00.000Z';
const REASON = '邮件服务故障已修复 mail relay fixed';

const province: StaffPrincipal = { subject: 'p-1', scopes: [{ role: 'province', programId: P }] };

/** Only what the restart reads and writes; the other methods are not called. */
class FakeRepo
  implements Pick<FilingRepository, 'get' | 'history' | 'failures' | 'resumes' | 'recordResume'>
{
  record: FilingRecord | undefined;
  events: FilingEvent[] = [];
  failureList: WorkflowFailure[] = [];
  resumeList: ReviewResume[] = [];
  access: AccessEntry[] = [];
  /** Run once before the next resume is stored (another member of staff wins the race). */
  race: (() => void) | undefined;

  constructor(state: FilingState, actions: Action[] = []) {
    const filing = toStoredFiling(parseFiling(validFiling({ n: 41_001, unit: '210100' })));
    this.events = ['submit', ...actions].map((action, i) => ({
      filingId: ID,
      version: i + 1,
      action: action as Action,
      actor: { role: 'system' },
      from: null,
      to: state,
      at: '2026-03-01T00:00:00.000Z',
      programId: P,
      unit: '210100',
      role: 'cso',
    }));
    this.record = {
      filingId: ID,
      programId: P,
      createdAt: '2026-03-01T00:00:00.000Z',
      filing,
      warnings: [],
      state,
      version: this.events.length,
      lastEvent: this.events.at(-1) as FilingEvent,
    };
  }
  async get() {
    if (!this.record) throw new NotFoundError('filing record');
    return structuredClone(this.record);
  }
  async history() {
    return structuredClone(this.events);
  }
  async failures() {
    return structuredClone(this.failureList);
  }
  async resumes() {
    return structuredClone(this.resumeList);
  }
  async recordResume(_filingId: string, resume: ReviewResume, access: AccessEntry) {
    const race = this.race;
    this.race = undefined;
    race?.();
    if (this.resumeList.some((r) => r.n === resume.n)) throw new ConcurrentModificationError('review resume');
    this.resumeList.push(resume);
    this.access.push(access);
  }
}

class RecordingWorkflow implements Pick<FilingWorkflow, 'reviewResumed'> {
  readonly starts: { name: string; input: string }[] = [];
  async reviewResumed(start: { name: string; input: string }) {
    this.starts.push(start);
  }
}

function setup(state: FilingState, actions: Action[] = [], failed = true) {
  const repo = new FakeRepo(state, actions);
  if (failed) repo.failureList.push({ at: FAILED_AT, stage: 'city', error: 'InjectedFault', cause: '' });
  const workflow = new RecordingWorkflow();
  const deps = {
    repo: repo as unknown as FilingRepository,
    workflow: workflow as unknown as FilingWorkflow,
    now: () => NOW,
  };
  return { repo, workflow, deps };
}

const inputOf = (start: { input: string } | undefined) => JSON.parse(start?.input ?? '{}');

describe('resumeReview', () => {
  it('restarts a failed city review at StartReview, audited with the reason, as execution <id>-r1', async () => {
    const { repo, workflow, deps } = setup('city_review', ['start_city_review']);
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
    expect(repo.resumeList).toEqual([
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
    const amend = setup('changes_requested', ['start_city_review', 'request_changes']);
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
    const pool = setup('province_review', twice as Action[]);
    const answer = await resumeReview(pool.deps, province, ID, { reason: REASON });
    expect(answer).toMatchObject({ stage: 'province', round: 2 });
    expect(inputOf(pool.workflow.starts[0])).toMatchObject({
      stage: 'province',
      wait: provinceWait(program),
    });

    const submitted = setup('submitted');
    expect(await resumeReview(submitted.deps, province, ID, { reason: REASON })).toMatchObject({
      stage: 'city',
      round: 0,
    });
  });

  it('a repeat starts the same execution again and records nothing more', async () => {
    const { repo, workflow, deps } = setup('city_review', ['start_city_review']);
    await resumeReview(deps, province, ID, { reason: REASON });
    const again = await resumeReview(deps, province, ID, { reason: REASON });
    expect(again).toMatchObject({ status: 'already_resumed', execution: `${ID}-r1` });
    expect(workflow.starts.map((s) => s.name)).toEqual([`${ID}-r1`, `${ID}-r1`]);
    expect(workflow.starts[1]?.input).toBe(workflow.starts[0]?.input);
    expect(repo.resumeList).toHaveLength(1);
    expect(repo.access).toHaveLength(1);
  });

  it('a restart that failed again may be restarted once more, as -r2', async () => {
    const { repo, workflow, deps } = setup('city_review', ['start_city_review']);
    await resumeReview(deps, province, ID, { reason: REASON });
    repo.failureList.push({
      at: '2026-03-02T05:00:00.000Z',
      stage: 'city',
      error: 'InjectedFault',
      cause: '',
    });
    const answer = await resumeReview(deps, province, ID, { reason: REASON });
    expect(answer).toMatchObject({ status: 'resumed', execution: `${ID}-r2` });
    expect(repo.resumeList.map((r) => [r.n, r.failureAt])).toEqual([
      [1, FAILED_AT],
      [2, '2026-03-02T05:00:00.000Z'],
    ]);
    expect(workflow.starts.map((s) => s.name)).toEqual([`${ID}-r1`, `${ID}-r2`]);
  });

  it('two staff at once: the loser answers with the winner’s execution and starts no other', async () => {
    const { repo, workflow, deps } = setup('city_review', ['start_city_review']);
    const theirs: ReviewResume = {
      n: 1,
      at: '2026-03-02T02:59:59.000Z',
      failureAt: FAILED_AT,
      executionName: `${ID}-r1`,
      input: '{"stage":"city","round":0}',
      subject: 'p-2',
    };
    repo.race = () => repo.resumeList.push(theirs);
    const answer = await resumeReview(deps, province, ID, { reason: REASON });
    expect(answer).toEqual({
      filingId: ID,
      status: 'already_resumed',
      execution: `${ID}-r1`,
      stage: 'city',
      round: 0,
    });
    expect(workflow.starts).toEqual([{ name: theirs.executionName, input: theirs.input }]);
    expect(repo.access).toEqual([]);
  });

  it('refuses with 409 when nothing failed, or the filing is final; nothing is written or started', async () => {
    const healthy = setup('city_review', ['start_city_review'], false);
    const error = await resumeReview(healthy.deps, province, ID, { reason: REASON }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('no_failed_workflow');

    const withdrawn = setup('withdrawn', ['start_city_review', 'withdraw']);
    const ended = await resumeReview(withdrawn.deps, province, ID, { reason: REASON }).catch(
      (e: unknown) => e,
    );
    expect((ended as ConflictError).code).toBe('review_ended');
    for (const { repo, workflow } of [healthy, withdrawn]) {
      expect(repo.resumeList).toEqual([]);
      expect(repo.access).toEqual([]);
      expect(workflow.starts).toEqual([]);
    }
  });

  it('Anhui (no province stage): restarts a city review, and finds nothing to resume once registered', async () => {
    const anhui: StaffPrincipal = {
      subject: 'p-2',
      scopes: [{ role: 'province', programId: 'anhui-std-director' }],
    };
    const asAnhui = ({ repo }: ReturnType<typeof setup>) => {
      if (!repo.record) return;
      repo.record.programId = 'anhui-std-director';
      repo.record.filing = toStoredFiling(
        parseFiling(validFiling({ n: 41_002, unit: '340100', role: 'director', region: '340100' })),
      );
    };
    const city = setup('city_review', ['start_city_review']);
    asAnhui(city);
    expect(await resumeReview(city.deps, anhui, ID, { reason: REASON })).toMatchObject({
      status: 'resumed',
      stage: 'city',
    });
    expect(inputOf(city.workflow.starts[0])).toMatchObject({
      programId: 'anhui-std-director',
      stage: 'city',
    });

    const registered = setup('registered', ['start_city_review', 'register']);
    asAnhui(registered);
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
      const { repo, workflow, deps } = setup('city_review', ['start_city_review']);
      await expect(resumeReview(deps, caller, ID, { reason: REASON })).rejects.toBeInstanceOf(ForbiddenError);
      expect(repo.resumeList).toEqual([]);
      expect(workflow.starts).toEqual([]);
    }
    const missing = setup('city_review');
    missing.repo.record = undefined;
    const error = await resumeReview(missing.deps, province, ID, { reason: REASON }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).resource).toBe('filing');
  });
});
