// The Lambda functions the state machines call, and the definition substitutions that name
// them: one table for the CDK app and the local engine, so both wire the same handlers.
export interface WorkflowFunction {
  id: string;
  handler: string;
  /** The `${…}` placeholder in the ASL files that this function's ARN replaces. */
  substitution: string;
}

export const WORKFLOW_FUNCTIONS: readonly WorkflowFunction[] = [
  { id: 'WorkflowStep', handler: 'functions/workflow/step.ts', substitution: 'WorkflowStepFunctionArn' },
  { id: 'WorkflowWait', handler: 'functions/workflow/wait.ts', substitution: 'WorkflowWaitFunctionArn' },
];

export interface StateMachineDef {
  id: string;
  file: string;
}

export const STATE_MACHINES: readonly StateMachineDef[] = [
  { id: 'FilingWorkflow', file: 'workflows/filing.asl.json' },
];

/** Environment variable holding a state machine's ARN for the functions that start it. */
export const FILING_WORKFLOW_ARN_ENV = 'FILING_WORKFLOW_ARN';

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
