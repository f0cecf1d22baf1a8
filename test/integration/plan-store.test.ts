// The yearly plans on DynamoDB Local: one item per programme and year, replaced whole, its
// access-log entries written with it (under each unit), and read by the report.
import { describe, expect, it } from 'vitest';
import { createCounterReader } from '#shared/data/counter-reader.ts';
import { createPlanStore, planKey } from '#shared/data/plan-store.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { liaoningCso } from '#shared/domain/programs/liaoning-cso.ts';
import { setYearPlan } from '#shared/use-cases/plans/yearly-plans.ts';
import { targetProgress } from '#shared/use-cases/reports/target-progress.ts';
import { freshTable, scanAll } from '../support/ddb.ts';

const province = {
  subject: 'plan-province',
  scopes: [{ role: 'province' as const, programId: liaoningCso.id }],
};

describe('yearly plans on DynamoDB Local', () => {
  it('stores the year’s plans with their access entries, replaces them whole and reads them back', async () => {
    const env = await freshTable();
    const reads: number[] = [];
    const plans = createPlanStore({ doc: env.doc, tableName: env.tableName, onRead: (c) => reads.push(c) });
    const deps = { plans, now: () => new Date('2026-02-01T02:00:00Z') };
    expect(await plans.get(liaoningCso.id, '2026')).toEqual({
      programId: liaoningCso.id,
      year: '2026',
      units: [],
      setAt: null,
      setBy: null,
    });
    await setYearPlan(deps, province, {
      programId: liaoningCso.id,
      year: '2026',
      request: {
        units: liaoningCso.reportingUnits.map((u, i) => ({
          unit: u.code,
          people: { cso: 10 + i, director: 10, specialist: 30 },
          enterprises: 20,
        })),
      },
    });
    const all = await plans.get(liaoningCso.id, '2026');
    expect(all.units).toHaveLength(liaoningCso.reportingUnits.length);
    expect(all.units[1]).toEqual({
      unit: '210200',
      people: { cso: 11, director: 10, specialist: 30 },
      enterprises: 20,
    });
    // A whole programme's plans are one small item: half a read unit.
    expect(reads.at(-1)).toBe(0.5);
    await setYearPlan({ ...deps, now: () => new Date('2026-03-01T02:00:00Z') }, province, {
      programId: liaoningCso.id,
      year: '2026',
      request: { units: [{ unit: '210100', people: { cso: 5 } }] },
    });
    expect(await plans.get(liaoningCso.id, '2026')).toMatchObject({
      units: [{ unit: '210100', people: { cso: 5 } }],
      setAt: '2026-03-01T02:00:00.000Z',
      setBy: 'plan-province',
    });
    const items = await scanAll(env.doc, env.tableName);
    expect(items.filter((i) => i.pk === planKey(liaoningCso.id, '2026').pk)).toHaveLength(1);
    const queries = createStaffQueries(env.doc, env.tableName);
    const shenyang = await queries.unitAccess({ programId: liaoningCso.id, unit: '210100', limit: 10 });
    expect(shenyang.entries.map((e) => [e.what, e.subject, e.at])).toEqual([
      ['plan:2026', 'plan-province', '2026-02-01T02:00:00.000Z'],
      ['plan:2026', 'plan-province', '2026-03-01T02:00:00.000Z'],
    ]);
    const dalian = await queries.unitAccess({ programId: liaoningCso.id, unit: '210200', limit: 10 });
    expect(dalian.entries).toHaveLength(1);
    // The report of the year shows the plan.
    const report = await targetProgress(
      { counters: createCounterReader({ doc: env.doc, tableName: env.tableName }), plans, now: deps.now },
      { programId: liaoningCso.id, asOf: '2026-01-31' },
    );
    expect(report.plan).toMatchObject({
      year: '2026',
      units: [{ unit: '210100', people: { planned: 5, members: 0 } }],
    });
  });
});
