// The annual assessment's steps against an in-memory store and a version-locked fake
// repository: the batch holds only pool members, in pages; grades are applied through the
// lifecycle once, whatever the retries and races; expiry, and the parent told when the last
// unit ends.
import { describe, expect, it } from 'vitest';
import {
  initialAnnualState,
  initialUnitState,
  type UnitAssessmentState,
} from '#workflows/assessment-state.ts';
import { validFiling } from '../../../test/support/fixtures.ts';
import { toStoredFiling } from '../../data/filing-body-item.ts';
import { ConcurrentModificationError, ConflictError } from '../../domain/errors.ts';
import { parseFiling } from '../../domain/filing.ts';
import { type FilingState, transition } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { FilingEvent, FilingRecord, FilingRepository, TransitionCommand } from '../../ports/filings.ts';
import { memoryAssessmentStore } from './memory-store.ts';
import { gradingSegments } from './plan.ts';
import type { AssessmentNotifier, GradingNotice } from './ports.ts';
import { assessmentSteps, isThisAssessment, mapLimit } from './steps.ts';

const P = 'liaoning-cso';
const Y = '2026';
const U = '210100';
const liaoning = getProgram(P);

class FakeRepo implements FilingRepository {
  async claimSubmission(): Promise<never> {
    throw new Error('not used here: only keyed submissions claim');
  }
  async releaseSubmission(): Promise<never> {
    throw new Error('not used here: only keyed submissions claim');
  }
  readonly records = new Map<string, FilingRecord>();
  readonly transitions: TransitionCommand[] = [];
  /** Run once before a filing's next transition is stored (to lose a race). */
  readonly races = new Map<string, () => void>();

  add(filingId: string, state: FilingState, n: number): void {
    const filing = toStoredFiling(parseFiling(validFiling({ n, unit: U })));
    const event: FilingEvent = {
      filingId,
      version: 3,
      action: 'include',
      actor: { role: 'province' },
      from: 'province_review',
      to: state,
      at: '2025-01-01T00:00:00Z',
      programId: P,
      unit: U,
      role: 'cso',
    };
    this.records.set(filingId, {
      filingId,
      programId: P,
      createdAt: '2025-01-01T00:00:00Z',
      filing,
      warnings: [],
      state,
      version: 3,
      lastEvent: event,
    });
  }

  async get(filingId: string) {
    const record = this.records.get(filingId);
    if (!record) throw new Error(`no filing ${filingId}`);
    return structuredClone(record);
  }

  async transition(command: TransitionCommand) {
    const race = this.races.get(command.filingId);
    this.races.delete(command.filingId);
    race?.();
    const record = this.records.get(command.filingId);
    if (!record || record.version !== command.expected.version || record.state !== command.expected.state) {
      throw new ConcurrentModificationError('filing');
    }
    const to = transition(record.state, command.action, command.actor.role);
    this.transitions.push(command);
    const event: FilingEvent = {
      filingId: command.filingId,
      version: record.version + 1,
      action: command.action,
      actor: command.actor,
      from: record.state,
      to,
      at: command.at,
      programId: P,
      unit: U,
      role: 'cso',
      ...(command.reason ? { reason: command.reason } : {}),
      ...(command.detail ? { detail: command.detail } : {}),
    };
    Object.assign(record, { state: to, version: event.version, lastEvent: event });
    return event;
  }

  async create(): Promise<FilingRecord> {
    throw new Error('not used');
  }
  async history(): Promise<FilingEvent[]> {
    return [];
  }
  async revealIdNumber(): Promise<string> {
    throw new Error('not used');
  }
  async recordFailure() {}
  async failures() {
    return [];
  }
  async resumes() {
    return [];
  }
  async recordResume(): Promise<void> {
    throw new Error('not used');
  }
}

function setup(ids: { id: string; state: FilingState }[] = [], pageSize = 2) {
  const repo = new FakeRepo();
  ids.forEach(({ id, state }, i) => {
    repo.add(id, state, 90_000 + i);
  });
  const store = memoryAssessmentStore({
    poolUnits: { [P]: [U, '210200'] },
    unitFilings: { [`${P}#${U}`]: ids.map((x) => x.id) },
  });
  const notices: GradingNotice[] = [];
  const failures: { unit?: string; error: string }[] = [];
  const summaries: unknown[] = [];
  const notifier: AssessmentNotifier = {
    grading: async (n) => {
      notices.push(n);
    },
    summary: async (n) => {
      summaries.push(n.summary);
    },
    failure: async (n) => {
      failures.push(n);
    },
  };
  const succeeded: { token: string; output: unknown }[] = [];
  const started: string[] = [];
  const steps = assessmentSteps({
    repo,
    store,
    notifier,
    starter: {
      startProgram: async () => ({ execution: 'x', alreadyStarted: false }),
      startUnit: async (_p, _y, unit) => {
        started.push(unit);
      },
    },
    tasks: {
      succeed: async (token, output) => {
        succeeded.push({ token, output });
      },
      fail: async () => {},
    },
    apiBaseUrl: 'https://api.example.cn',
    pageSize,
    now: () => new Date('2026-11-01T00:00:00Z'),
  });
  return { repo, store, notices, failures, summaries, succeeded, started, steps };
}

const members = [
  { id: 'F0000000000001', state: 'in_pool' as const },
  { id: 'F0000000000002', state: 'in_pool' as const },
  { id: 'F0000000000003', state: 'rejected' as const },
  { id: 'F0000000000004', state: 'in_pool' as const },
];

async function openedUnit(ctx: ReturnType<typeof setup>): Promise<UnitAssessmentState> {
  const state = await ctx.steps.openUnit(initialUnitState(P, Y, U));
  await ctx.steps.openGrading(state, 'token-1');
  return state;
}

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, x));
      running--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe('opening a unit', () => {
  it('freezes only pool members into pages of the page size, masked', async () => {
    const ctx = setup(members);
    const state = await ctx.steps.openUnit(initialUnitState(P, Y, U));
    expect(state).toMatchObject({ pages: 2, applied: 0, attempt: 0, wait: gradingSegments(liaoning)[0] });
    const [p1, p2] = [await ctx.store.getPage(P, Y, U, 1), await ctx.store.getPage(P, Y, U, 2)];
    expect(p1?.members.map((m) => m.filingId)).toEqual(['F0000000000001', 'F0000000000002']);
    expect(p2?.members.map((m) => m.filingId)).toEqual(['F0000000000004']);
    expect(p1?.members[0]).toMatchObject({ name: '张*', role: 'cso' });
    expect(await ctx.store.getUnit(P, Y, U)).toMatchObject({ members: 3, pageCount: 2, status: 'open' });
  });

  it('keeps the first batch on a retry, even if the pool changed meanwhile', async () => {
    const ctx = setup(members);
    await ctx.steps.openUnit(initialUnitState(P, Y, U));
    ctx.repo.add('F0000000000009', 'in_pool', 99);
    const again = await ctx.steps.openUnit(initialUnitState(P, Y, U));
    expect(again.pages).toBe(2);
    expect((await ctx.store.getUnit(P, Y, U))?.members).toBe(3);
  });

  it('has nothing to wait for when the unit has no pool members', async () => {
    const ctx = setup([{ id: 'F0000000000003', state: 'withdrawn' }]);
    const state = await ctx.steps.openUnit(initialUnitState(P, Y, U));
    expect(state.pages).toBe(0);
    await ctx.steps.recordUnit(state);
    expect((await ctx.store.getUnit(P, Y, U))?.status).toBe('done');
  });
});

describe('the grading wait', () => {
  it('mails one link per city reviewer, bound to the unit, expiring with the last segment', async () => {
    const ctx = setup(members);
    await openedUnit(ctx);
    expect(ctx.notices).toHaveLength(1);
    const [notice] = ctx.notices;
    expect(notice).toMatchObject({ kind: 'notify', unit: U, members: 3, pages: 2 });
    expect(notice?.links[0]).toMatch(/^https:\/\/api\.example\.cn\/assessment\/[A-Za-z0-9_-]{43}$/);
    const [link] = [...ctx.store.links.values()];
    expect(link).toMatchObject({
      unit: U,
      year: Y,
      stage: 'assessment',
      reviewer: { role: 'city', unit: U },
    });
    // 21 + 21 days from the notice.
    expect(link?.expiresAt).toBe('2026-12-13T00:00:00.000Z');
    expect((await ctx.store.getUnit(P, Y, U))?.taskToken).toBe('token-1');
  });

  it('escalates to the province with province links, then expires the unit and says so', async () => {
    const ctx = setup(members);
    let state = await openedUnit(ctx);
    for (const kind of ['remind', 'remind', 'escalate'] as const) {
      state = await ctx.steps.nextWait(state);
      expect(state.wait.kind).toBe(kind);
      await ctx.steps.openGrading(state, `token-${kind}`);
    }
    expect(ctx.notices.at(-1)?.recipients).toEqual(liaoning.provinceReviewers);
    expect([...ctx.store.links.values()].at(-1)?.reviewer).toEqual({
      role: 'province',
      id: liaoning.provinceReviewers[0]?.email,
    });
    await expect(ctx.steps.nextWait(state)).rejects.toMatchObject({ name: 'AssessmentExpired' });
    expect(await ctx.store.getUnit(P, Y, U)).toMatchObject({ status: 'failed', error: 'AssessmentExpired' });
    // A crashed-and-retried nextWait finds the expiry it wrote and ends the same way.
    await expect(ctx.steps.nextWait(state)).rejects.toMatchObject({ name: 'AssessmentExpired' });
    await ctx.steps.recordUnitFailure({ ...state, error: { Error: 'AssessmentExpired' } });
    expect(ctx.failures).toEqual([{ programId: P, year: Y, unit: U, error: 'AssessmentExpired' }]);
    expect(ctx.repo.transitions).toEqual([]);
  });

  it('goes on instead of expiring when the last page came in as the wait ended', async () => {
    const ctx = setup(members);
    let state = await openedUnit(ctx);
    for (let i = 0; i < 3; i++) state = await ctx.steps.nextWait(state);
    await gradeAll(ctx);
    const next = await ctx.steps.nextWait(state);
    expect(next.attempt).toBe(state.attempt);
    // The re-opened wait delivers at once and mails nobody.
    const before = ctx.notices.length;
    await ctx.steps.openGrading(next, 'token-late');
    expect(ctx.succeeded.at(-1)?.token).toBe('token-late');
    expect(ctx.notices).toHaveLength(before);
  });
});

async function gradeAll(ctx: ReturnType<typeof setup>) {
  const by = { role: 'city' as const, id: 'review-210100@liaoning-cso.example.cn', unit: U };
  await ctx.store.decidePage(P, Y, U, 1, {
    grades: {
      F0000000000001: { grade: 'unqualified', reason: '未履职' },
      F0000000000002: { grade: 'excellent' },
    },
    at: '2026-11-02T00:00:00Z',
    by,
  });
  await ctx.store.decidePage(P, Y, U, 2, {
    grades: { F0000000000004: { grade: 'qualified' } },
    at: '2026-11-02T00:00:00Z',
    by,
  });
}

async function applyAll(ctx: ReturnType<typeof setup>, state: UnitAssessmentState) {
  let s = state;
  do s = await ctx.steps.applyPage(s);
  while (s.more);
  return s;
}

describe('applying the grades', () => {
  it('assesses or removes each member once, by the grader, with the grade in reason and detail', async () => {
    const ctx = setup(members);
    const state = await openedUnit(ctx);
    await gradeAll(ctx);
    const applied = await applyAll(ctx, state);
    expect(applied).toMatchObject({ applied: 2, more: false });
    expect(ctx.repo.transitions.map((t) => [t.filingId, t.action, t.reason, t.detail])).toEqual([
      [
        'F0000000000001',
        'remove',
        '年度考核 2026：不合格（未履职）',
        { assessmentYear: Y, grade: 'unqualified' },
      ],
      ['F0000000000002', 'assess', '年度考核 2026：优秀', { assessmentYear: Y, grade: 'excellent' }],
      ['F0000000000004', 'assess', '年度考核 2026：合格', { assessmentYear: Y, grade: 'qualified' }],
    ]);
    expect(ctx.repo.transitions[0]?.actor).toEqual({
      role: 'city',
      id: 'review-210100@liaoning-cso.example.cn',
      unit: U,
    });
    expect((await ctx.repo.get('F0000000000001')).state).toBe('removed');
    // Retrying every page (a crashed task) applies nothing twice.
    await applyAll(ctx, state);
    expect(ctx.repo.transitions).toHaveLength(3);
    expect((await ctx.store.getPage(P, Y, U, 1))?.outcomes).toEqual({
      F0000000000001: 'removed',
      F0000000000002: 'assessed',
    });
  });

  it('counts a lost race as done only when the winner is this same assessment', async () => {
    const ctx = setup(members);
    const state = await openedUnit(ctx);
    await gradeAll(ctx);
    const record = ctx.repo.records.get('F0000000000001') as FilingRecord;
    // The same assessment lands first (an earlier attempt whose answer was lost).
    ctx.repo.races.set('F0000000000001', () => {
      const event: FilingEvent = {
        ...record.lastEvent,
        version: record.version + 1,
        action: 'remove',
        from: 'in_pool',
        to: 'removed',
        detail: { assessmentYear: Y, grade: 'unqualified' },
      };
      Object.assign(record, { version: event.version, state: 'removed', lastEvent: event });
    });
    const first = await ctx.steps.applyPage(state);
    expect((await ctx.store.getPage(P, Y, U, 1))?.outcomes?.F0000000000001).toBe('removed');
    // Only F…02's transition is this step's own.
    expect(ctx.repo.transitions.map((t) => t.filingId)).toEqual(['F0000000000002']);
    expect(first.applied).toBe(1);
    // Something else lands first: the race is lost for real, and the step fails (to be retried).
    const other = ctx.repo.records.get('F0000000000004') as FilingRecord;
    ctx.repo.races.set('F0000000000004', () => {
      const event: FilingEvent = {
        ...other.lastEvent,
        version: other.version + 1,
        action: 'remove',
        from: 'in_pool',
        to: 'removed',
        reason: '撤回同意',
      };
      Object.assign(other, { version: event.version, state: 'removed', lastEvent: event });
    });
    await expect(ctx.steps.applyPage(first)).rejects.toBeInstanceOf(ConcurrentModificationError);
    // The retry finds the member gone from the pool: skipped, not assessed.
    const second = await ctx.steps.applyPage(first);
    expect(second.more).toBe(false);
    expect((await ctx.store.getPage(P, Y, U, 2))?.outcomes).toEqual({ F0000000000004: 'skipped' });
    await ctx.steps.recordUnit(second);
    expect((await ctx.store.getUnit(P, Y, U))?.results).toMatchObject({ members: 3, skipped: 1, removed: 1 });
  });

  it('refuses to apply a page nobody graded', async () => {
    const ctx = setup(members);
    const state = await openedUnit(ctx);
    await expect(ctx.steps.applyPage(state)).rejects.toBeInstanceOf(ConflictError);
    expect(ctx.repo.transitions).toEqual([]);
  });
});

describe('isThisAssessment', () => {
  const event = {
    action: 'assess',
    detail: { assessmentYear: Y, grade: 'qualified' },
  } as unknown as FilingEvent;
  it('matches the year and the action of the grade, not the grade itself', () => {
    expect(isThisAssessment(event, Y, { grade: 'excellent' })).toBe(true);
    expect(isThisAssessment(event, '2025', { grade: 'qualified' })).toBe(false);
    expect(isThisAssessment(event, Y, { grade: 'unqualified' })).toBe(false);
  });
});

describe('the programme year', () => {
  it('starts one batch per unit with pool members, once, and waits for them all', async () => {
    const ctx = setup(members);
    const state = await ctx.steps.startUnits(initialAnnualState(P, Y));
    expect(state.units).toBe(2);
    expect(state.wait?.timeoutSeconds).toBe((21 + 21 + 1) * 86_400);
    expect(ctx.started).toEqual([U, '210200']);
    await ctx.steps.startUnits(initialAnnualState(P, Y));
    expect((await ctx.store.getProgram(P, Y))?.units).toEqual([U, '210200']);

    await ctx.steps.awaitUnits(state, 'parent');
    expect(ctx.succeeded).toEqual([]);
    const unit = await openedUnit(ctx);
    await gradeAll(ctx);
    await ctx.steps.recordUnit(await applyAll(ctx, unit));
    expect(ctx.succeeded.filter((s) => s.token === 'parent')).toEqual([]);
    // The other unit fails before it even opened: it still counts as ended.
    await ctx.steps.recordUnitFailure({ ...initialUnitState(P, Y, '210200'), error: { Error: 'Boom' } });
    expect(ctx.succeeded.filter((s) => s.token === 'parent')).toHaveLength(1);

    await ctx.steps.closeProgram(state);
    const closed = await ctx.store.getProgram(P, Y);
    expect(closed?.status).toBe('closed');
    expect(closed?.summary?.totals).toMatchObject({ members: 3, removed: 1 });
    expect(closed?.summary?.outstanding).toEqual([
      { filingId: 'F0000000000002', name: '张*', role: 'cso', unit: U, enterprise: expect.any(String) },
    ]);
    expect(ctx.summaries).toHaveLength(1);
    // Closing again (a retry, or a start after the name expired) sends nothing more.
    await ctx.steps.closeProgram(state);
    expect(ctx.summaries).toHaveLength(1);
    expect((await ctx.steps.startUnits(initialAnnualState(P, Y))).units).toBe(0);
  });

  it('resumes at once when every unit ended before the wait opened', async () => {
    const ctx = setup([]);
    const state = await ctx.steps.startUnits(initialAnnualState(P, Y));
    for (const unit of [U, '210200']) {
      await ctx.steps.recordUnit(await ctx.steps.openUnit(initialUnitState(P, Y, unit)));
    }
    await ctx.steps.awaitUnits(state, 'late');
    expect(ctx.succeeded.map((s) => s.token)).toEqual(['late']);
  });

  it('records its own failure and alerts', async () => {
    const ctx = setup([]);
    await ctx.steps.startUnits(initialAnnualState(P, Y));
    await ctx.steps.recordProgramFailure({ ...initialAnnualState(P, Y), error: { Error: 'Boom' } });
    expect((await ctx.store.getProgram(P, Y))?.status).toBe('failed');
    expect(ctx.failures).toEqual([{ programId: P, year: Y, error: 'Boom' }]);
  });
});
