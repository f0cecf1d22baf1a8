import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import type { YearPlan } from '../../domain/plans.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import type { CounterRecord } from '../../ports/counters.ts';
import type { LatestEvent } from '../../ports/dashboard.ts';
import type { UnitReturn } from '../../ports/returns.ts';
import { type DashboardDeps, DashboardSchema, MAX_EXAMINED, staffDashboard } from './dashboard.ts';

const P = 'liaoning-cso';
const NOW = new Date('2026-12-07T02:00:00Z'); // 10:00 in Beijing
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

const province: StaffPrincipal = { subject: 'p', scopes: [{ role: 'province', programId: P }] };
const auditor: StaffPrincipal = { subject: 'a', scopes: [{ role: 'auditor', programId: P }] };
const shenyang: StaffPrincipal = { subject: 'c', scopes: [{ role: 'city', programId: P, unit: '210100' }] };

interface Filing {
  id: string;
  event?: LatestEvent;
  failures?: number;
  resumes?: number;
}

function record(
  year: string,
  unit: string,
  role: string,
  net: Partial<Record<FilingState, number>>,
  entries: CounterRecord['entries'] = {},
): CounterRecord {
  return { year, unit, role, net, entries };
}

function fakes(options: {
  records: CounterRecord[];
  /** Newest first, per unit. */
  filings?: Record<string, Filing[]>;
  awaiting?: Record<string, number>;
  plan?: YearPlan['units'];
  returns?: { year: string; units: Partial<UnitReturn>[] };
}) {
  const reads = { events: 0, pages: [] as string[], failures: 0, awaiting: [] as string[] };
  const byId = new Map(Object.values(options.filings ?? {}).flatMap((list) => list.map((f) => [f.id, f])));
  const deps: DashboardDeps = {
    counters: { countersUpTo: async (_p, upTo) => options.records.filter((r) => r.year <= upTo) },
    plans: {
      get: async (programId, year) => ({
        programId,
        year,
        units: options.plan ?? [],
        setAt: options.plan ? '2026-01-10T00:00:00Z' : null,
        setBy: options.plan ? 'p' : null,
      }),
    },
    queries: {
      async unitFilings({ unit, limit, cursor }) {
        reads.pages.push(unit);
        const list = options.filings?.[unit] ?? [];
        const from = cursor ? Number(cursor) : 0;
        const filingIds = list.slice(from, from + limit).map((f) => f.id);
        return { filingIds, ...(from + limit < list.length ? { next: String(from + limit) } : {}) };
      },
    },
    reads: {
      async latestEvent(id) {
        reads.events += 1;
        return byId.get(id)?.event;
      },
      async failureCounts(id) {
        reads.failures += 1;
        const f = byId.get(id);
        return { failures: f?.failures ?? 0, resumes: f?.resumes ?? 0 };
      },
      async awaitingBatch(_p, unit) {
        reads.awaiting.push(unit);
        return options.awaiting?.[unit] ?? 0;
      },
    },
    returns: {
      getProgram: async (programId, year) =>
        options.returns?.year === year
          ? { programId, year, status: 'open', startedAt: '2026-11-01T00:00:00Z' }
          : undefined,
      getUnit: async (_p, year, unit) =>
        options.returns?.year === year
          ? (options.returns.units.find((u) => u.unit === unit) as UnitReturn | undefined)
          : undefined,
      listUnits: async (_p, year) =>
        options.returns?.year === year ? (options.returns.units as UnitReturn[]) : [],
    },
    now: () => NOW,
  };
  return { deps, reads };
}

const review = (at: string, action: LatestEvent['action'] = 'start_city_review'): LatestEvent => ({
  state: 'city_review',
  action,
  at,
});
const member = (at = ago(200)): LatestEvent => ({ state: 'in_pool', action: 'include', at });

describe('staffDashboard', () => {
  it('counts the work waiting per unit from the counters, the batch index and the open filings’ latest events', async () => {
    const { deps } = fakes({
      records: [
        record('2026', '210100', 'cso', {
          city_review: 3,
          province_review: 3,
          changes_requested: 1,
          submitted: 1,
        }),
        record('2026', '210200', 'cso', { city_review: 1 }),
      ],
      filings: {
        '210100': [
          { id: 'new', event: review(ago(1)) }, // day 1: before the first reminder
          { id: 'late', event: review(ago(4)) }, // past day 3
          { id: 'escalated', event: review(ago(15), 'escalate') },
          { id: 'amend', event: { state: 'changes_requested', action: 'request_changes', at: ago(2) } },
          { id: 'pr1', event: { state: 'province_review', action: 'approve', at: ago(9) }, failures: 1 },
          {
            id: 'pr2',
            event: { state: 'province_review', action: 'approve', at: ago(9) },
            failures: 1,
            resumes: 1,
          },
          { id: 'pr3', event: { state: 'province_review', action: 'approve', at: ago(9) } },
          { id: 'sub', event: { state: 'submitted', action: 'submit', at: ago(0) } },
        ],
        '210200': [{ id: 'd1', event: review(ago(3)), failures: 2, resumes: 1 }],
      },
      awaiting: { '210100': 1 },
    });
    const d = await staffDashboard(deps, province, { programId: P });
    expect(DashboardSchema.safeParse(d).success).toBe(true);
    expect(d.scope).toBe('programme');
    const sy = d.units.find((u) => u.unit === '210100');
    expect(sy?.waiting).toEqual({
      submitted: 1,
      cityReview: 3,
      pastReminder: 2,
      escalated: 1,
      changesRequested: 1,
      provinceReview: 3,
      awaitingBatch: 1,
      inBatch: 2,
      failed: 1,
      returnsNotReceived: null,
    });
    expect(sy?.complete).toBe(true);
    // Day 3 exactly is past the first reminder (Liaoning: days 3 and 7).
    expect(d.units.find((u) => u.unit === '210200')?.waiting).toMatchObject({ pastReminder: 1, failed: 1 });
    expect(d.totals).toMatchObject({ cityReview: 4, pastReminder: 3, failed: 2, inBatch: 2 });
    expect(d.reminder.firstDay).toBe(3);
  });

  it('reads a unit’s filings only while open ones the counters count are still unmet, and none where nothing is open', async () => {
    const open = Array.from({ length: 2 }, (_, i) => ({ id: `o${i}`, event: review(ago(1)) }));
    const members = Array.from({ length: 300 }, (_, i) => ({ id: `m${i}`, event: member() }));
    const { deps, reads } = fakes({
      records: [record('2026', '210100', 'cso', { city_review: 2, in_pool: 300 })],
      filings: { '210100': [...open, ...members], '210200': [{ id: 'x', event: member() }] },
    });
    const d = await staffDashboard(deps, province, { programId: P });
    expect(d.units.find((u) => u.unit === '210100')?.complete).toBe(true);
    // One chunk of ten latest events met both open filings; Dalian, with nothing open, was not read.
    expect(reads.events).toBe(10);
    expect(reads.pages).toEqual(['210100']);
    expect(reads.failures).toBe(2);
    // No province review counted: the batch index is not read.
    expect(reads.awaiting).toEqual([]);
  });

  it('stops after MAX_EXAMINED filings of a unit and says the counts are lower bounds', async () => {
    const members = Array.from({ length: MAX_EXAMINED + 200 }, (_, i) => ({ id: `m${i}`, event: member() }));
    const { deps, reads } = fakes({
      records: [record('2026', '210100', 'cso', { city_review: 1, in_pool: MAX_EXAMINED + 200 })],
      filings: { '210100': [...members, { id: 'old', event: review(ago(30)) }] },
    });
    const d = await staffDashboard(deps, shenyang, { programId: P });
    expect(reads.events).toBe(MAX_EXAMINED);
    expect(d.units[0]?.complete).toBe(false);
    expect(d.units[0]?.waiting.pastReminder).toBe(0);
  });

  it('gives city staff their own unit only, without the province’s target', async () => {
    const { deps, reads } = fakes({
      records: [
        record('2026', '210100', 'cso', { city_review: 1 }),
        record('2026', '210200', 'cso', { city_review: 5, in_pool: 40 }, { '03': { in_pool: 40 } }),
      ],
      filings: {
        '210100': [{ id: 'a', event: review(ago(5)) }],
        '210200': [{ id: 'b', event: review(ago(5)) }],
      },
    });
    const d = await staffDashboard(deps, shenyang, { programId: P });
    expect(d.scope).toBe('unit');
    expect(d.units.map((u) => u.unit)).toEqual(['210100']);
    expect(d.target).toBeNull();
    expect(d.pool).toBe(0);
    expect(d.totals.cityReview).toBe(1);
    expect(reads.pages).toEqual(['210100']);
    expect(JSON.stringify(d)).not.toContain('210200');
    expect(d.trend.every((p) => p.members === 0)).toBe(true);
  });

  it('shows province staff and auditors the target, and refuses anyone without a scope in the programme', async () => {
    const { deps } = fakes({ records: [] });
    const d = await staffDashboard(deps, auditor, { programId: P });
    expect(d.target?.minPoolSize).toBe(800);
    expect(d.units.map((u) => u.unit)).toEqual(getProgram(P).reportingUnits.map((u) => u.code));
    const other: StaffPrincipal = {
      subject: 'x',
      scopes: [{ role: 'province', programId: 'anhui-std-director' }],
    };
    await expect(staffDashboard(deps, other, { programId: P })).rejects.toThrow(ForbiddenError);
    await expect(staffDashboard(deps, province, { programId: 'nowhere' })).rejects.toThrow(NotFoundError);
  });

  it('sets members against each unit’s plan, by role, and draws the unit’s months from its start of the year', async () => {
    const { deps } = fakes({
      records: [
        record('2025', '210100', 'cso', { in_pool: 10 }, { '06': { in_pool: 10 } }),
        record(
          '2026',
          '210100',
          'cso',
          { in_pool: 3, removed: 1 },
          { '02': { in_pool: 2 }, '05': { in_pool: 2, removed: 1 } },
        ),
        record('2026', '210100', 'director', { in_pool: 1 }, { '05': { in_pool: 1 } }),
      ],
      plan: [{ unit: '210100', people: { cso: 20, director: 5 } }],
    });
    const d = await staffDashboard(deps, shenyang, { programId: P });
    const unit = d.units[0];
    expect(unit).toMatchObject({ members: 14, planned: 25, plannedMembers: 14 });
    expect(unit?.roles.find((r) => r.role === 'cso')).toMatchObject({ members: 13, planned: 20 });
    expect(unit?.roles.find((r) => r.role === 'specialist')).toMatchObject({ members: 0, planned: null });
    expect(d.plan).toEqual({ year: '2026', setAt: '2026-01-10T00:00:00Z' });
    expect(d.trend.map((p) => p.members)).toEqual([10, 12, 12, 12, 14, 14, 14, 14, 14, 14, 14, 14]);
    expect(d.trend[0]?.month).toBe('2026-01');
  });

  it('counts the enterprises that have not sent the year’s annual return, per unit', async () => {
    const { deps } = fakes({
      records: [],
      returns: {
        year: '2026',
        units: [
          { unit: '210100', enterprises: 12, answered: 9 },
          { unit: '210200', enterprises: 4, answered: 4 },
        ],
      },
    });
    const d = await staffDashboard(deps, province, { programId: P });
    expect(d.returns).toEqual({ year: '2026', status: 'open' });
    expect(d.units.find((u) => u.unit === '210100')?.waiting.returnsNotReceived).toBe(3);
    expect(d.units.find((u) => u.unit === '210200')?.waiting.returnsNotReceived).toBe(0);
    expect(d.units.find((u) => u.unit === '210300')?.waiting.returnsNotReceived).toBeNull();
    expect(d.totals.returnsNotReceived).toBe(3);
    const city = await staffDashboard(deps, shenyang, { programId: P });
    expect(city.totals.returnsNotReceived).toBe(3);
  });
});
