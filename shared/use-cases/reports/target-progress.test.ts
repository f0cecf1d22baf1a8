import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Change, noon, replayCounters } from '../../../test/support/counter-replay.ts';
import { type ModelEvent, recount } from '../../../test/support/report-recount.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { allowedActions, type FilingState, STATES, transition } from '../../domain/lifecycle.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import type { Program } from '../../domain/programs/program.ts';
import type { CounterRecord } from '../../ports/counters.ts';
import { addDays, endOfMonth, isCalendarDate, monthFromIndex, monthIndex } from './calendar.ts';
import { TargetProgressReportSchema } from './report-schema.ts';
import { targetProgress } from './target-progress.ts';

/** One filing going through these states, each reached on its date. */
function path(unit: string, role: string, steps: [FilingState, string][]): Change[] {
  let from: FilingState | null = null;
  const out: Change[] = [];
  for (const [to, date] of steps) {
    out.push({ unit, role, from, to, at: noon(date) });
    from = to;
  }
  return out;
}

const inPool = (unit: string, role: string, date: string, removedOn?: string) =>
  path(unit, role, [
    ['submitted', date],
    ['city_review', date],
    ['province_review', date],
    ['in_pool', date],
    ...(removedOn ? [['removed', removedOn] as [FilingState, string]] : []),
  ]);

/** A programme without a province stage: the city's approval registers the person. */
const registered = (unit: string, role: string, date: string, removedOn?: string) =>
  path(unit, role, [
    ['submitted', date],
    ['city_review', date],
    ['registered', date],
    ...(removedOn ? [['removed', removedOn] as [FilingState, string]] : []),
  ]);

const times = (n: number, make: (i: number) => Change[]) =>
  Array.from({ length: n }, (_, i) => make(i)).flat();

/** `n` people included in unit 210100 as CSOs in each month of a range. */
function monthly(from: string, to: string, n: number, unit = '210100'): Change[] {
  const out: Change[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) {
    out.push(...times(n, () => inPool(unit, 'cso', `${monthFromIndex(i)}-10`)));
  }
  return out;
}

async function report(
  input: Change[] | CounterRecord[],
  asOf: string,
  options: { today?: string; program?: Program } = {},
) {
  const program = options.program ?? liaoningCso;
  const records =
    input.length > 0 && 'net' in (input[0] as object)
      ? (input as CounterRecord[])
      : replayCounters(input as Change[], program.id);
  const calls: [string, string][] = [];
  const result = await targetProgress(
    {
      counters: {
        async countersUpTo(programId, upToYear) {
          calls.push([programId, upToYear]);
          return records;
        },
      },
      now: () => new Date(noon(options.today ?? '2026-06-01')),
      programs: [program],
    },
    { programId: program.id, asOf },
  );
  expect(TargetProgressReportSchema.safeParse(result).success).toBe(true);
  expect(calls).toEqual([[program.id, asOf.slice(0, 4)]]);
  return result;
}

const row = (r: Awaited<ReturnType<typeof report>>, unit: string, role: string) =>
  r.rows.find((x) => x.unit === unit && x.role === role)?.counts;

describe('targetProgress: counts', () => {
  const data = [
    ...times(3, (i) => inPool('210100', 'cso', '2025-02-10', i === 0 ? '2025-03-05' : undefined)),
    ...path('210100', 'director', [['submitted', '2025-03-01']]),
    ...path('210100', 'director', [
      ['submitted', '2025-03-01'],
      ['city_review', '2025-03-02'],
    ]),
    ...path('210100', 'director', [
      ['submitted', '2025-03-01'],
      ['city_review', '2025-03-02'],
      ['changes_requested', '2025-03-03'],
    ]),
    ...path('210100', 'director', [
      ['submitted', '2025-03-01'],
      ['city_review', '2025-03-02'],
      ['province_review', '2025-03-03'],
    ]),
    ...path('210100', 'director', [
      ['submitted', '2025-03-01'],
      ['city_review', '2025-03-02'],
      ['rejected', '2025-03-03'],
    ]),
    ...path('210100', 'director', [
      ['submitted', '2025-03-01'],
      ['city_review', '2025-03-02'],
      ['province_review', '2025-03-03'],
      ['declined', '2025-03-04'],
    ]),
    ...path('210100', 'director', [
      ['submitted', '2025-03-01'],
      ['withdrawn', '2025-03-02'],
    ]),
    ...times(2, () => inPool('210200', 'specialist', '2025-03-20')),
  ];

  it('counts each state by unit × role, by unit, by role and in total', async () => {
    const r = await report(data, '2025-12-31');
    expect(r.rows).toHaveLength(liaoningCso.reportingUnits.length * liaoningCso.roles.length);
    expect(row(r, '210100', 'cso')).toMatchObject({ filed: 3, inPool: 2, removed: 1, underReview: 0 });
    expect(row(r, '210100', 'director')).toMatchObject({
      filed: 7,
      underReview: 4,
      inPool: 0,
      withdrawn: 1,
      rejected: 1,
      declined: 1,
      states: { submitted: 1, city_review: 1, changes_requested: 1, province_review: 1 },
    });
    expect(row(r, '210300', 'cso')).toMatchObject({ filed: 0, inPool: 0, underReview: 0 });
    expect(r.totals).toMatchObject({
      filed: 12,
      underReview: 4,
      inPool: 4,
      removed: 1,
      withdrawn: 1,
      rejected: 1,
      declined: 1,
    });
    expect(r.pool).toBe(4);
    expect(r.byUnit.find((u) => u.unit === '210100')?.counts).toMatchObject({ filed: 10, inPool: 2 });
    expect(r.byUnit.find((u) => u.unit === '210200')?.poolShare).toBe(0.5);
    expect(r.byRole.map((x) => [x.role, x.counts.filed, x.counts.inPool])).toEqual([
      ['cso', 3, 2],
      ['director', 7, 0],
      ['specialist', 2, 2],
    ]);
    expect(r.basis).toEqual({ monthlyThrough: '2025-12-31', yearlyThrough: '2025-12-31', exact: true });
    expect(r.notes[0]?.en).toBe('Every figure is as of 2025-12-31.');
    expect(r.trend.map((p) => [p.month, p.filed, p.included, p.removed, p.pool])).toEqual([
      ['2025-02', 3, 3, 0, 3],
      ['2025-03', 9, 2, 1, 4],
      ...['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => [`2025-${m}`, 0, 0, 0, 4]),
    ]);
  });

  it('keeps a filing counted where it was filed when an amendment moves it to another unit', async () => {
    const moved: Change[] = [
      ...path('210100', 'cso', [
        ['submitted', '2025-03-01'],
        ['city_review', '2025-03-02'],
        ['changes_requested', '2025-03-03'],
      ]),
      // What the repository writes for a resubmission into another unit.
      { unit: '210100', role: 'cso', from: 'changes_requested', to: null, at: noon('2025-03-04') },
      { unit: '210200', role: 'cso', from: null, to: 'city_review', at: noon('2025-03-04') },
    ];
    const r = await report(moved, '2025-12-31');
    expect(row(r, '210100', 'cso')).toMatchObject({ filed: 1, underReview: 0 });
    expect(row(r, '210200', 'cso')).toMatchObject({ filed: 0, underReview: 1, states: { city_review: 1 } });
    expect(r.totals).toMatchObject({ filed: 1, underReview: 1 });
  });

  it('reads only up to asOf’s year, whatever the reader returns', async () => {
    const r = await report(
      [...inPool('210100', 'cso', '2025-05-01'), ...inPool('210100', 'cso', '2026-01-05')],
      '2025-12-31',
    );
    expect(r.pool).toBe(1);
    expect(r.totals.filed).toBe(1);
    expect(r.trend.at(-1)?.month).toBe('2025-12');
  });

  it('lists unit codes the programme no longer has, without calling them lagging', async () => {
    const r = await report(
      [...inPool('210199', 'cso', '2025-06-01'), ...inPool('210100', 'cso', '2025-06-01')],
      '2025-06-30',
    );
    const old = r.byUnit.find((u) => u.unit === '210199');
    expect(old).toMatchObject({ configured: false, name: { zh: '210199' }, lagging: false });
    expect(old?.counts.inPool).toBe(1);
    expect(r.rows.filter((x) => x.unit === '210199').map((x) => x.role)).toEqual(['cso']);
    expect(r.notes.some((n) => n.en.includes('210199'))).toBe(true);
    expect(r.pool).toBe(2);
  });

  it('refuses an invalid or future date and an unknown programme', async () => {
    const deps = {
      counters: { countersUpTo: async () => [] },
      now: () => new Date(noon('2026-06-01')),
    };
    const fails = (asOf: string) => targetProgress(deps, { programId: 'liaoning-cso', asOf }).catch((e) => e);
    expect(await fails('2025-02-30')).toBeInstanceOf(ValidationError);
    expect(await fails('2025-2-3')).toMatchObject({ issues: [{ path: 'asOf', code: 'invalid_date' }] });
    expect(await fails('2026-06-02')).toMatchObject({ issues: [{ path: 'asOf', code: 'future_date' }] });
    expect((await fails('2026-06-01')).kind).toBe('target-progress');
    await expect(targetProgress(deps, { programId: 'nowhere', asOf: '2025-01-01' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('targetProgress: targets and milestones', () => {
  it('takes the next pool-size target with its deadline, and the next milestone of any kind', async () => {
    const r = await report(monthly('2025-01', '2025-03', 2), '2025-06-30');
    expect(r.target).toMatchObject({
      id: 'pool-800-2025',
      deadline: '2025-12-31',
      minPoolSize: 800,
      roles: ['cso', 'director', 'specialist'],
      pool: 6,
      remaining: 794,
      reached: false,
      deadlinePassed: false,
    });
    expect(r.finalTarget?.id).toBe('pool-800-2025');
    expect(r.nextMilestone?.id).toBe('pool-800-2025');
    const early = await report(monthly('2022-01', '2022-03', 1), '2022-06-30');
    expect(early.nextMilestone?.id).toBe('training-2022');
    expect(early.target?.id).toBe('pool-800-2025');
  });

  it('keeps the last target once its deadline has passed: no pace needed, not on track unless reached', async () => {
    const r = await report(monthly('2025-10', '2026-02', 2), '2026-03-31');
    expect(r.target).toMatchObject({ id: 'pool-800-2025', deadlinePassed: true, pool: 10 });
    expect(r.nextMilestone).toBeNull();
    expect(r.pace).toMatchObject({ needed: null, monthsLeft: 0, onTrack: false });
    expect(r.notes.some((n) => n.en.includes('has passed'))).toBe(true);
  });

  it('reports no target, pace or projection for a programme without a pool-size target', async () => {
    const r = await report(registered('340100', 'director', '2025-03-01'), '2025-06-30', {
      program: anhuiStdDirector,
    });
    expect(r.target).toBeNull();
    expect(r.finalTarget).toBeNull();
    expect(r.pace).toBeNull();
    expect(r.pool).toBe(1);
    expect(r.notes.some((n) => n.en.includes('no pool-size target'))).toBe(true);
  });

  it('counts the registered directors where Liaoning counts the pool, and names them 已备案', async () => {
    const changes = [
      ...registered('340100', 'director', '2025-02-10'),
      ...registered('340100', 'director', '2025-04-10', '2025-05-20'),
      ...registered('341882', 'director', '2025-06-02'),
      // Under review, and rejected: neither counts.
      ...path('340200', 'director', [
        ['submitted', '2025-06-03'],
        ['city_review', '2025-06-03'],
      ]),
      ...path('340200', 'director', [
        ['submitted', '2025-03-03'],
        ['city_review', '2025-03-03'],
        ['rejected', '2025-03-04'],
      ]),
    ];
    const r = await report(changes, '2025-06-30', { program: anhuiStdDirector });
    expect(r.members).toEqual({
      state: 'registered',
      label: { zh: '已备案', en: 'Registered' },
      entered: { zh: '备案', en: 'Registered' },
    });
    expect(r.pool).toBe(2);
    expect(r.totals).toMatchObject({ filed: 5, inPool: 2, removed: 1, underReview: 1, rejected: 1 });
    expect(r.totals.states).toMatchObject({ registered: 2, in_pool: 0, province_review: 0 });
    expect(r.byUnit.find((u) => u.unit === '340100')?.counts.inPool).toBe(1);
    expect(r.trend.map((p) => [p.month, p.included, p.removed, p.pool])).toEqual([
      ['2025-02', 1, 0, 1],
      ['2025-03', 0, 0, 1],
      ['2025-04', 1, 0, 2],
      ['2025-05', 0, 1, 1],
      ['2025-06', 1, 0, 2],
    ]);
    // Units register people or lag: Hefei and Guangde registered someone in the last 3 months.
    expect(r.lagging.units).not.toContain('340100');
    expect(r.lagging.units).not.toContain('341882');
    expect(r.lagging.units).toContain('340200');
    expect(r.lagging.rule.zh).toContain('没有新完成备案人员');
    expect(r.lagging.rule.zh).not.toContain('人才库');
    const liaoning = await report(inPool('210100', 'cso', '2025-03-01'), '2025-06-30');
    expect(liaoning.members.label).toEqual({ zh: '在库', en: 'Pool' });
    expect(liaoning.lagging.rule.zh).toContain('没有新纳入人才库人员');
  });

  it('moves to the next target after a deadline and counts only the roles a target names', async () => {
    const program: Program = {
      ...liaoningCso,
      id: 'two-targets',
      targets: [
        {
          id: 'cso-5-2025',
          deadline: '2025-12-31',
          minPoolSize: 5,
          roles: ['cso'],
          description: { zh: '首席标准官5名', en: '5 CSOs' },
        },
        {
          id: 'launch',
          deadline: '2025-09-30',
          description: { zh: '启动', en: 'Launch' },
        },
        {
          id: 'all-20-2027',
          deadline: '2027-12-31',
          minPoolSize: 20,
          description: { zh: '全部20名', en: '20 in all' },
        },
      ],
    };
    const data = [
      ...times(3, () => inPool('210100', 'cso', '2025-03-10')),
      ...times(4, () => inPool('210100', 'director', '2025-03-10')),
    ];
    const r = await report(data, '2025-06-30', { program });
    expect(r.target).toMatchObject({ id: 'cso-5-2025', pool: 3, remaining: 2, roles: ['cso'] });
    expect(r.finalTarget).toMatchObject({ id: 'all-20-2027', pool: 7, remaining: 13 });
    expect(r.nextMilestone?.id).toBe('launch');
    expect(r.trend.at(-1)).toMatchObject({ pool: 7, targetPool: 3 });
    expect(r.pace?.window.growth).toBe(3);
    const later = await report(data, '2026-01-31', { program });
    expect(later.target).toMatchObject({ id: 'all-20-2027', pool: 7, deadlinePassed: false });
    expect(later.trend.at(-1)?.targetPool).toBe(7);
  });
});

describe('targetProgress: pace and projection', () => {
  it('compares the pace needed with the mean growth of the last 6 months and projects the date', async () => {
    const r = await report(monthly('2025-01', '2025-06', 10), '2025-06-30');
    expect(r.pool).toBe(60);
    expect(r.pace).toEqual({
      targetId: 'pool-800-2025',
      monthsLeft: 6.05, // 184 days of 30.4375
      needed: 122.41, // 740 / 6.045
      achieved: 10,
      window: { from: '2025-01', through: '2025-06-30', months: 6, growth: 60 },
      projectedDate: '2031-08-31', // 74 months of 30.4375 days after 2025-06-30
      reachedIn: null,
      onTrack: false,
    });
  });

  it('averages only the last 6 months when there is a longer history', async () => {
    const r = await report(
      [...monthly('2024-01', '2024-12', 5), ...monthly('2025-01', '2025-06', 20)],
      '2025-06-30',
    );
    expect(r.pool).toBe(180);
    expect(r.pace?.window).toEqual({ from: '2025-01', through: '2025-06-30', months: 6, growth: 120 });
    expect(r.pace?.achieved).toBe(20);
    expect(r.trend[0]?.month).toBe('2024-01');
  });

  it('averages since the first entry when the programme is younger than the window', async () => {
    const r = await report(monthly('2025-04', '2025-04', 12), '2025-06-30');
    expect(r.pace?.window).toEqual({ from: '2025-04', through: '2025-06-30', months: 3, growth: 12 });
    expect(r.pace?.achieved).toBe(4);
    expect(r.trend.map((p) => p.month)).toEqual(['2025-04', '2025-05', '2025-06']);
  });

  it('counts the elapsed part of the current month when asOf is today', async () => {
    const r = await report(monthly('2025-01', '2025-06', 10), '2025-06-15', { today: '2025-06-15' });
    expect(r.basis).toEqual({ monthlyThrough: '2025-06-15', yearlyThrough: '2025-06-15', exact: true });
    expect(r.pace?.window).toEqual({ from: '2025-01', through: '2025-06-15', months: 5.5, growth: 60 });
    expect(r.pace?.achieved).toBe(10.91);
  });

  it('projects nothing when the pool shrinks', async () => {
    const data = [
      ...times(20, (i) => inPool('210100', 'cso', '2024-06-10', i < 8 ? '2025-03-01' : undefined)),
    ];
    const r = await report(data, '2025-06-30');
    expect(r.pool).toBe(12);
    expect(r.pace?.window.growth).toBe(-8);
    expect(r.pace?.achieved).toBe(-1.33);
    expect(r.pace?.projectedDate).toBeNull();
    expect(r.pace?.onTrack).toBe(false);
    expect(r.trend.find((p) => p.month === '2025-03')).toMatchObject({ removed: 8, pool: 12 });
  });

  it('is on track once the target is reached, and says since when the pool has stayed there', async () => {
    const data = [
      ...times(800, (i) =>
        inPool('210100', i % 2 ? 'cso' : 'specialist', '2025-03-10', i === 0 ? '2025-04-02' : undefined),
      ),
      ...inPool('210200', 'cso', '2025-05-03'),
    ];
    const r = await report(data, '2025-06-30');
    expect(r.target).toMatchObject({ pool: 800, remaining: 0, reached: true });
    expect(r.pace).toMatchObject({ needed: 0, projectedDate: null, reachedIn: '2025-05', onTrack: true });
  });

  it('is on track when the projected date is before the deadline', async () => {
    const r = await report(monthly('2025-01', '2025-06', 130), '2025-06-30');
    expect(r.pace?.achieved).toBe(130);
    expect(r.pace?.projectedDate).toBe(addDays('2025-06-30', Math.ceil((20 / 130) * 30.4375)));
    expect(r.pace?.onTrack).toBe(true);
  });
});

describe('targetProgress: asOf within a year', () => {
  // 2024: five included in May. 2025: three included in February, one filed in January and
  // withdrawn in March; later in the year two of 2024's removed (August), four included
  // (September), two filed and still waiting (October).
  const data = [
    ...times(5, (i) => inPool('210100', 'cso', '2024-05-10', i < 2 ? '2025-08-01' : undefined)),
    ...times(3, () => inPool('210100', 'cso', '2025-02-10')),
    ...path('210100', 'cso', [
      ['submitted', '2025-01-05'],
      ['withdrawn', '2025-03-01'],
    ]),
    ...times(4, () => inPool('210200', 'director', '2025-09-10')),
    ...times(2, () => path('210200', 'director', [['submitted', '2025-10-10']])),
  ];

  it('takes the pool, removals, filings and trend through asOf’s month and the other states through the year', async () => {
    const r = await report(data, '2025-06-30');
    expect(r.basis).toEqual({ monthlyThrough: '2025-06-30', yearlyThrough: '2025-12-31', exact: false });
    expect(r.pool).toBe(8);
    expect(r.totals).toMatchObject({ inPool: 8, removed: 0, filed: 9, withdrawn: 1 });
    // Yearly net changes cannot be cut at June: October's filings are counted, as the note says.
    expect(r.totals.underReview).toBe(2);
    expect(r.trend.at(-1)).toMatchObject({ month: '2025-06', pool: 8 });
    expect(r.trend.some((p) => p.month > '2025-06')).toBe(false);
    expect(r.notes.map((n) => n.en).join(' ')).toContain('whole-year sums that cannot be cut at a month');
    expect(r.notes.map((n) => n.en).join(' ')).toContain('through 2025-12-31');
    expect(row(r, '210200', 'director')).toMatchObject({ inPool: 0, filed: 0, underReview: 2 });
  });

  it('counts a role change as one person throughout, and a past month as it was', async () => {
    // A specialist included in March files as director; the director filing is included in May
    // and supersedes the specialist one; the person leaves the post in July.
    const changes = [
      ...inPool('210100', 'specialist', '2025-03-10'),
      {
        unit: '210100',
        role: 'specialist',
        from: 'in_pool' as const,
        to: 'superseded' as const,
        at: noon('2025-05-20'),
      },
      ...inPool('210100', 'director', '2025-05-20', '2025-07-15'),
    ];
    const april = await report(changes, '2025-04-30');
    expect(april.pool).toBe(1);
    expect(row(april, '210100', 'specialist')).toMatchObject({ inPool: 1 });
    const june = await report(changes, '2025-06-30');
    expect(june.pool).toBe(1);
    expect(row(june, '210100', 'specialist')).toMatchObject({ inPool: 0 });
    expect(row(june, '210100', 'director')).toMatchObject({ inPool: 1 });
    expect(june.totals.removed).toBe(0);
    expect(june.trend.find((p) => p.month === '2025-05')).toMatchObject({ included: 0, removed: 0, pool: 1 });
    const august = await report(changes, '2025-08-31');
    expect(august.pool).toBe(0);
    expect(august.totals.removed).toBe(1);
    expect(august.notes.map((n) => n.en).join(' ')).not.toContain('disagree');
  });

  it('is exact at the end of the year', async () => {
    const r = await report(data, '2025-12-31');
    expect(r.basis.exact).toBe(true);
    expect(r.totals).toMatchObject({ inPool: 10, removed: 2, filed: 15, underReview: 2, withdrawn: 1 });
    expect(r.trend.find((p) => p.month === '2025-08')).toMatchObject({ removed: 2, pool: 6 });
  });

  it('includes the rest of the month for a past date in mid-month, and says so', async () => {
    const r = await report(data, '2025-08-01');
    expect(r.basis.monthlyThrough).toBe('2025-08-31');
    expect(r.totals.removed).toBe(2);
    expect(r.notes.map((n) => n.en).join(' ')).toContain('changes later in 2025-08 are included');
  });

  it('is as of today when asOf is in the current year', async () => {
    const r = await report(data, '2025-10-31', { today: '2025-11-20' });
    expect(r.basis).toEqual({ monthlyThrough: '2025-10-31', yearlyThrough: '2025-11-20', exact: false });
    expect(r.notes.map((n) => n.en).join(' ')).toContain('through today (2025-11-20)');
    const now = await report(data, '2025-11-20', { today: '2025-11-20' });
    expect(now.basis).toEqual({ monthlyThrough: '2025-11-20', yearlyThrough: '2025-11-20', exact: true });
    expect(now.pool).toBe(10);
  });

  it('warns when monthly entries disagree with the yearly net changes (counts written without them)', async () => {
    const imported: CounterRecord[] = [
      { year: '2025', unit: '210100', role: 'cso', net: { in_pool: 50 }, entries: {} },
    ];
    const inYear = await report(imported, '2025-12-31');
    expect(inYear.pool).toBe(0);
    expect(inYear.notes.some((n) => n.en.includes('disagree'))).toBe(true);
    const nextYear = await report(imported, '2026-03-31');
    expect(nextYear.pool).toBe(50);
    expect(nextYear.trend).toHaveLength(1);
    expect(nextYear.trend[0]).toMatchObject({ month: '2026-03', pool: 50 });
  });

  it('agrees with a recount of random histories at any month end, in the pool or registered (property)', async () => {
    const actors = ['applicant', 'city', 'province', 'system'] as const;
    // Each programme's filings take the path its stages give them: the workflow approves to the
    // province where there is one and registers at the city where there is none.
    const PATHS = [
      {
        program: liaoningCso,
        units: ['210100', '210200', '21-SF'],
        roles: ['cso', 'director', 'specialist'],
        never: 'register',
      },
      {
        program: anhuiStdDirector,
        units: ['340100', '341882', '34-XX'],
        roles: ['director', 'cso', 'lead'],
        never: 'approve',
      },
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATHS),
        fc.array(
          fc.record({
            unit: fc.nat(2),
            role: fc.nat(2),
            start: fc.nat(3 * 365),
            steps: fc.array(fc.record({ pick: fc.nat(20), gap: fc.nat(100), move: fc.nat(5) }), {
              maxLength: 6,
            }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.nat(35),
        async ({ program, units, roles, never }, filings, monthPick) => {
          const changes: Change[] = [];
          const events: ModelEvent[] = [];
          filings.forEach((spec, n) => {
            let unit = units[spec.unit] ?? '210100';
            const role = roles[spec.role] ?? 'cso';
            let date = addDays('2024-01-01', spec.start);
            let state: FilingState = 'submitted';
            let version = 1;
            changes.push({ unit, role, from: null, to: state, at: noon(date) });
            events.push({ filingId: `F${n}`, version, at: noon(date), to: state, unit, role });
            for (const step of spec.steps) {
              const options = actors.flatMap((a) =>
                allowedActions(state, a)
                  .filter((action) => action !== never)
                  .map((action) => ({ a, action })),
              );
              const choice = options[step.pick % Math.max(1, options.length)];
              if (!choice) break;
              const to = transition(state, choice.action, choice.a);
              date = addDays(date, step.gap);
              const at = noon(date);
              const moveTo = units[step.move];
              if (choice.action === 'resubmit' && moveTo && moveTo !== unit) {
                changes.push({ unit, role, from: state, to: null, at });
                changes.push({ unit: moveTo, role, from: null, to, at });
                unit = moveTo;
              } else {
                changes.push({ unit, role, from: state, to, at });
              }
              events.push({ filingId: `F${n}`, version: ++version, at, to, unit, role });
              state = to;
            }
          });
          const month = monthFromIndex(monthIndex('2024-01') + monthPick);
          const asOf = endOfMonth(month);
          const r = await report(changes, asOf, { today: '2027-06-01', program });
          const expected = recount(events, {
            monthEnd: asOf,
            yearEnd: `${asOf.slice(0, 4)}-12-31`,
            firstMonth: r.trend[0]?.month ?? month,
          });
          for (const [key, cell] of expected.cells) {
            const [unit = '', role = ''] = key.split('#');
            expect(row(r, unit, role)?.filed, key).toBe(cell.filed);
            expect(row(r, unit, role)?.states, key).toEqual(cell.states);
          }
          expect(r.totals.filed).toBe([...expected.cells.values()].reduce((s, c) => s + c.filed, 0));
          for (const state of STATES) {
            expect(r.totals.states[state], state).toBe(
              [...expected.cells.values()].reduce((s, c) => s + c.states[state], 0),
            );
          }
          expect(r.trend.map((p) => [p.month, p.filed, p.included, p.removed, p.pool])).toEqual(
            [...expected.trend].map(([m, p]) => [m, p.filed, p.included, p.removed, p.pool]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('targetProgress: lagging units', () => {
  it('flags the programme’s units with nobody included in the last 3 months', async () => {
    const data = [
      ...inPool('210100', 'cso', '2025-04-02'),
      ...times(6, () => inPool('210200', 'cso', '2025-03-31')),
      ...path('210300', 'cso', [['submitted', '2025-06-01']]),
    ];
    const r = await report(data, '2025-06-30');
    expect(r.lagging.months).toEqual(['2025-04', '2025-05', '2025-06']);
    expect(r.lagging.units).toContain('210200');
    expect(r.lagging.units).toContain('210300');
    expect(r.lagging.units).not.toContain('210100');
    expect(r.lagging.units).toHaveLength(liaoningCso.reportingUnits.length - 1);
    expect(r.byUnit.find((u) => u.unit === '210100')).toMatchObject({
      includedLast3Months: 1,
      lagging: false,
    });
    expect(r.byUnit.find((u) => u.unit === '210200')).toMatchObject({
      includedLast3Months: 0,
      lagging: true,
      poolShare: 0.8571,
    });
    expect(r.lagging.rule.en).toContain('2025-04 to 2025-06');
    // A month later the April inclusion still counts; two more and it no longer does.
    expect((await report(data, '2025-05-31')).lagging.units).not.toContain('210100');
    expect((await report(data, '2025-07-31')).lagging.units).toContain('210100');
  });

  it('starts empty: every unit lags, the pool is zero and nothing is projected', async () => {
    const r = await report([], '2025-06-30');
    expect(r.pool).toBe(0);
    expect(r.trend).toEqual([
      { month: '2025-06', filed: 0, included: 0, removed: 0, pool: 0, targetPool: 0 },
    ]);
    expect(r.lagging.units).toEqual(liaoningCso.reportingUnits.map((u) => u.code));
    expect(r.pace).toMatchObject({ achieved: 0, projectedDate: null, onTrack: false, needed: 132.34 });
    expect(r.byUnit.every((u) => u.poolShare === 0)).toBe(true);
  });
});

describe('calendar', () => {
  it('knows real dates and month lengths', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(endOfMonth('2024-02')).toBe('2024-02-29');
    expect(monthFromIndex(monthIndex('2024-12') + 1)).toBe('2025-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
});
