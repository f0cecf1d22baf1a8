// The port through which the workflow tells people things. The adapter
// (shared/adapters/mail/notifier.ts) renders the program's Chinese templates and sends them
// through the Mailer; tests use a fake that records the calls.
import type { Program } from '../domain/programs/program.ts';
import type { FilingRecord } from './filings.ts';

export interface ReviewNotice {
  program: Program;
  record: FilingRecord;
  kind: 'notify' | 'remind' | 'escalate';
  recipients: { name: string; email: string }[];
  /** One link per recipient, in the same order. */
  links: string[];
  deadline: string;
}

export interface ApplicantNotice {
  program: Program;
  record: FilingRecord;
  outcome: 'changes_requested' | 'rejected' | 'included' | 'registered' | 'declined' | 'expired';
  reason?: string;
  statusLink: string;
}

export interface BatchNotice {
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
