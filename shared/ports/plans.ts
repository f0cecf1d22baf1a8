// The yearly plans (年度发展计划) of a programme's reporting units: read by the report and the
// staff route, written by province staff (the write and its access-log entries together).
import type { YearPlan } from '../domain/plans.ts';
import type { AccessEntry } from './staff.ts';

export interface PlanStore {
  /** The year's plan; `units: []` and `setAt: null` when none was set. */
  get(programId: string, year: string): Promise<YearPlan>;
  /** Replaces the year's plan and writes the access entries in the same transaction. */
  put(plan: YearPlan, access: readonly AccessEntry[]): Promise<void>;
}
