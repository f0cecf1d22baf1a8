// The port of the retention job (docs/domain.md §8): it finds the filings not anonymized yet, reads
// the state each one is in, and anonymizes a due one in the store. The DynamoDB adapter is
// shared/data/retention-store.ts; unit tests use an in-memory fake.
import type { FilingState } from '../domain/lifecycle.ts';
import type { StoredFiling } from './filings.ts';

/** A filing whose body is not anonymized yet. */
export interface RetentionCandidate {
  filingId: string;
  programId: string;
}

/** What a filing's latest event says: its state, since when, at which version. */
export interface LatestState {
  state: FilingState;
  version: number;
  at: string;
  /** The person withdrew consent: the record is erased on the next run, whatever the period. */
  erasureRequested?: boolean;
}

/**
 * The trace an anonymization leaves on the filing (`FILING#<id>` / `ANONYMIZED`): when, under
 * which rule, from which final event, and what it removed. No personal data.
 */
export interface AnonymizationRecord {
  filingId: string;
  programId: string;
  at: string;
  /** The period ran out, or the person withdrew consent. */
  rule: 'retention' | 'consent_withdrawn';
  retentionDays: number;
  finalState: FilingState;
  finalAt: string;
  finalVersion: number;
  attachmentsDeleted: number;
  trailItemsRedacted: number;
}

export interface RetentionStore {
  /** Every filing not anonymized yet (of one programme when given), in no particular order. */
  candidates(filter: { programId?: string }): AsyncIterable<RetentionCandidate>;
  latestState(filingId: string): Promise<LatestState | undefined>;
  /** The stored filing, or undefined when it is gone or already anonymized. */
  storedFiling(filingId: string): Promise<StoredFiling | undefined>;
  /**
   * Replaces the free text kept beside the filing (event reasons, access reasons, workflow
   * failure causes, the review decision's reason) with `marker`, leaving every other
   * attribute as it is. Repeating it changes nothing. Returns how many items it changed.
   */
  redactTrail(filingId: string, marker: string): Promise<number>;
  /**
   * The last step: the body becomes `filing`, loses its ciphertext and keyed hashes, gets
   * `anonymizedAt`, and the record is written beside it, in one conditional write. False
   * when the filing was anonymized already (nothing is written then).
   */
  seal(input: { filing: StoredFiling; record: AnonymizationRecord }): Promise<boolean>;
}
