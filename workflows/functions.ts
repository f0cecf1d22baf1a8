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
