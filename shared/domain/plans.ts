// A reporting unit's yearly plan (年度发展计划), set by province staff for each year: how many
// members of each role the unit is to have at the year's end, and how many enterprises with a
// member (design: the seeds name the plans but not their content; the province-wide targets
// count members at a date, so the unit plans do too). A year's plan is replaced whole (PUT);
// a unit left out has no plan that year.
import * as z from 'zod/mini';
import { type FieldIssue, ValidationError } from './errors.ts';
import type { Program } from './programs/program.ts';

/** Upper bounds that catch a typo (an extra digit) without limiting a real plan. */
export const MAX_PLANNED_PEOPLE = 100_000;
export const MAX_PLANNED_ENTERPRISES = 1_000_000;

const planned = (max: number) => z.number().check(z.int(), z.minimum(0), z.maximum(max));

export const UnitPlanSchema = z.strictObject({
  unit: z.string().check(z.minLength(1), z.maxLength(20)),
  /** Members planned at the year's end, per role id of the programme (a role left out: no plan). */
  people: z.record(z.string().check(z.maxLength(40)), planned(MAX_PLANNED_PEOPLE)),
  /** Enterprises with at least one member planned at the year's end. */
  enterprises: z.optional(planned(MAX_PLANNED_ENTERPRISES)),
});

export const PlanRequestSchema = z.strictObject({
  units: z.array(UnitPlanSchema).check(z.maxLength(100)),
});

export type UnitPlan = z.infer<typeof UnitPlanSchema>;
export type PlanRequest = z.infer<typeof PlanRequestSchema>;

export interface YearPlan {
  programId: string;
  year: string;
  units: UnitPlan[];
  /** When and by whom it was last set; null when the year has no plan. */
  setAt: string | null;
  setBy: string | null;
}

/** A plan year: four digits, from 2000 to 2100. */
export function checkPlanYear(year: string): void {
  if (!/^\d{4}$/.test(year) || year < '2000' || year > '2100') {
    throw new ValidationError([
      {
        path: 'year',
        code: 'invalid_year',
        message: { zh: '年份应为 2000 至 2100 的四位数字', en: 'year is four digits from 2000 to 2100' },
      },
    ]);
  }
}

/**
 * The request's units and roles checked against the programme: each unit one of its reporting
 * units and named once, each role one of its roles; every failing field at once. Units come
 * back in the programme's order.
 */
export function checkPlan(program: Program, request: PlanRequest): UnitPlan[] {
  const issues: FieldIssue[] = [];
  const units = new Set(program.reportingUnits.map((u) => u.code));
  const roles = new Set(program.roles.map((r) => r.id));
  const seen = new Set<string>();
  request.units.forEach((plan, i) => {
    if (!units.has(plan.unit)) {
      issues.push({
        path: `units.${i}.unit`,
        code: 'unknown_unit',
        message: {
          zh: `本项目没有备案单位 ${plan.unit}`,
          en: `the programme has no reporting unit ${plan.unit}`,
        },
      });
    } else if (seen.has(plan.unit)) {
      issues.push({
        path: `units.${i}.unit`,
        code: 'duplicate_unit',
        message: { zh: `备案单位 ${plan.unit} 重复`, en: `reporting unit ${plan.unit} is given twice` },
      });
    }
    seen.add(plan.unit);
    for (const role of Object.keys(plan.people)) {
      if (!roles.has(role)) {
        issues.push({
          path: `units.${i}.people.${role}`,
          code: 'unknown_role',
          message: { zh: `本项目没有岗位 ${role}`, en: `the programme has no role ${role}` },
        });
      }
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const order = program.reportingUnits.map((u) => u.code);
  return [...request.units]
    .sort((a, b) => order.indexOf(a.unit) - order.indexOf(b.unit))
    .map((p) => ({
      unit: p.unit,
      people: Object.fromEntries(
        program.roles.filter((r) => r.id in p.people).map((r) => [r.id, p.people[r.id] ?? 0]),
      ),
      ...(p.enterprises === undefined ? {} : { enterprises: p.enterprises }),
    }));
}
