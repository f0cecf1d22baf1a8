// Province staff set each reporting unit's yearly plan (年度发展计划) and read it back. Writing
// a plan takes the same right as importing pool members (province staff of the programme:
// both put the province's own figures into the system); reading it, the report's (province
// staff and auditors). Every write is in the access log of each unit it names. The workbook
// template and upload are in yearly-plan-sheets.ts, so that the plan's GET and PUT bundle no exceljs.

import { checkPlan, checkPlanYear, type PlanRequest, type YearPlan } from '../../domain/plans.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import type { PlanStore } from '../../ports/plans.ts';

export { PlanRequestSchema } from '../../domain/plans.ts';

export interface PlanDeps {
  plans: PlanStore;
  now: () => Date;
}

export async function getYearPlan(
  deps: PlanDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string },
): Promise<YearPlan> {
  const program = getProgram(input.programId);
  authorize(principal, 'report', { programId: program.id });
  checkPlanYear(input.year);
  return deps.plans.get(program.id, input.year);
}

export async function setYearPlan(
  deps: PlanDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string; request: PlanRequest; source?: string },
): Promise<YearPlan> {
  const program = getProgram(input.programId);
  const scope = authorize(principal, 'import', { programId: program.id });
  checkPlanYear(input.year);
  const units = checkPlan(program, input.request);
  const at = deps.now().toISOString();
  const plan: YearPlan = {
    programId: program.id,
    year: input.year,
    units,
    setAt: at,
    setBy: principal.subject,
  };
  const reason = input.source
    ? `年度发展计划（${input.source}）/ yearly plan from ${input.source}`
    : '年度发展计划 / yearly plan';
  await deps.plans.put(
    plan,
    units.map((u) => ({
      at,
      programId: program.id,
      unit: u.unit,
      subject: principal.subject,
      role: scope.role,
      what: `plan:${input.year}`,
      reason,
    })),
  );
  return plan;
}
