// Province staff set each reporting unit's yearly plan (年度发展计划) and read it back. Writing
// a plan takes the same right as importing pool members (province staff of the programme:
// both put the province's own figures into the system); reading it, the report's (province
// staff and auditors). Every write is in the access log of each unit it names.

import { ValidationError } from '../../domain/errors.ts';
import { checkPlan, checkPlanYear, type PlanRequest, type YearPlan } from '../../domain/plans.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import type { PlanStore } from '../../ports/plans.ts';
import { planTemplate, readPlanWorkbook } from './plan-sheet.ts';

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

/** The year's template (the units, with the year's plans where set), for province staff. */
export async function yearPlanTemplate(
  deps: PlanDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string },
): Promise<Buffer> {
  const program = getProgram(input.programId);
  authorize(principal, 'import', { programId: program.id });
  checkPlanYear(input.year);
  return planTemplate(program, await deps.plans.get(program.id, input.year));
}

/**
 * A filled template uploaded: the year's plans replaced by it, as the PUT would. A unit the
 * programme does not have is named by its sheet row.
 */
export async function uploadYearPlan(
  deps: PlanDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string; fileName?: string; workbook: Uint8Array },
): Promise<YearPlan> {
  const program = getProgram(input.programId);
  authorize(principal, 'import', { programId: program.id });
  checkPlanYear(input.year);
  const { request, rows } = await readPlanWorkbook(program, input.workbook);
  const source = (input.fileName ?? 'upload.xlsx').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100);
  try {
    return await setYearPlan(deps, principal, { programId: program.id, year: input.year, request, source });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.issues.map((issue) => {
        const match = /^units\.(\d+)\.(.*)$/.exec(issue.path);
        const row = match ? rows[Number(match[1])] : undefined;
        return row === undefined ? issue : { ...issue, path: `rows.${row}.${match?.[2]}` };
      }),
    );
  }
}
