// The target-progress report as data: the one schema of what the JSON carries (the CSV and
// HTML renderers and a future staff route read this shape); its type is inferred.
import * as z from 'zod/mini';
import { STATES } from '../../domain/lifecycle.ts';
import { CoverageReportSchema } from './coverage.ts';
import { PlanProgressSchema } from './plan-progress.ts';
import { TrainingMilestonesSchema } from './training-milestones.ts';

const localized = z.object({ zh: z.string(), en: z.string() });
const count = z.number().check(z.int());
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const yearMonth = z.string().check(z.regex(/^\d{4}-\d{2}$/));

export const ReportInputSchema = z.object({
  programId: z.string().check(z.minLength(1)),
  /** The date the report describes, Asia/Shanghai. */
  asOf: isoDate,
});

export const CountsSchema = z.object({
  /** Filings received (entries into `submitted`), by the unit and role they were filed under. */
  filed: count,
  /** submitted + city_review + changes_requested + province_review. */
  underReview: count,
  /** The programme's members: in the talent pool (in_pool), or registered where the city's approval ends the review. */
  inPool: count,
  removed: count,
  withdrawn: count,
  rejected: count,
  declined: count,
  /** Every lifecycle state's count. */
  states: z.record(z.enum(STATES), count),
});

export const TargetStatusSchema = z.object({
  id: z.string(),
  description: localized,
  deadline: isoDate,
  minPoolSize: count,
  /** Roles the target counts. */
  roles: z.array(z.string()),
  /** Pool members of those roles. */
  pool: count,
  remaining: count,
  reached: z.boolean(),
  deadlinePassed: z.boolean(),
});

export const PaceSchema = z.object({
  targetId: z.string(),
  /** Months (of 30.44 days) from the data's date to the deadline; 0 once it has passed. */
  monthsLeft: z.number(),
  /** People per month needed to reach the target by the deadline; null once it has passed unreached. */
  needed: z.nullable(z.number()),
  /** Mean monthly net growth of the pool over the window. */
  achieved: z.number(),
  window: z.object({ from: yearMonth, through: isoDate, months: z.number(), growth: count }),
  /** When the target is met at the achieved pace; null when reached already or the pace is ≤ 0. */
  projectedDate: z.nullable(isoDate),
  /** The month from which the pool has stayed at or above the target, when it is reached. */
  reachedIn: z.nullable(yearMonth),
  onTrack: z.boolean(),
});

export const UnitSummarySchema = z.object({
  unit: z.string(),
  name: localized,
  /** False for a code the counters hold but the programme no longer lists (codes change). */
  configured: z.boolean(),
  counts: CountsSchema,
  /** Share of the province's pool (0–1). */
  poolShare: z.number(),
  includedLast3Months: count,
  lagging: z.boolean(),
});

export const RoleSummarySchema = z.object({ role: z.string(), name: localized, counts: CountsSchema });

export const ReportRowSchema = z.object({
  unit: z.string(),
  unitName: localized,
  role: z.string(),
  roleName: localized,
  counts: CountsSchema,
});

export const TrendPointSchema = z.object({
  month: yearMonth,
  /** Entries that month: filings received, people included, people removed. */
  filed: count,
  included: count,
  removed: count,
  /** Pool size at the month's end (for the last month: at `basis.monthlyThrough`). */
  pool: count,
  /** The same, counting only the roles of the active target. */
  targetPool: count,
});

export const TargetProgressReportSchema = z.object({
  kind: z.literal('target-progress'),
  programId: z.string(),
  programTitle: localized,
  province: localized,
  asOf: isoDate,
  generatedAt: z.string(),
  /** The dates the figures actually describe (see notes): counters are monthly and yearly sums. */
  basis: z.object({
    /** Pool, removals, filings received, trend, pace and lagging units. */
    monthlyThrough: isoDate,
    /** Under review, withdrawn, rejected, declined (yearly net changes). */
    yearlyThrough: isoDate,
    /** Every figure describes exactly `asOf`. */
    exact: z.boolean(),
  }),
  pool: count,
  /**
   * What "the pool" counts for this programme, and the words the renderers use for it: 在库
   * (in_pool) where the province includes people, 已备案 (registered) where the city's
   * approval ends the review.
   */
  members: z.object({
    state: z.enum(['in_pool', 'registered']),
    /** The members' state, as a heading (在库 / 已备案). */
    label: localized,
    /** Entering it (纳入 / 备案), for the monthly entries. */
    entered: localized,
  }),
  /** The first pool-size target whose deadline is on or after asOf (else the last one). */
  target: z.nullable(TargetStatusSchema),
  finalTarget: z.nullable(TargetStatusSchema),
  /** The next milestone of any kind (targets without a size included). */
  nextMilestone: z.nullable(z.object({ id: z.string(), deadline: isoDate, description: localized })),
  pace: z.nullable(PaceSchema),
  totals: CountsSchema,
  byUnit: z.array(UnitSummarySchema),
  byRole: z.array(RoleSummarySchema),
  rows: z.array(ReportRowSchema),
  trend: z.array(TrendPointSchema),
  lagging: z.object({ rule: localized, months: z.array(yearMonth), units: z.array(z.string()) }),
  /** Each planned unit against its yearly plan for asOf's year, and the units behind it. */
  plan: PlanProgressSchema,
  /** The training milestones, from the recorded batches (absent where the programme sets none). */
  trainingMilestones: z.optional(TrainingMilestonesSchema),
  /**
   * Enterprises covered now, per unit and in total, split by 规上 and 战略性新兴产业 (coverage.ts); absent where the
   * programme counts no coverage (Liaoning).
   */
  coverage: z.optional(CoverageReportSchema),
  notes: z.array(localized),
});

export type Counts = z.infer<typeof CountsSchema>;
export type TargetStatus = z.infer<typeof TargetStatusSchema>;
export type Pace = z.infer<typeof PaceSchema>;
export type UnitSummary = z.infer<typeof UnitSummarySchema>;
export type RoleSummary = z.infer<typeof RoleSummarySchema>;
export type ReportRow = z.infer<typeof ReportRowSchema>;
export type TrendPoint = z.infer<typeof TrendPointSchema>;
export type TargetProgressReport = z.infer<typeof TargetProgressReportSchema>;
