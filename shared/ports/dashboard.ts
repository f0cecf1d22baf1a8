// What the staff dashboard reads besides the counters, the plans, the unit index and the
// annual returns: a filing's current state (its latest event), whether its workflow failure is
// still unanswered, and how many of a unit's province tasks wait for their batch. Each is one
// small keyed read; the DynamoDB adapter is shared/data/dashboard-reads.ts.
import type { Action, FilingState } from '../domain/lifecycle.ts';

export interface LatestEvent {
  state: FilingState;
  action: Action;
  /** When the filing reached its current state (ISO). */
  at: string;
}

export interface DashboardReads {
  /** The filing's latest event: one Query of its `EVENT#` items, newest first, limit 1. */
  latestEvent(filingId: string): Promise<LatestEvent | undefined>;
  /** Workflow failures recorded on the filing and restarts of its review (two counted Queries). */
  failureCounts(filingId: string): Promise<{ failures: number; resumes: number }>;
  /** Province tasks of a unit not yet in a batch nor decided (a counted Query of the sparse awaitingBatch index). */
  awaitingBatch(programId: string, unit: string): Promise<number>;
}
