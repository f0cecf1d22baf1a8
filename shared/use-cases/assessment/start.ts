// Starting the annual assessment and reading its results. The year starts on the programme's
// `assessment.opensOn` (the schedule) or when province staff start it; either way there is one
// execution per programme and year, so a second start answers "already started". Province
// staff and auditors read the results per unit and per programme; the outstanding list
// (优秀) shows masked names only.

import { annualExecutionName } from '#workflows/assessment-state.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { getProgram, PROGRAMS } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import { logger } from '../../observability/logger.ts';
import { isAssessableYear, opensToday } from './calendar.ts';
import type { AssessmentStarter, AssessmentStore, ProgramSummary } from './ports.ts';
import { programSummary } from './results.ts';

export interface AssessmentStartDeps {
  starter: Pick<AssessmentStarter, 'startProgram'>;
  store: Pick<AssessmentStore, 'getProgram' | 'listUnits'>;
  now: () => Date;
}

export interface StartAnswer {
  programId: string;
  year: string;
  execution: string;
  status: 'started' | 'already_started' | 'closed' | 'failed';
}

/** Why the outstanding list carries no full names (shown with the list). */
export const PUBLICATION_NOTE = {
  zh: '备案的个人信息同意书不含公开姓名的授权，优秀人员名单仅以脱敏姓名（如 张*）提供。',
  en: 'The filing’s consent covers the privacy notice, not publishing names: the outstanding list shows masked names only.',
} as const;

function checkYear(program: Program, year: string, now: Date): void {
  if (!isAssessableYear(program, year, now)) {
    throw new ValidationError([
      {
        path: 'year',
        code: 'invalid_year',
        message: {
          zh: `考核年度应为 ${program.policy.issued.slice(0, 4)} 年至今年之间的四位年份`,
          en: 'year must be a four-digit year from the policy’s year to this year',
        },
      },
    ]);
  }
}

async function start(deps: AssessmentStartDeps, program: Program, year: string): Promise<StartAnswer> {
  // The year's record exists once its execution has run its first step. Before that, a repeat
  // reaches Step Functions, which answers a running execution's name with that execution.
  const stored = await deps.store.getProgram(program.id, year);
  if (stored) {
    const status = stored.status === 'open' ? 'already_started' : stored.status;
    return { programId: program.id, year, execution: annualExecutionName(program.id, year), status };
  }
  const started = await deps.starter.startProgram(program.id, year);
  return {
    programId: program.id,
    year,
    execution: started.execution,
    status: started.alreadyStarted ? 'already_started' : 'started',
  };
}

/** POST /staff/programs/{programId}/assessments/{year}: province staff start the year. */
export async function startAssessment(
  deps: AssessmentStartDeps,
  principal: StaffPrincipal,
  programId: string,
  year: string,
): Promise<StartAnswer> {
  authorize(principal, 'import', { programId });
  const program = getProgram(programId);
  checkYear(program, year, deps.now());
  const answer = await start(deps, program, year);
  logger.info('annual assessment start requested', {
    programId,
    year,
    status: answer.status,
    by: principal.subject,
  });
  return answer;
}

/** The schedule (daily or on the common day): starts the programmes whose assessment opens today. */
export async function startDueAssessments(
  deps: AssessmentStartDeps,
  programs: readonly Program[] = PROGRAMS,
): Promise<StartAnswer[]> {
  const answers: StartAnswer[] = [];
  for (const { program, year } of opensToday(programs, deps.now())) {
    answers.push(await start(deps, program, year));
  }
  return answers;
}

export interface ResultsAnswer extends ProgramSummary {
  programId: string;
  year: string;
  status: 'open' | 'closed' | 'failed';
  startedAt: string;
  closedAt?: string;
  publication: typeof PUBLICATION_NOTE;
}

/** GET /staff/programs/{programId}/assessments/{year}: results per unit and for the programme. */
export async function assessmentResults(
  deps: Pick<AssessmentStartDeps, 'store' | 'now'>,
  principal: StaffPrincipal,
  programId: string,
  year: string,
): Promise<ResultsAnswer> {
  authorize(principal, 'report', { programId });
  const program = getProgram(programId);
  checkYear(program, year, deps.now());
  const stored = await deps.store.getProgram(programId, year);
  if (!stored) throw new NotFoundError('assessment');
  // Live from the units (a unit may finish after a closed summary was mailed).
  const summary = programSummary(stored.units ?? [], await deps.store.listUnits(programId, year));
  return {
    programId,
    year,
    status: stored.status,
    startedAt: stored.startedAt,
    ...(stored.closedAt ? { closedAt: stored.closedAt } : {}),
    ...summary,
    publication: PUBLICATION_NOTE,
  };
}
