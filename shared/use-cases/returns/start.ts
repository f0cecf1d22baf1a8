// Starting the annual return and reading where it stands. The year starts on the programme's
// `assessment.opensOn` (the schedule) or when province staff start it; either way there is one
// execution per programme and year, so a second start answers "already started". Province staff
// and auditors read every unit, city staff their own unit: the enterprises that answered and
// those on the follow-up list, the removals and the nominees (masked names).

import { annualExecutionName } from '#workflows/return-state.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { getProgram, PROGRAMS } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import { authorize, type StaffPrincipal, unitsFor } from '../../domain/staff.ts';
import { logger } from '../../observability/logger.ts';
import type {
  FollowUp,
  Nominee,
  RemovalOutcome,
  Responded,
  ReturnStarter,
  ReturnStore,
  UnitReturn,
  UnitStatus,
} from '../../ports/returns.ts';
import { unitResults } from './answers.ts';
import { isAssessableYear, opensToday } from './calendar.ts';

export interface ReturnStartDeps {
  starter: Pick<ReturnStarter, 'startProgram'>;
  store: Pick<ReturnStore, 'getProgram' | 'listUnits' | 'enterpriseRange'>;
  now: () => Date;
}

export interface StartAnswer {
  programId: string;
  year: string;
  execution: string;
  status: 'started' | 'already_started' | 'closed' | 'failed';
}

/** Why the nominee list carries no full names (shown with the list). */
export const PUBLICATION_NOTE = {
  zh: '推荐名单仅以脱敏姓名（如 张*）提供；评选结果公示名单（/selection）仅公开本人在备案时另行同意公示的人员姓名，其余脱敏。',
  en: 'Nominees are shown with masked names; the published selection (/selection) names only the people who gave the separate consent to publication on their filing, the others masked.',
} as const;

export function checkYear(program: Program, year: string, now: Date): void {
  if (!isAssessableYear(program, year, now)) {
    throw new ValidationError([
      {
        path: 'year',
        code: 'invalid_year',
        message: {
          zh: `年度应为 ${program.policy.issued.slice(0, 4)} 年至今年之间的四位年份`,
          en: 'year must be a four-digit year from the policy’s year to this year',
        },
      },
    ]);
  }
}

async function start(deps: ReturnStartDeps, program: Program, year: string): Promise<StartAnswer> {
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

/** POST /staff/programs/{programId}/returns/{year}: province staff open the year's return. */
export async function startReturns(
  deps: ReturnStartDeps,
  principal: StaffPrincipal,
  programId: string,
  year: string,
): Promise<StartAnswer> {
  authorize(principal, 'import', { programId });
  const program = getProgram(programId);
  checkYear(program, year, deps.now());
  const answer = await start(deps, program, year);
  logger.info('annual return start requested', {
    programId,
    year,
    status: answer.status,
    by: principal.subject,
  });
  return answer;
}

/** The schedule: starts the programmes whose return opens today. */
export async function startDueReturns(
  deps: ReturnStartDeps,
  programs: readonly Program[] = PROGRAMS,
): Promise<StartAnswer[]> {
  const answers: StartAnswer[] = [];
  for (const { program, year } of opensToday(programs, deps.now())) {
    answers.push(await start(deps, program, year));
  }
  return answers;
}

export interface UnitAnswer {
  unit: string;
  status: UnitStatus;
  deadline: string;
  enterprises: number;
  members: number;
  answered: Responded[];
  unanswered: FollowUp[];
  removals: {
    filingId: string;
    name: string;
    role: string;
    enterprise: string;
    cause: string;
    outcome?: RemovalOutcome;
  }[];
  nominees: Nominee[];
  acknowledgedAt?: string;
  acknowledgedBy?: 'city' | 'province';
  error?: string;
}

export interface ReturnsAnswer {
  programId: string;
  year: string;
  status: 'open' | 'closed' | 'failed';
  startedAt: string;
  closedAt?: string;
  units: UnitAnswer[];
  publication: typeof PUBLICATION_NOTE;
}

async function unitAnswer(
  store: Pick<ReturnStore, 'enterpriseRange'>,
  unit: UnitReturn,
): Promise<UnitAnswer> {
  // While the enterprises still answer, the lists are read live from the unit's enterprises.
  const results =
    unit.results ??
    unitResults(
      unit.unit,
      unit.enterprises > 0
        ? await store.enterpriseRange(unit.programId, unit.year, unit.unit, 1, unit.enterprises)
        : [],
    );
  return {
    unit: unit.unit,
    status: unit.status,
    deadline: unit.deadline,
    enterprises: unit.enterprises,
    members: unit.members,
    answered: results.responded,
    unanswered: results.followUp,
    removals: results.removals.map((r) => ({
      filingId: r.filingId,
      name: r.name,
      role: r.role,
      enterprise: r.enterprise,
      cause: r.cause,
      ...(unit.outcomes?.[r.filingId] ? { outcome: unit.outcomes[r.filingId] } : {}),
    })),
    nominees: results.nominees,
    ...(unit.acknowledgedAt ? { acknowledgedAt: unit.acknowledgedAt } : {}),
    ...(unit.acknowledgedBy ? { acknowledgedBy: unit.acknowledgedBy.role } : {}),
    ...(unit.error ? { error: unit.error } : {}),
  };
}

/** GET /staff/programs/{programId}/returns/{year}: per unit (city staff: their own), as it stands. */
export async function returnResults(
  deps: Pick<ReturnStartDeps, 'store' | 'now'>,
  principal: StaffPrincipal,
  programId: string,
  year: string,
): Promise<ReturnsAnswer> {
  const program = getProgram(programId);
  const visible = new Set(unitsFor(principal, 'list', program.id));
  if (visible.size === 0) throw new ForbiddenError('forbidden');
  checkYear(program, year, deps.now());
  const stored = await deps.store.getProgram(programId, year);
  if (!stored) throw new NotFoundError('return');
  const units = (await deps.store.listUnits(programId, year)).filter((u) => visible.has(u.unit));
  const answers: UnitAnswer[] = [];
  for (const unit of units) answers.push(await unitAnswer(deps.store, unit));
  return {
    programId,
    year,
    status: stored.status,
    startedAt: stored.startedAt,
    ...(stored.closedAt ? { closedAt: stored.closedAt } : {}),
    units: answers,
    publication: PUBLICATION_NOTE,
  };
}
