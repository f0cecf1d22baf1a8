// The port through which use cases store filings and move them through the lifecycle. The
// DynamoDB adapter (shared/data/filing-repository.ts) implements it; unit tests use fakes.
import type { FieldIssue } from '../domain/errors.ts';
import type { Filing } from '../domain/filing.ts';
import type { Action, Actor, FilingState } from '../domain/lifecycle.ts';
import type { OutboxKind } from './outbox.ts';
import type { AccessEntry } from './staff.ts';

/** Who acted: the role, and for staff the account and unit. Never personal data of applicants. */
export interface ActorRef {
  role: Actor;
  id?: string;
  unit?: string;
}

/** A filing as stored: the ID number is replaced by its masked form (the ciphertext stays in the store). */
export type StoredFiling = Omit<Filing, 'person'> & {
  person: Omit<Filing['person'], 'idNumber'> & { idNumberMasked: string };
};

/** One immutable audit event; the latest one carries the filing's current state and version. */
export interface FilingEvent {
  filingId: string;
  version: number;
  action: Action;
  actor: ActorRef;
  from: FilingState | null;
  to: FilingState;
  at: string;
  reason?: string;
  /** Action-specific facts (an assessment grade, a batch id), never personal data. */
  detail?: Record<string, string>;
  programId: string;
  unit: string;
  role: string;
}

export interface FilingRecord {
  filingId: string;
  /** Hash of the normalized filing as first submitted (idempotent retries compare it). */
  requestHash?: string;
  /** When the retention job anonymized the record (nothing personal remains). */
  anonymizedAt?: string;
  /** The pool member's filing this one replaces on inclusion (a role change or a move). */
  supersedes?: string;
  programId: string;
  createdAt: string;
  filing: StoredFiling;
  warnings: FieldIssue[];
  state: FilingState;
  version: number;
  lastEvent: FilingEvent;
}

export interface CreateFilingCommand {
  filingId: string;
  requestHash?: string;
  programId: string;
  filing: Filing;
  warnings: FieldIssue[];
  actor: ActorRef;
  at: string;
  /** Consequences written with the filing, in its transaction (see ports/outbox.ts). */
  outbox?: readonly OutboxKind[];
}

export interface TransitionCommand {
  filingId: string;
  /** What the caller read: the transition only happens if the filing is still there. */
  expected: { state: FilingState; version: number };
  action: Action;
  actor: ActorRef;
  at: string;
  reason?: string;
  detail?: Record<string, string>;
  /** For resubmit after requested changes: the amended filing replaces the stored one. */
  amended?: { filing: Filing; warnings: FieldIssue[] };
  /** Consequences written with the change, in its transaction (see ports/outbox.ts). */
  outbox?: readonly OutboxKind[];
}

export interface WorkflowFailure {
  at: string;
  stage: string;
  error: string;
  cause: string;
}

/**
 * Staff restarted the review of a filing after a recorded workflow failure: the n-th restart,
 * the execution it started and that execution's input (a repeat starts the same one again).
 */
export interface ReviewResume {
  n: number;
  at: string;
  /** The recorded failure (its `at`) this restart answers. */
  failureAt: string;
  executionName: string;
  /** The workflow state the execution starts with, as JSON (no personal data). */
  input: string;
  /** Who restarted it (the staff token's subject). */
  subject: string;
}

/** Whether this request may process its Idempotency-Key now, or whose request holds it. */
export type SubmissionClaim = { claimed: true } | { claimed: false; requestHash: string };

export interface FilingRepository {
  /** Takes the key's lease before anything is written for it (the bucket included). */
  claimSubmission(filingId: string, requestHash: string, at: Date): Promise<SubmissionClaim>;
  /** Gives the lease back after a refused or failed attempt, so that a retry need not wait. */
  releaseSubmission(filingId: string, requestHash: string): Promise<void>;
  create(command: CreateFilingCommand): Promise<FilingRecord>;
  get(filingId: string): Promise<FilingRecord>;
  history(filingId: string): Promise<FilingEvent[]>;
  transition(command: TransitionCommand): Promise<FilingEvent>;
  /** The clear ID number, for the rare role that may see it (audited by the caller). */
  revealIdNumber(filingId: string): Promise<string>;
  /** Records that the workflow failed on this filing (kept for staff and operators). */
  recordFailure(filingId: string, failure: WorkflowFailure): Promise<void>;
  failures(filingId: string): Promise<WorkflowFailure[]>;
  /** Restarts of the filing's review, oldest first. */
  resumes(filingId: string): Promise<ReviewResume[]>;
  /**
   * Records the n-th restart together with its access-log line, in one transaction; a
   * concurrent restart that took the n-th first makes this a ConcurrentModificationError.
   */
  recordResume(filingId: string, resume: ReviewResume, access: AccessEntry): Promise<void>;
}

/** An enterprise's active filings, counted per role from an index kept with the filings' state changes. */
export interface EnterpriseIndex {
  /** Active filings of the enterprise with this credit code in the programme, by role; `except` is left out. */
  activeByRole(programId: string, uscc: string, except?: string): Promise<Record<string, number>>;
}
