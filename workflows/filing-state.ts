// The one state object of the filing workflow (workflows/filing.asl.json). Every task takes
// it and returns it; each task boundary parses it, so a malformed state fails loudly instead
// of travelling on.
import * as z from 'zod/mini';

export const WAIT_KINDS = ['notify', 'remind', 'escalate'] as const;

export const DecisionSchema = z.object({
  decision: z.enum(['approve', 'reject', 'request_changes', 'include', 'decline', 'amended']),
  reason: z.optional(z.string()),
  actor: z.object({
    role: z.enum(['applicant', 'city', 'province']),
    id: z.optional(z.string()),
    unit: z.optional(z.string()),
  }),
  at: z.string(),
});

const FilingIdSchema = z.string().check(z.regex(/^F[0-9A-Z]{13}$/));
/** Set by a Catch: the error that moved the workflow off its path. */
const CaughtErrorSchema = z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) }));

export const FilingWorkflowStateSchema = z.object({
  filingId: FilingIdSchema,
  programId: z.string(),
  /** Rounds of requested changes so far. */
  round: z.number().check(z.int(), z.minimum(0)),
  stage: z.enum(['city', 'province', 'amend']),
  /** Wait segments used in this stage (0 = first notice, then reminders, then escalation). */
  attempt: z.number().check(z.int(), z.minimum(0)),
  /** The next wait: how long, and what the notice says. */
  wait: z.object({ timeoutSeconds: z.number().check(z.int(), z.minimum(1)), kind: z.enum(WAIT_KINDS) }),
  decision: z.optional(DecisionSchema),
  /**
   * Set by the city's approval: true where the programme has no province stage and the filing
   * is now registered (the workflow ends), false where it goes on to the province.
   */
  registered: z.optional(z.boolean()),
  error: CaughtErrorSchema,
});

export type FilingWorkflowState = z.output<typeof FilingWorkflowStateSchema>;
export type WorkflowDecision = z.output<typeof DecisionSchema>;

/** The parsed state, or an InvalidWorkflowState error naming every path at fault. */
function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const where = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const error = new Error(`invalid workflow state: ${where}`);
  error.name = 'InvalidWorkflowState';
  throw error;
}

/** Parses the state at a task boundary. */
export function parseState(input: unknown): FilingWorkflowState {
  return parseWith(FilingWorkflowStateSchema, input);
}

/** What recording a failure needs: the filing and where it failed, even when the rest of the state is what failed. */
export const FailureStateSchema = z.object({
  filingId: FilingIdSchema,
  programId: z.string(),
  stage: z.optional(z.string()),
  error: CaughtErrorSchema,
});
export type FailureState = z.output<typeof FailureStateSchema>;

/**
 * Parses the state the failure handler gets, leniently: a state made invalid by a bad value (the
 * very thing that failed) is still recorded and alerted, not retried into a silent end.
 */
export function parseFailureState(input: unknown): FailureState {
  return parseWith(FailureStateSchema, input);
}

/** The input that starts an execution. */
export function initialState(filingId: string, programId: string): FilingWorkflowState {
  return {
    filingId,
    programId,
    round: 0,
    stage: 'city',
    attempt: 0,
    wait: { timeoutSeconds: 1, kind: 'notify' },
  };
}
