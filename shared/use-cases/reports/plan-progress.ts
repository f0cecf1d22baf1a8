// Each unit against its yearly plan (年度发展计划) for asOf's year: the members of each planned
// role now against the number planned for the year's end, and the units that lag their plan.
//
// Lagging rule: a unit lags its plan when, over its planned roles, it has fewer members than
// the straight line from its count at the start of the year to its plan, at the share of the
// year the figures cover (basis.monthlyThrough). Why: a plan is a year-end figure, and a unit
// that starts the year far from it has more to do than one that starts close; the straight
// line asks each the same steady pace, and says in January already who is behind. A unit
// whose plan is at or below its start-of-year count never lags. Enterprises are shown beside
// the people when the counters hold them (coverage), and do not decide the lag.
import * as z from 'zod/mini';
import type { YearPlan } from '../../domain/plans.ts';
import type { Program } from '../../domain/programs/program.ts';
import { daysBetween } from './calendar.ts';

const localized = z.object({ zh: z.string(), en: z.string() });
const count = z.number().check(z.int());

export const PlanRoleSchema = z.object({
  role: z.string(),
  name: localized,
  planned: count,
  /** Members of this unit and role at basis.monthlyThrough. */
  members: count,
  startOfYear: count,
  reached: z.boolean(),
});

export const PlanUnitSchema = z.object({
  unit: z.string(),
  name: localized,
  roles: z.array(PlanRoleSchema),
  /** Over the planned roles: planned, members now, and where the straight line stands now. */
  people: z.object({ planned: count, members: count, startOfYear: count, expectedNow: count }),
  /** Enterprises planned, and those with a member where the counters hold them (else null). */
  enterprises: z.nullable(z.object({ planned: count, covered: z.nullable(count) })),
  lagging: z.boolean(),
});

export const PlanProgressSchema = z.object({
  year: z.string(),
  /** When the province last set the year's plans; null when the year has none. */
  setAt: z.nullable(z.string()),
  /** Share of the year the members are counted through (0–1). */
  elapsed: z.number(),
  units: z.array(PlanUnitSchema),
  lagging: z.object({ rule: localized, units: z.array(z.string()) }),
});

export type PlanProgress = z.infer<typeof PlanProgressSchema>;

export function planProgress(input: {
  program: Program;
  plan: YearPlan | undefined;
  year: string;
  /** The date the member counts describe (basis.monthlyThrough). */
  through: string;
  /** Members per `unit#role` at `through`, and at the start of the year. */
  members: ReadonlyMap<string, number>;
  startOfYear: ReadonlyMap<string, number>;
  /** Enterprises with a member per unit, where counted. */
  coveredEnterprises?: ReadonlyMap<string, number>;
}): PlanProgress {
  const { program, year, through } = input;
  const yearDays = daysBetween(`${year}-01-01`, `${Number(year) + 1}-01-01`);
  const elapsed = Math.min(1, Math.max(0, (daysBetween(`${year}-01-01`, through) + 1) / yearDays));
  const unitName = new Map(program.reportingUnits.map((u) => [u.code, u.name]));
  const roleName = new Map(program.roles.map((r) => [r.id, r.name]));
  const units = (input.plan?.units ?? []).map((p) => {
    const roles = Object.entries(p.people).map(([role, planned]) => {
      const members = input.members.get(`${p.unit}#${role}`) ?? 0;
      return {
        role,
        name: roleName.get(role) ?? { zh: role, en: role },
        planned,
        members,
        startOfYear: input.startOfYear.get(`${p.unit}#${role}`) ?? 0,
        reached: members >= planned,
      };
    });
    const planned = roles.reduce((n, r) => n + r.planned, 0);
    const members = roles.reduce((n, r) => n + r.members, 0);
    const startOfYear = roles.reduce((n, r) => n + r.startOfYear, 0);
    const expectedNow =
      planned > startOfYear ? Math.floor(startOfYear + (planned - startOfYear) * elapsed) : 0;
    return {
      unit: p.unit,
      name: unitName.get(p.unit) ?? { zh: p.unit, en: p.unit },
      roles,
      people: { planned, members, startOfYear, expectedNow },
      enterprises:
        p.enterprises === undefined
          ? null
          : { planned: p.enterprises, covered: input.coveredEnterprises?.get(p.unit) ?? null },
      lagging: planned > startOfYear && members < expectedNow,
    };
  });
  return {
    year,
    setAt: input.plan?.setAt ?? null,
    elapsed: Math.round(elapsed * 10_000) / 10_000,
    units,
    lagging: {
      rule: {
        zh: `人数低于从年初人数到年度发展计划的匀速进度（截至 ${through}，全年的 ${Math.round(elapsed * 100)}%）的备案单位。`,
        en: `Units with fewer members than a steady pace from their start-of-year count to their yearly plan (through ${through}, ${Math.round(elapsed * 100)}% of the year).`,
      },
      units: units.filter((u) => u.lagging).map((u) => u.unit),
    },
  };
}
