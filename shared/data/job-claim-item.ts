// Item type JobClaim: "this run of a scheduled job, for this period (and part), is being done
// or is done". EventBridge Scheduler delivers at least once, an operator may run a job again,
// and a run that failed is re-run by hand: each run claims its period before its side effect
// (a mail, a batch, a started return) with a conditional put, and marks it done after. A
// second run finds it done and does nothing; one that finds it claimed leaves it to its holder
// until the lease ends. The lease outlives Lambda's longest timeout (15 minutes), so a running
// run is never overtaken, and one that died (timeout, out of memory) blocks its period only
// until then. A run that fails with an error gives its claim back at once.
import { TABLE } from './table.ts';

export const jobClaimKey = (job: string, period: string, part?: string) => ({
  pk: `JOB#${job}`,
  sk: part ? `${period}#${part}` : period,
});

/** Longer than any Lambda function may run (900 s). */
export const JOB_LEASE_SECONDS = 16 * 60;

/** Kept past the longest period (a year) and its late re-runs; the TTL removes it then. */
export const JOB_CLAIM_KEEP_DAYS = 400;

export type JobClaimState = 'claimed' | 'done';

export interface JobClaimItem {
  pk: string;
  sk: string;
  type: 'JobClaim';
  job: string;
  period: string;
  part?: string;
  state: JobClaimState;
  /** The run holding the claim (its id), so only it marks the claim done or gives it back. */
  runId: string;
  claimedAt: string;
  /** Epoch milliseconds: after this, a claim still `claimed` may be taken over by another run. */
  leaseUntil: number;
  doneAt?: string;
  /** TTL (epoch seconds). */
  expiresAt: number;
}

export function toJobClaimItem(
  claim: { job: string; period: string; part?: string },
  runId: string,
  at: Date,
): JobClaimItem {
  return {
    ...jobClaimKey(claim.job, claim.period, claim.part),
    type: 'JobClaim',
    job: claim.job,
    period: claim.period,
    ...(claim.part ? { part: claim.part } : {}),
    state: 'claimed',
    runId,
    claimedAt: at.toISOString(),
    leaseUntil: at.getTime() + JOB_LEASE_SECONDS * 1000,
    [TABLE.ttlAttribute]: Math.floor(at.getTime() / 1000) + JOB_CLAIM_KEEP_DAYS * 86_400,
  } as JobClaimItem;
}
