// The port through which the workflow tells people things. The adapter
// (shared/adapters/mail/notifier.ts) renders the program's Chinese templates and sends them
// through the Mailer; tests use a fake that records the calls.
import type { Program } from '../domain/programs/program.ts';
import type { FilingEvent, FilingRecord } from './filings.ts';

export interface ReviewNotice {
  /**
   * What makes this notice one notice (with each recipient's address, its message id): a retried
   * step gives the same, so the notice is mailed once.
   */
  mailId?: string;
  program: Program;
  record: FilingRecord;
  kind: 'notify' | 'remind' | 'escalate';
  recipients: { name: string; email: string }[];
  /** One link per recipient, in the same order. */
  links: string[];
  /**
   * When the review is due: the city's own deadline for the notice and the reminders, the
   * province's after an escalation.
   */
  deadline: string;
  /** When the links stop working: later than the city's deadline (they outlive the escalation). */
  linkExpiresAt?: string;
  /** The workflow's clock at sending (the days left count from it); the wall clock without it. */
  at?: string;
}

export interface ApplicantNotice {
  /**
   * What makes this notice one notice (with each recipient's address, its message id): a retried
   * step gives the same, so the notice is mailed once.
   */
  mailId?: string;
  program: Program;
  record: FilingRecord;
  outcome:
    | 'received'
    | 'city_approved'
    | 'changes_requested'
    | 'rejected'
    | 'included'
    | 'registered'
    | 'declined'
    | 'expired';
  reason?: string;
  /** With `received`: when the city's review is due. */
  cityDeadline?: string;
  statusLink: string;
}

export interface BatchNotice {
  /**
   * What makes this notice one notice (with each recipient's address, its message id): a retried
   * step gives the same, so the notice is mailed once.
   */
  mailId?: string;
  program: Program;
  unit: string;
  batchId: string;
  records: FilingRecord[];
  recipients: { name: string; email: string }[];
  links: string[];
}

export interface FailureNotice {
  filingId: string;
  programId: string;
  state: string;
  error: string;
}

export interface Notifier {
  review(notice: ReviewNotice): Promise<void>;
  applicant(notice: ApplicantNotice): Promise<void>;
  batch(notice: BatchNotice): Promise<void>;
  failure(notice: FailureNotice): Promise<void>;
}

/** A change to a pool member (a departure, a removal): the filing as changed and the change's event. */
export interface DepartureNotice {
  record: FilingRecord;
  event: FilingEvent;
}

export interface DepartureNotifier {
  departure(notice: DepartureNotice): Promise<void>;
}
