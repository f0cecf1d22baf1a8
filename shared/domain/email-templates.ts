// What the system's messages are about, apart from how they read: the kinds of message, the
// plain data each is built from, and the small facts they share (days left, Beijing time, the
// industry names and the summary's columns). The messages themselves (subject, text and HTML)
// are views: shared/views/review-mails.ts builds them from these inputs, masking personal data
// whatever the caller passes (docs/domain.md §8).
import { SUMMARY_COLUMNS } from './documents.ts';
import type { FieldIssue } from './errors.ts';
import { INDUSTRY_LABELS as INDUSTRY_NAMES } from './labels.ts';
import type { FilingState } from './lifecycle.ts';

export const EMAIL_KINDS = [
  'review_request',
  'review_reminder',
  'review_escalation',
  'applicant_received',
  'applicant_city_approved',
  'applicant_changes_requested',
  'applicant_rejected',
  'applicant_included',
  'applicant_registered',
  'applicant_declined',
  'applicant_expired',
  'province_batch',
  'failure_alert',
  'pool_departure',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** A built message: spread it into `MailMessage` with the recipients (`{ to, ...content }`). */
export interface EmailContent {
  kind: EmailKind;
  subject: string;
  text: string;
  html: string;
  /** The links the message carries, for `MailMessage.links`. */
  links: string[];
}

/** Who a message is about. Values may be clear or already masked: they are shown masked either way. */
export interface ApplicantFacts {
  filingId: string;
  /** Role id of the program (`cso`). */
  role: string;
  /** Reporting unit code (`210100`). */
  unit: string;
  name: string;
  enterprise: string;
  /** 统一社会信用代码 (not personal data: shown as is). */
  uscc: string;
  idNumber: string;
  mobile: string;
}

/** The part of a filing (as submitted, or as stored with `idNumberMasked`) the messages read. */
export interface FilingFacts {
  role: string;
  person: { name: string; mobile: string; idNumber?: string; idNumberMasked?: string };
  enterprise: { name: string; uscc: string; reportingUnit: string };
}

/**
 * A finding the reviewer must see (a soft rule's warning): `FieldIssue` fits. Its message
 * already names the field (the rules write 「学历：…」), so the messages show it as it is.
 */
export type ReviewWarning = Pick<FieldIssue, 'path' | 'message'>;

export interface ReviewRequestInput {
  applicant: ApplicantFacts;
  warnings: readonly ReviewWarning[];
  /**
   * ISO instant (or date) the city's review is due (the city stage's days from the programme's
   * review stages); shown in Beijing time. Not the link's expiry, which is later.
   */
  deadline: string;
  /** The reviewer's link: it opens a confirmation page, only its POST decides. */
  reviewUrl: string;
  /** When the link stops working (it outlives the deadline: a late decision still counts). */
  linkExpiresAt?: string;
}

export interface ReviewReminderInput extends ReviewRequestInput {
  /** Whole days until the deadline (see daysUntil); 0 or less reads "today". */
  daysLeft: number;
}

export interface ReviewEscalationInput {
  applicant: ApplicantFacts;
  warnings: readonly ReviewWarning[];
  /** When the city's review was due. */
  cityDeadline: string;
  /** The province's review link. */
  reviewUrl: string;
  /** When the province's review is due, if it has a deadline. */
  deadline?: string;
}

export interface ApplicantNoticeInput {
  applicant: ApplicantFacts;
  /** The applicant's status page. */
  statusUrl: string;
}

export interface ApplicantReceivedInput extends ApplicantNoticeInput {
  /** When the city's review is due, if the mail should say so. */
  cityDeadline?: string;
}

export interface ApplicantReasonInput extends ApplicantNoticeInput {
  /** The reviewer's words (required for changes, rejection and decline). */
  reason: string;
}

/** The part of a filing one row of the 附件2 table reads. */
export interface BatchFilingFacts {
  role: string;
  person: {
    name: string;
    sex: string;
    birthYearMonth: string;
    position: string;
    education: string;
    titleName?: string;
    titleLevel: string;
    training?: { certificateNumber: string };
    appointment: { date: string };
    mobile: string;
  };
  enterprise: { name: string; uscc: string; industry: string; reportingUnit: string };
}

export interface BatchRow {
  filingId: string;
  filing: BatchFilingFacts;
  /** 备注 column (e.g. the warnings the city accepted). */
  remark?: string;
}

export interface ProvinceBatchInput {
  batchId: string;
  /** The reporting unit that sent the batch. */
  unit: string;
  filings: readonly BatchRow[];
  /** The province's batch page. */
  batchUrl: string;
  deadline?: string;
}

export interface FailureAlertInput {
  filingId: string;
  /** The filing's state when it failed (a FilingState; other values are shown as given). */
  state: FilingState | (string & {});
  /** The error's name (`ConditionalCheckFailedException`); never its message, which may carry data. */
  errorName: string;
  /** Where it failed: a workflow state or function name. */
  where?: string;
  /** ISO instant of the failure. */
  at: string;
  /** Where an operator looks (execution, inspection page). */
  url: string;
}

/** The facts of a filing for the messages, from a filing as submitted or as stored. */
export function applicantFacts(filingId: string, filing: FilingFacts): ApplicantFacts {
  return {
    filingId,
    role: filing.role,
    unit: filing.enterprise.reportingUnit,
    name: filing.person.name,
    enterprise: filing.enterprise.name,
    uscc: filing.enterprise.uscc,
    idNumber: filing.person.idNumberMasked ?? filing.person.idNumber ?? '',
    mobile: filing.person.mobile,
  };
}

/**
 * Whole days from `now` until `deadline`, rounded up (a deadline 10 days and an hour away is 11
 * days away; one already passed is 0 or less): what a reminder says is left.
 */
export function daysUntil(deadline: string, now: Date | string): number {
  const from = typeof now === 'string' ? Date.parse(now) : now.getTime();
  return Math.ceil((Date.parse(deadline) - from) / 86_400_000);
}

/** `2025-03-15 18:00（北京时间）` for an instant; a bare date stays a date. */
export function beijingTime(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  const local = new Date(t + 8 * 60 * 60 * 1000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}（北京时间）`;
}

/** GB/T 4754-2017 sections (门类) by name, for the 所属行业 column; the names come from labels.ts. */
export const INDUSTRY_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(INDUSTRY_NAMES).map(([section, name]) => [section, name.zh]),
);

/** The summary's columns (docs/domain.md §4), in order, as Liaoning's 附件2 names them; see summaryColumns. */
export const BATCH_COLUMNS = SUMMARY_COLUMNS;

export interface PoolDepartureInput {
  filingId: string;
  name: string;
  role: string;
  unit: string;
  enterprise: string;
  removal: 'left_post' | 'consent_withdrawn' | 'province' | 'assessment';
  reason: string;
  at: string;
  /** The filing was still under review: the consent withdrawal withdrew it, ending the review. */
  endsReview: boolean;
}
