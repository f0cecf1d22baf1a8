// The yearly plans as a workbook: the year's template for province staff to fill in, and a
// filled template uploaded in place of the plan's PUT. Apart from yearly-plans.ts so that only
// the functions that serve or read a workbook bundle exceljs.

import { ValidationError } from '../../domain/errors.ts';
import { checkPlanYear, type YearPlan } from '../../domain/plans.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import { planTemplate, readPlanWorkbook } from './plan-sheet.ts';
import { type PlanDeps, setYearPlan } from './yearly-plans.ts';

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
