// The state objects of the annual assessment (workflows/annual-assessment.asl.json, the
// programme's year, and workflows/unit-assessment.asl.json, one reporting unit's batch).
// Every task takes its machine's state and returns it; each task boundary parses it, so a
// malformed state fails loudly instead of travelling on.
import * as z from 'zod/mini';

const year = z.string().check(z.regex(/^\d{4}$/));
const caught = z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) }));

/** AnnualAssessment: one execution per programme and year (name `<programId>-<year>`). */
export const AnnualAssessmentStateSchema = z.object({
  programId: z.string().check(z.minLength(1)),
  year,
  /** Units whose child execution was started (set by StartUnits). */
  units: z.optional(z.number().check(z.int(), z.minimum(0))),
  /** The wait for every unit to finish: the longest a unit may take, plus a day. */
  wait: z.optional(z.object({ timeoutSeconds: z.number().check(z.int(), z.minimum(1)) })),
  /** What AwaitUnits returned (all units finished). */
  finished: z.optional(z.unknown()),
  error: caught,
});

export const GRADING_WAIT_KINDS = ['notify', 'remind', 'escalate'] as const;

/** UnitAssessment: one execution per programme, year and unit (name `<programId>-<year>-<unit>`). */
export const UnitAssessmentStateSchema = z.object({
  programId: z.string().check(z.minLength(1)),
  year,
  unit: z.string().check(z.regex(/^[0-9A-Z-]{2,20}$/)),
  /** Pages of the unit's batch (0 before OpenUnit, or when the unit has nobody to assess). */
  pages: z.number().check(z.int(), z.minimum(0)),
  /** Pages whose grades are applied so far, and whether ApplyPage has another one to do. */
  applied: z.number().check(z.int(), z.minimum(0)),
  more: z.boolean(),
  /** Wait segments used so far (0 = first notice, then reminders, then escalation). */
  attempt: z.number().check(z.int(), z.minimum(0)),
  wait: z.object({
    timeoutSeconds: z.number().check(z.int(), z.minimum(1)),
    kind: z.enum(GRADING_WAIT_KINDS),
  }),
  /** What AwaitGrades returned (every page graded). */
  graded: z.optional(z.unknown()),
  error: caught,
});

export type AnnualAssessmentState = z.output<typeof AnnualAssessmentStateSchema>;
export type UnitAssessmentState = z.output<typeof UnitAssessmentStateSchema>;

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

export const parseAnnualState = (input: unknown): AnnualAssessmentState =>
  parseWith(AnnualAssessmentStateSchema, input);
export const parseUnitState = (input: unknown): UnitAssessmentState =>
  parseWith(UnitAssessmentStateSchema, input);

/** Execution names: derived, so a repeated start of the same programme, year (and unit) is harmless. */
export const annualExecutionName = (programId: string, year: string) => `${programId}-${year}`;
export const unitExecutionName = (programId: string, year: string, unit: string) =>
  `${programId}-${year}-${unit}`;

/** The input that starts the programme's year. */
export function initialAnnualState(programId: string, year: string): AnnualAssessmentState {
  return { programId, year };
}

/** The input that starts one unit's batch. */
export function initialUnitState(programId: string, year: string, unit: string): UnitAssessmentState {
  return {
    programId,
    year,
    unit,
    pages: 0,
    applied: 0,
    more: false,
    attempt: 0,
    wait: { timeoutSeconds: 1, kind: 'notify' },
  };
}
