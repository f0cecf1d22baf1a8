import { describe, expect, it } from 'vitest';
import { counterDelta } from '../../data/counter-item.ts';
import { fromCounterItem } from '../../data/counter-reader.ts';
import { ForbiddenError, ValidationError } from '../../domain/errors.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import type { YearPlan } from '../../domain/plans.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import type { AccessEntry } from '../../ports/staff.ts';
import { getYearPlan, type PlanDeps, setYearPlan } from '../plans/yearly-plans.ts';
import { toCsv } from './render-csv.ts';
import { toHtml } from './render-html.ts';
import { TargetProgressReportSchema } from './report-schema.ts';
import { computeTargetProgress, targetProgress } from './target-progress.ts';

/** Counter records of `n` members included in a unit and role on a date (Liaoning's path). */
function included(unit: string, role: string, date: string, n: number) {
  const items = new Map<string, Record<string, unknown>>();
  const path: FilingState[] = ['submitted', 'city_review', 'province_review', 'in_pool'];
  for (let i = 0; i < n; i++) {
    let from: FilingState | null = null;
    for (const to of path) {
      const d = counterDelta({ programId: liaoningCso.id, unit, role, from, to, at: `${date}T04:00:00Z` });
      from = to;
      if (!d) continue;
      const item = items.get(d.key.sk) ?? { year: date.slice(0, 4), unit, role };
      for (const [alias, attr] of Object.entries(d.ExpressionAttributeNames)) {
        if (alias.startsWith('#a'))
          item[attr] = Number(item[attr] ?? 0) + Number(d.ExpressionAttributeValues[`:v${alias.slice(2)}`]);
      }
      items.set(d.key.sk, item);
    }
  }
  return [...items.values()].map(fromCounterItem);
}

const PLAN: YearPlan = {
  programId: liaoningCso.id,
  year: '2025',
  units: [
    // Shenyang: 10 CSOs at the start of 2025, plan 30, 20 now at mid-year: on pace (10 + 20 × ½ = 20).
    { unit: '210100', people: { cso: 30 }, enterprises: 25 },
    // Dalian: 0 at the start, plan 40 over two roles, 12 now at mid-year: behind (20 expected).
    { unit: '210200', people: { cso: 20, director: 20 } },
    // Anshan: plan below its start-of-year count: never behind.
    { unit: '210300', people: { cso: 2 } },
  ],
  setAt: '2025-01-10T02:00:00Z',
  setBy: 'province-staff',
};

const records = [
  ...included('210100', 'cso', '2024-05-01', 10),
  ...included('210100', 'cso', '2025-03-01', 10),
  ...included('210200', 'cso', '2025-02-01', 8),
  ...included('210200', 'director', '2025-04-01', 4),
  ...included('210300', 'cso', '2024-03-01', 5),
];

const report = (plan?: YearPlan, asOf = '2025-06-30') =>
  computeTargetProgress({
    program: liaoningCso,
    records,
    ...(plan ? { plan } : {}),
    asOf,
    today: '2026-01-10',
    generatedAt: '2026-01-10T00:00:00Z',
  });

describe('the report against the yearly plans', () => {
  it('shows each planned unit against its plan and the units behind a steady pace', () => {
    const r = report(PLAN);
    expect(TargetProgressReportSchema.safeParse(r).success).toBe(true);
    expect(r.plan.year).toBe('2025');
    expect(r.plan.setAt).toBe(PLAN.setAt);
    expect(r.plan.elapsed).toBeCloseTo(181 / 365, 3);
    const [shenyang, dalian, anshan] = r.plan.units;
    expect(shenyang).toMatchObject({
      unit: '210100',
      people: { planned: 30, startOfYear: 10, members: 20, expectedNow: 19 },
      enterprises: { planned: 25, covered: null },
      lagging: false,
    });
    expect(shenyang?.roles).toEqual([
      {
        role: 'cso',
        name: liaoningCso.roles[0]?.name,
        planned: 30,
        members: 20,
        startOfYear: 10,
        reached: false,
      },
    ]);
    expect(dalian).toMatchObject({
      people: { planned: 40, startOfYear: 0, members: 12, expectedNow: 19 },
      enterprises: null,
      lagging: true,
    });
    expect(anshan).toMatchObject({ people: { planned: 2, startOfYear: 5, members: 5 }, lagging: false });
    expect(r.plan.lagging.units).toEqual(['210200']);
    // At the year's end the line reaches the plan: Shenyang's 20 of 30 is behind too.
    expect(report(PLAN, '2025-12-31').plan.lagging.units).toEqual(['210100', '210200']);
  });

  it('says when no plan is set, and the renderers show the plan', async () => {
    const none = report();
    expect(none.plan).toMatchObject({ year: '2025', setAt: null, units: [], lagging: { units: [] } });
    const r = report(PLAN);
    const csv = toCsv(r).split('\r\n');
    expect(csv[0]?.endsWith(',2025年度发展计划')).toBe(true);
    expect(csv.find((l) => l.startsWith('沈阳市,210100,首席标准官'))?.endsWith(',30')).toBe(true);
    expect(csv.find((l) => l.startsWith('鞍山市,210300,标准总监'))?.endsWith(',')).toBe(true);
    expect(csv.find((l) => l.startsWith('合计,,全部岗位'))?.endsWith(',72')).toBe(true);
    const html = await toHtml(r);
    expect(html).toContain('2025 年度发展计划');
    expect(html).toContain('未达计划进度：大连市（210200）');
    expect(await toHtml(none)).toContain('2025 年尚未设定年度发展计划。');
  });

  it('reads the plan of asOf’s year from the plan store', async () => {
    const asked: string[] = [];
    const r = await targetProgress(
      {
        counters: { countersUpTo: async () => records },
        plans: {
          get: async (programId, year) => {
            asked.push(`${programId} ${year}`);
            return { ...PLAN, year };
          },
        },
        now: () => new Date('2026-01-10T04:00:00Z'),
      },
      { programId: liaoningCso.id, asOf: '2025-06-30' },
    );
    expect(asked).toEqual(['liaoning-cso 2025']);
    expect(r.plan.lagging.units).toEqual(['210200']);
  });
});

function memoryPlans() {
  const plans = new Map<string, YearPlan>();
  const access: AccessEntry[] = [];
  const deps: PlanDeps = {
    plans: {
      async get(programId, year) {
        return plans.get(`${programId}#${year}`) ?? { programId, year, units: [], setAt: null, setBy: null };
      },
      async put(plan, entries) {
        plans.set(`${plan.programId}#${plan.year}`, plan);
        access.push(...entries);
      },
    },
    now: () => new Date('2026-01-10T02:00:00Z'),
  };
  return { deps, plans, access };
}

const province = { subject: 'p1', scopes: [{ role: 'province' as const, programId: liaoningCso.id }] };
const auditor = { subject: 'a1', scopes: [{ role: 'auditor' as const, programId: liaoningCso.id }] };
const city = {
  subject: 'c1',
  scopes: [{ role: 'city' as const, programId: liaoningCso.id, unit: '210100' }],
};

describe('setting the yearly plans', () => {
  it('stores the year’s plans in the programme’s unit order, audited once per unit', async () => {
    const { deps, access } = memoryPlans();
    const plan = await setYearPlan(deps, province, {
      programId: liaoningCso.id,
      year: '2026',
      request: {
        units: [
          { unit: '210200', people: { specialist: 5, cso: 2 } },
          { unit: '210100', people: { cso: 3 }, enterprises: 4 },
        ],
      },
    });
    expect(plan.units).toEqual([
      { unit: '210100', people: { cso: 3 }, enterprises: 4 },
      { unit: '210200', people: { cso: 2, specialist: 5 } },
    ]);
    expect(plan).toMatchObject({ setAt: '2026-01-10T02:00:00.000Z', setBy: 'p1' });
    expect(access.map((a) => [a.unit, a.what, a.subject, a.role])).toEqual([
      ['210100', 'plan:2026', 'p1', 'province'],
      ['210200', 'plan:2026', 'p1', 'province'],
    ]);
    expect(await getYearPlan(deps, auditor, { programId: liaoningCso.id, year: '2026' })).toEqual(plan);
    expect((await getYearPlan(deps, province, { programId: liaoningCso.id, year: '2027' })).setAt).toBeNull();
  });

  it('refuses other units and roles, a unit twice and a bad year, naming each field; stores nothing', async () => {
    const { deps, plans, access } = memoryPlans();
    const attempt = setYearPlan(deps, province, {
      programId: liaoningCso.id,
      year: '2026',
      request: {
        units: [
          { unit: '340100', people: { cso: 1 } },
          { unit: '210100', people: { lead: 1 } },
          { unit: '210100', people: {} },
        ],
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    const issues = await attempt.catch((e: ValidationError) => e.issues.map((i) => [i.path, i.code]));
    expect(issues).toEqual([
      ['units.0.unit', 'unknown_unit'],
      ['units.1.people.lead', 'unknown_role'],
      ['units.2.unit', 'duplicate_unit'],
    ]);
    const year = await setYearPlan(deps, province, {
      programId: liaoningCso.id,
      year: '26',
      request: { units: [] },
    }).catch((e: ValidationError) => e.issues[0]?.path);
    expect(year).toBe('year');
    expect(plans.size).toBe(0);
    expect(access).toEqual([]);
  });

  it('lets only the programme’s province staff set plans', async () => {
    const { deps, plans } = memoryPlans();
    const request = { units: [{ unit: '210100', people: { cso: 1 } }] };
    for (const who of [auditor, city]) {
      await expect(
        setYearPlan(deps, who, { programId: liaoningCso.id, year: '2026', request }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    const anhui = { subject: 'p2', scopes: [{ role: 'province' as const, programId: anhuiStdDirector.id }] };
    await expect(
      setYearPlan(deps, anhui, { programId: liaoningCso.id, year: '2026', request }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getYearPlan(deps, city, { programId: liaoningCso.id, year: '2026' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(plans.size).toBe(0);
  });
});
