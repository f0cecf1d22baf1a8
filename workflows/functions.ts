// The Lambda functions the state machines call, and the definition substitutions that name
// them: one table for the CDK app and the local engine, so both wire the same handlers.
import { ANNUAL_RETURN_ARN_ENV, FILING_WORKFLOW_ARN_ENV, UNIT_RETURN_ARN_ENV } from '#shared/config/env.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { assessmentScheduleExpression } from '#shared/use-cases/returns/calendar.ts';

export interface WorkflowFunction {
  id: string;
  handler: string;
  /** The `${…}` placeholder in the ASL files that this function's ARN replaces. */
  substitution: string;
}

export const WORKFLOW_FUNCTIONS: readonly WorkflowFunction[] = [
  { id: 'WorkflowStep', handler: 'functions/workflow/step.ts', substitution: 'WorkflowStepFunctionArn' },
  { id: 'WorkflowWait', handler: 'functions/workflow/wait.ts', substitution: 'WorkflowWaitFunctionArn' },
  { id: 'ReturnStep', handler: 'functions/returns/step.ts', substitution: 'ReturnStepFunctionArn' },
  { id: 'ReturnWait', handler: 'functions/returns/wait.ts', substitution: 'ReturnWaitFunctionArn' },
];

export interface StateMachineDef {
  id: string;
  file: string;
  /** The variable holding its ARN in the functions that start it. */
  arnEnv: string;
}

export const STATE_MACHINES: readonly StateMachineDef[] = [
  { id: 'FilingWorkflow', file: 'workflows/filing.asl.json', arnEnv: FILING_WORKFLOW_ARN_ENV },
  { id: 'AnnualReturn', file: 'workflows/annual-return.asl.json', arnEnv: ANNUAL_RETURN_ARN_ENV },
  { id: 'UnitReturn', file: 'workflows/unit-return.asl.json', arnEnv: UNIT_RETURN_ARN_ENV },
];

// Kept for the benchmark's in-process runtime (bench/lib/cold-response.ts); new code imports the registry.
export { FILING_WORKFLOW_ARN_ENV } from '#shared/config/env.ts';

export interface Schedule {
  id: string;
  handler: string;
  /** EventBridge Scheduler expression, evaluated in `timezone`. */
  expression: string;
  timezone: 'Asia/Shanghai';
  description: string;
}

/** Scheduled jobs: the CDK app creates them in EventBridge Scheduler; `npm start` runs the same expressions. */
export const SCHEDULES: readonly Schedule[] = [
  {
    id: 'WeeklyBatches',
    handler: 'functions/schedules/send-batches.ts',
    expression: 'cron(0 9 ? * MON *)',
    timezone: 'Asia/Shanghai',
    description:
      'Every Monday 09:00: each unit’s approved filings go to the province as one summary batch (附件2)',
  },
  {
    id: 'AnnualReturnStart',
    handler: 'functions/returns/scheduled-start.ts',
    expression: assessmentScheduleExpression(PROGRAMS),
    timezone: 'Asia/Shanghai',
    description:
      'Each programme’s assessment.opensOn, 08:00 Beijing: the year’s annual return (激励考核) opens, one link to each enterprise with pool members',
  },
  {
    id: 'MonthlyTargetReport',
    handler: 'functions/schedules/target-report.ts',
    expression: 'cron(0 8 1 * ? *)',
    timezone: 'Asia/Shanghai',
    description:
      'The 1st of every month 08:00: each programme’s target-progress report, stored and mailed to the province',
  },
  {
    id: 'YearEndTargetReport',
    handler: 'functions/schedules/target-report.ts',
    expression: 'cron(0 20 31 12 ? *)',
    timezone: 'Asia/Shanghai',
    description: '31 December 20:00: the year-end target-progress report of each programme',
  },
  {
    id: 'DailyRetention',
    handler: 'functions/schedules/retention.ts',
    expression: 'cron(30 3 * * ? *)',
    timezone: 'Asia/Shanghai',
    description:
      'Every day 03:30: filings withdrawn, rejected, declined or removed longer ago than the programme’s retention period are anonymized',
  },
];

/** The same expression for a five-field cron library: `cron(m h dom mon dow year)` → `m h dom mon dow`. */
export function toFiveFieldCron(expression: string): string {
  const match = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = match?.[1]?.split(/\s+/) ?? [];
  if (fields.length !== 6) throw new Error(`not an EventBridge cron expression: ${expression}`);
  return fields
    .slice(0, 5)
    .map((f) => (f === '?' ? '*' : f))
    .join(' ');
}
