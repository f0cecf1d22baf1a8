// The port for what the review workflow keeps besides the filing itself: the task a filing
// waits in (with the backend-only Step Functions token and the first decision), review
// links (only their hash), and the city summary batches.
import type { FilingState } from '../domain/lifecycle.ts';

export type ReviewStage = 'city' | 'province' | 'amend';

export interface Decision {
  decision: 'approve' | 'reject' | 'request_changes' | 'include' | 'decline' | 'amended';
  reason?: string;
  actor: { role: 'applicant' | 'city' | 'province'; id?: string; unit?: string };
  at: string;
}

/** The one task a filing waits in now. `seq` names the stage and round, so old links go stale. */
export interface ReviewTask {
  filingId: string;
  programId: string;
  unit: string;
  stage: ReviewStage;
  seq: string;
  taskToken: string;
  escalated: boolean;
  deadline: string;
  /** Set by the first decision; later ones are refused. */
  decided?: Decision;
  /** For the province stage: the batch it was sent in, once sent. */
  batchId?: string;
  /** Set when nobody decided in time: its links answer "expired". */
  expired?: boolean;
}

export interface ReviewLink {
  tokenHash: string;
  programId: string;
  stage: 'city' | 'province';
  seq: string;
  target: { filingId: string } | { batchId: string };
  reviewer: { role: 'city' | 'province'; id: string; unit?: string };
  createdAt: string;
  expiresAt: string;
}

export interface Batch {
  batchId: string;
  programId: string;
  unit: string;
  filingIds: string[];
  createdAt: string;
}

export interface ReviewStore {
  /** Opens (or re-opens after a reminder) the filing's wait; returns the stored task (decided if a decision is already in). */
  openTask(task: Omit<ReviewTask, 'decided' | 'batchId' | 'expired'>): Promise<ReviewTask>;
  getTask(filingId: string): Promise<ReviewTask | undefined>;
  /** Records the first decision for `seq`; throws ConflictError `already_decided` or `stale_link` otherwise. */
  decide(filingId: string, seq: string, decision: Decision): Promise<ReviewTask>;
  /** Marks the task of `seq` as expired (nobody decided in time). */
  expire(filingId: string, seq: string): Promise<void>;
  putLink(link: ReviewLink): Promise<void>;
  getLink(tokenHash: string): Promise<ReviewLink | undefined>;
  /** Filings of a unit waiting for the province and not yet in a batch. */
  pendingForBatch(programId: string, unit: string): Promise<ReviewTask[]>;
  /** Stops listing a filing among those waiting for a batch (it ended while it waited). */
  leaveBatchQueue(filingId: string): Promise<void>;
  /** Creates the batch and marks its tasks; repeating it with the same batch finishes an interrupted one. */
  createBatch(batch: Batch): Promise<void>;
  getBatch(batchId: string): Promise<Batch | undefined>;
}

export type { FilingState };
