// The state objects of the annual return (workflows/annual-return.asl.json, the programme's
// year, and workflows/unit-return.asl.json, one reporting unit). Every task takes its
// machine's state and returns it; each task boundary parses it, so a malformed state fails
// loudly instead of travelling on.
import * as z from 'zod/mini';

const year = z.string().check(z.regex(/^\d{4}$/));
const count = z.number().check(z.int(), z.minimum(0));
const caught = z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) }));

/** AnnualReturn: one execution per programme and year (name `<programId>-<year>`). */
export const AnnualReturnStateSchema = z.object({
  programId: z.string().check(z.minLength(1)),
  year,
  /** Units whose child execution was started (set by StartUnits). */
  units: z.optional(count),
  /** The wait for every unit to finish: the longest a unit may take, plus a day. */
  wait: z.optional(z.object({ timeoutSeconds: z.number().check(z.int(), z.minimum(1)) })),
  /** What AwaitUnits returned (all units finished). */
  finished: z.optional(z.unknown()),
  error: caught,
});

export const RETURN_WAIT_KINDS = ['notify', 'remind', 'escalate'] as const;

/** UnitReturn: one execution per programme, year and unit (name `<programId>-<year>-<unit>`). */
export const UnitReturnStateSchema = z.object({
  programId: z.string().check(z.minLength(1)),
  year,
  unit: z.string().check(z.regex(/^[0-9A-Z-]{2,20}$/)),
  /** Enterprises of the unit's return (0 before OpenUnit, or when the unit has nobody in the pool). */
  enterprises: count,
  /** Enterprises handled by the current mail round (links or reminders), and whether a batch is left. */
  sent: count,
  more: z.boolean(),
  /** After a collection wait ended: remind the enterprises, or close the collection. */
  next: z.optional(z.enum(['remind', 'close'])),
  /** Wait segments used so far in the current phase (collection, then acknowledgement). */
  attempt: count,
  wait: z.object({
    timeoutSeconds: z.number().check(z.int(), z.minimum(1)),
    kind: z.enum(RETURN_WAIT_KINDS),
  }),
  /** Removals the city's acknowledgement applies, and how many are done. */
  removals: count,
  applied: count,
  /** What the waits returned. */
  answered: z.optional(z.unknown()),
  acknowledged: z.optional(z.unknown()),
  error: caught,
});

export type AnnualReturnState = z.output<typeof AnnualReturnStateSchema>;
export type UnitReturnState = z.output<typeof UnitReturnStateSchema>;

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    const error = new Error(`invalid workflow state: ${where}`);
    error.name = 'InvalidWorkflowState';
    throw error;
  }
  return result.data;
}

export const parseAnnualState = (input: unknown): AnnualReturnState =>
  parseWith(AnnualReturnStateSchema, input);
export const parseUnitState = (input: unknown): UnitReturnState => parseWith(UnitReturnStateSchema, input);

/** Execution names: derived, so a repeated start of the same programme, year (and unit) is harmless. */
export const annualExecutionName = (programId: string, year: string) => `${programId}-${year}`;
export const unitExecutionName = (programId: string, year: string, unit: string) =>
  `${programId}-${year}-${unit}`;

/** The input that starts the programme's year. */
export function initialAnnualState(programId: string, year: string): AnnualReturnState {
  return { programId, year };
}

/** The input that starts one unit's return. */
export function initialUnitState(programId: string, year: string, unit: string): UnitReturnState {
  return {
    programId,
    year,
    unit,
    enterprises: 0,
    sent: 0,
    more: false,
    attempt: 0,
    wait: { timeoutSeconds: 1, kind: 'notify' },
    removals: 0,
    applied: 0,
  };
}
