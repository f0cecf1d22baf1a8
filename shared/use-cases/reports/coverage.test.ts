import { describe, expect, it } from 'vitest';
import { counterDelta } from '../../data/counter-item.ts';
import { fromCounterItem, fromCoverageItem } from '../../data/counter-reader.ts';
import {
  coverageWrites,
  type EnterpriseMembersItem,
  enterpriseChanges,
  type MemberChange,
} from '../../data/coverage-item.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import type { YearPlan } from '../../domain/plans.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import { defineProgram, type Program } from '../../domain/programs/program.ts';
import type { CounterReader, CounterRecord, CoverageRecord } from '../../ports/counters.ts';
import { toCsv } from './render-csv.ts';
import { toHtml } from './render-html.ts';
import { TargetProgressReportSchema } from './report-schema.ts';
import { targetProgress } from './target-progress.ts';

const noon = (date: string) => `${date}T04:00:00Z`;

interface Director {
  unit: string;
  enterprise: MemberChange['enterprise'];
  registered: string;
  /** How the filing ends, and when. */
  ends?: [FilingState, string];
}

type Enterprise = MemberChange['enterprise'];
const A: Enterprise = {
  uscc: '91340100MA0XYW122U',
  categories: ['above_scale'],
  emergingIndustries: ['biology'],
};
const B: Enterprise = { uscc: '91340100MA0XYW1AAA', categories: ['above_scale', 'good_behavior'] };
const C: Enterprise = { uscc: '91340100MA0XYW1BBB', categories: [] };
const D: Enterprise = { uscc: '91341882MA0XYW1225', categories: [], emergingIndustries: ['new_energy'] };
const E: Enterprise = { uscc: '91340200MA0XYW1CCC', categories: ['above_scale'] };

/**
 * The counters the repository's transactions leave behind for these directors, applying the same pure functions: the
 * yearly state counters (counterDelta) and the coverage writes (coverageWrites) against the enterprises' member items.
 */
function replay(directors: readonly Director[], programId = anhuiStdDirector.id) {
  const counters = new Map<string, Record<string, unknown>>();
  const members = new Map<string, EnterpriseMembersItem>();
  const coverage = new Map<string, Record<string, unknown>>();
  const steps: (MemberChange & { i: number })[] = [];
  directors.forEach((d, i) => {
    const path: [FilingState | null, FilingState, string][] = [
      [null, 'submitted', d.registered],
      ['submitted', 'city_review', d.registered],
      ['city_review', 'registered', d.registered],
      ...(d.ends ? [['registered', d.ends[0], d.ends[1]] as [FilingState, FilingState, string]] : []),
    ];
    for (const [from, to, date] of path) {
      steps.push({
        i,
        programId,
        enterprise: d.enterprise,
        unit: d.unit,
        role: 'director',
        from,
        to,
        at: noon(date),
      });
    }
  });
  steps.sort((a, b) => a.at.localeCompare(b.at) || a.i - b.i);
  for (const step of steps) {
    const delta = counterDelta(step);
    if (delta) {
      const item = counters.get(delta.key.sk) ?? {
        year: delta.ExpressionAttributeValues[':year'],
        unit: step.unit,
        role: step.role,
      };
      for (const [name, attr] of Object.entries(delta.ExpressionAttributeNames)) {
        if (name.startsWith('#a'))
          item[attr] =
            Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${name.slice(2)}`]);
      }
      counters.set(delta.key.sk, item);
    }
    const writes = coverageWrites(enterpriseChanges([step]), (pk) => members.get(pk));
    for (const w of writes.members) {
      if (w.kind === 'put') members.set(w.key.pk, w.item);
      if (w.kind === 'delete') members.delete(w.key.pk);
    }
    for (const d of writes.coverage) {
      const item = coverage.get(d.key.sk) ?? { pk: d.key.pk, sk: d.key.sk, unit: d.key.sk };
      for (const [cell, n] of Object.entries(d.adds)) item[`n_${cell}`] = Number(item[`n_${cell}`] ?? 0) + n;
      coverage.set(d.key.sk, item);
    }
  }
  return {
    records: [...counters.values()].map(fromCounterItem),
    coverage: [...coverage.values()].map(fromCoverageItem),
  };
}

const DIRECTORS: Director[] = [
  // Hefei: A (规上, emerging) has two directors, one of whom left; B (规上) one; C (neither) one who was removed.
  { unit: '340100', enterprise: A, registered: '2025-03-02' },
  { unit: '340100', enterprise: A, registered: '2025-04-02', ends: ['removed', '2025-05-02'] },
  { unit: '340100', enterprise: B, registered: '2025-03-05' },
  { unit: '340100', enterprise: C, registered: '2025-03-06', ends: ['removed', '2026-02-01'] },
  { unit: '340100', enterprise: C, registered: '2025-03-07' },
  // Guangde (a county unit): D (emerging only).
  { unit: '341882', enterprise: D, registered: '2025-06-01' },
  // Wuhu: E registered and then superseded (the director moved away): no longer covered.
  { unit: '340200', enterprise: E, registered: '2025-06-02', ends: ['superseded', '2025-07-01'] },
];

function reader(records: CounterRecord[], coverage: CoverageRecord[], calls: string[] = []): CounterReader {
  return {
    async countersUpTo(_p, upTo) {
      calls.push(`upTo ${upTo}`);
      return records.filter((r) => r.year <= upTo);
    },
    async coverage(programId) {
      calls.push(`coverage ${programId}`);
      return coverage;
    },
  };
}

async function report(
  options: { program?: Program; asOf?: string; today?: string; plan?: YearPlan; calls?: string[] } = {},
) {
  const program = options.program ?? anhuiStdDirector;
  const { records, coverage } = replay(DIRECTORS);
  const result = await targetProgress(
    {
      counters: reader(records, coverage, options.calls),
      now: () => new Date(noon(options.today ?? '2026-06-01')),
      programs: [program],
      ...(options.plan ? { plans: { get: async () => options.plan as YearPlan } } : {}),
    },
    { programId: program.id, asOf: options.asOf ?? options.today ?? '2026-06-01' },
  );
  expect(TargetProgressReportSchema.safeParse(result).success).toBe(true);
  return result;
}

const unitOf = (r: Awaited<ReturnType<typeof report>>, unit: string) =>
  r.coverage?.units.find((u) => u.unit === unit);

describe('the target-progress report: Anhui’s enterprise coverage', () => {
  it('counts per unit the enterprises with a registered director, 规上 and 战略性新兴产业 among them, each once', async () => {
    const r = await report();
    expect(r.coverage?.roles).toEqual(['director']);
    expect(r.coverage?.through).toBe('2026-06-01');
    expect(unitOf(r, '340100')).toMatchObject({ covered: 3, aboveScale: 2, emerging: 1, configured: true });
    expect(unitOf(r, '341882')).toMatchObject({ covered: 1, aboveScale: 0, emerging: 1 });
    expect(unitOf(r, '340200')).toMatchObject({ covered: 0, aboveScale: 0, emerging: 0 });
    expect(r.coverage?.units.map((u) => u.unit)).toEqual(anhuiStdDirector.reportingUnits.map((u) => u.code));
    expect(r.coverage?.totals).toEqual({
      covered: 4,
      aboveScale: 2,
      emerging: 2,
      aboveScaleBase: null,
      emergingBase: null,
      aboveScaleShare: null,
      emergingShare: null,
    });
    // Four registered directors now (A, B, C and D one each), covering four enterprises.
    expect(r.pool).toBe(4);
    expect(r.notes.some((n) => n.zh.includes('已覆盖企业') && n.zh.includes('只列企业数'))).toBe(true);
  });

  it('shows the share where the programme gives a unit’s number of such enterprises, and a total only when all do', async () => {
    const withBase = (units: Record<string, { aboveScale?: number; emerging?: number }>) =>
      defineProgram({
        ...anhuiStdDirector,
        coverage: {
          roles: ['director'],
          base: { source: { zh: '2025 年统计名录', en: 'the 2025 statistics list' }, units },
        },
      });
    const some = await report({ program: withBase({ '340100': { aboveScale: 8, emerging: 4 } }) });
    expect(unitOf(some, '340100')).toMatchObject({
      aboveScaleBase: 8,
      aboveScaleShare: 0.25,
      emergingBase: 4,
      emergingShare: 0.25,
    });
    expect(unitOf(some, '341882')).toMatchObject({ emergingBase: null, emergingShare: null });
    expect(some.coverage?.totals.aboveScaleShare).toBeNull();
    expect(some.coverage?.baseSource?.zh).toBe('2025 年统计名录');
    const every = Object.fromEntries(
      anhuiStdDirector.reportingUnits.map((u) => [u.code, { aboveScale: 10 }]),
    );
    const all = await report({ program: withBase(every) });
    expect(all.coverage?.totals).toMatchObject({
      aboveScaleBase: 180,
      aboveScaleShare: 0.0111,
      emergingShare: null,
    });
    expect(() => withBase({ '999999': { aboveScale: 1 } })).toThrow(/unknown unit 999999/);
  });

  it('is the current figure: a report as of a past date says so', async () => {
    const r = await report({ asOf: '2025-04-30' });
    expect(unitOf(r, '340100')?.covered).toBe(3);
    expect(
      r.notes.some((n) => n.zh.includes('不是 2025-04-30 的数') && n.en.includes('not as of 2025-04-30')),
    ).toBe(true);
  });

  it('fills the yearly plan’s covered enterprises', async () => {
    const plan: YearPlan = {
      programId: anhuiStdDirector.id,
      year: '2026',
      units: [{ unit: '340100', people: { director: 5 }, enterprises: 6 }],
      setAt: '2026-01-10T00:00:00Z',
      setBy: 'province-1',
    };
    const r = await report({ plan });
    expect(r.plan.units[0]?.enterprises).toEqual({ planned: 6, covered: 3 });
  });

  it('is in the CSV and the HTML page', async () => {
    const r = await report();
    const csv = toCsv(r).split('\r\n');
    const head = csv.findIndex((l) => l.startsWith('企业覆盖'));
    expect(csv[head]).toContain('已覆盖企业,其中规上企业,规上企业总数,规上覆盖率,其中战略性新兴产业企业');
    expect(csv.slice(head)).toContain('合肥市,340100,3,2,,,1,,');
    expect(csv.slice(head)).toContain('广德市,341882,1,0,,,1,,');
    expect(csv.slice(head)).toContain('合计,,4,2,,,2,,');
    const html = await toHtml(r);
    expect(html).toContain('企业覆盖');
    expect(html).toContain(
      '<td>合肥市</td><td>340100</td><td>3</td><td>2</td><td>—</td><td>—</td><td>1</td>',
    );
  });
});

describe('Liaoning’s report', () => {
  it('has no coverage section and does not read coverage', async () => {
    const calls: string[] = [];
    const r = await targetProgress(
      { counters: reader([], [], calls), now: () => new Date(noon('2026-06-01')), programs: [liaoningCso] },
      { programId: liaoningCso.id, asOf: '2026-06-01' },
    );
    expect(r.coverage).toBeUndefined();
    expect(calls).toEqual(['upTo 2026']);
    expect(toCsv(r)).not.toContain('企业覆盖');
    expect(await toHtml(r)).not.toContain('企业覆盖');
  });
});
