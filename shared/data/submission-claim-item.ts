// Item type SubmissionClaim: "a request with this Idempotency-Key is being processed", on the
// filing's partition before the filing exists. Taken conditionally by the one request that
// goes on to copy the documents and store the filing; a concurrent request with the same key
// finds it and does not touch the bucket. The lease outlives the submit function's timeout, so a
// running request is never overtaken, and a crashed one blocks its key only until it ends. Kept
// after the filing is stored (later requests find the filing first); the TTL removes it.
import { TABLE } from './table.ts';

export const claimKey = (filingId: string) => ({ pk: `FILING#${filingId}`, sk: 'CLAIM' as const });

/** Longer than the submit function's timeout (10 s). */
export const CLAIM_LEASE_SECONDS = 30;

export interface SubmissionClaimItem {
  pk: string;
  sk: 'CLAIM';
  type: 'SubmissionClaim';
  filingId: string;
  requestHash: string;
  /** Epoch milliseconds: after this another request with the key may take over. */
  leaseUntil: number;
  /** TTL (epoch seconds): a day after the lease. */
  expiresAt: number;
}

export function toClaimItem(filingId: string, requestHash: string, at: Date): SubmissionClaimItem {
  const leaseUntil = at.getTime() + CLAIM_LEASE_SECONDS * 1000;
  return {
    ...claimKey(filingId),
    type: 'SubmissionClaim',
    filingId,
    requestHash,
    leaseUntil,
    [TABLE.ttlAttribute]: Math.floor(leaseUntil / 1000) + 86_400,
  } as SubmissionClaimItem;
}
