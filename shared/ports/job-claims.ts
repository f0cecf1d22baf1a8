// Claims of scheduled jobs' periods (shared/data/job-claim-item.ts): what a run asks before a
// side effect that must happen once per period, and tells after it.

/** One job's period, and optionally one part of it (a programme, a unit) done on its own. */
export interface JobClaimKey {
  job: string;
  /** The period the run is for, in Asia/Shanghai: `2026-12-07`, `2026-W50`, `2026-12`, `2026`. */
  period: string;
  part?: string;
}

export type ClaimOutcome =
  /** This run holds the period now; `takenOver`: from a run whose lease had ended. */
  | { status: 'claimed'; runId: string; takenOver: boolean }
  /** Done by an earlier run: nothing to do. */
  | { status: 'done'; doneAt: string }
  /** Another run holds it and its lease has not ended. */
  | { status: 'running'; leaseUntil: string };

export interface JobClaims {
  claim(key: JobClaimKey, runId: string, at: Date): Promise<ClaimOutcome>;
  /** Marks the period done; false when this run no longer held it (taken over after its lease). */
  complete(key: JobClaimKey, runId: string, at: Date): Promise<boolean>;
  /** Gives the claim back after a failed run, so a re-run need not wait for the lease. */
  release(key: JobClaimKey, runId: string): Promise<void>;
}
