// Reviewers act from emailed links. Mail scanners open every link first, so GET only shows a
// confirmation page; the POST from that page decides, as a conditional write (the first
// decision wins), and then resumes the waiting workflow; a decision recorded by a process that
// died before resuming it is delivered when its link is posted again. A city link acts only on its own
// unit's filings, a province link only within its program. Each step answers an outcome
// (shared/views/review-pages.ts renders it as the page, in Chinese).
// Each attachment is shown through a presigned GET valid for minutes, issued when the page is
// rendered (never emailed), and every issue is logged as an audit line.

import { randomBytes } from 'node:crypto';
import { type AttachmentRef, VIEW_URL_SECONDS } from '../../domain/attachments.ts';
import { ConflictError } from '../../domain/errors.ts';
import { base32 } from '../../domain/ids.ts';
import { FINAL_STATES, type FilingState } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { hasStage, type Program } from '../../domain/programs/program.ts';
import { checkText } from '../../domain/validation/safe-text.ts';
import { logger } from '../../observability/logger.ts';
import type { AttachmentLinks } from '../../ports/attachments.ts';
import type { FilingRecord, FilingRepository } from '../../ports/filings.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { Batch, Decision, ReviewLink, ReviewStore, ReviewTask } from '../../ports/reviews.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { hashLinkToken, LINK_TOKEN_PATTERN, newLinkToken } from './links.ts';
import { provinceWait } from './plan.ts';

/** What resolving a link and deciding need. */
export interface ReviewCore {
  repo: FilingRepository;
  reviews: ReviewStore;
  tasks: TaskCallbacks;
  apiBaseUrl: string;
  now?: () => Date;
}

/** What the pages and decisions need: they never send mail (so their functions bundle no mailer). */
export interface ReviewDeps extends ReviewCore {
  /** Presigned view links for the attachments shown on the pages. */
  attachments: AttachmentLinks;
  /** Lifetime of a view link (default VIEW_URL_SECONDS). */
  attachmentLinkSeconds?: number;
}

/** Sending a batch also emails the province (the email carries no attachment link). */
export interface BatchDeps extends ReviewCore {
  notifier: Notifier;
}

/** Decisions of one batch form applied at once. */
const DECISIONS_AT_ONCE = 8;

/** What a filing link's reviewer may decide (the city's choices; an escalated filing's province too). */
export const CITY_CHOICES = ['approve', 'request_changes', 'reject'] as const;
export type CityChoice = (typeof CITY_CHOICES)[number];
/** What the province decides on each filing of a batch. */
export const PROVINCE_CHOICES = ['include', 'decline'] as const;
export type ProvinceChoice = (typeof PROVINCE_CHOICES)[number];

const NEEDS_REASON = new Set(['reject', 'request_changes', 'decline']);
/**
 * The longest reason a reviewer may give (the forms say so too): it is stored with the
 * decision, shown on the applicant's status page and mailed to them.
 */
export const REVIEW_REASON_MAX = 500;

/** A link that acts on one filing, or on a province batch. */
export type FilingLink = ReviewLink & { target: { filingId: string } };
export type BatchLink = ReviewLink & { target: { batchId: string } };

/** A link that cannot be used: unknown (or malformed), or past its validity. */
export type LinkRefused = { kind: 'not_found' } | { kind: 'expired' };

/** Why the link's step has nothing left to decide (the page answers 409). */
export type Settled =
  /** The link's step is over (decided, and perhaps a new round has begun with new links). */
  | { why: 'step_over' }
  /** Decided already, from this link or another of the step. */
  | { why: 'decided'; decision: Decision['decision']; program: Program }
  /** The filing left the stage without a decision here (withdrawn by the applicant). */
  | { why: 'left_stage'; state: FilingState }
  | { why: 'batch_done' }
  /** Another decision was recorded at the same moment, after the checks. */
  | { why: 'already_decided' }
  | { why: 'batch_already_decided' }
  /** The step ended (a new round) between the checks and the write. */
  | { why: 'ended' };

export interface Closed {
  kind: 'closed';
  settled: Settled;
}

/** A filing's document with its short-lived view link. */
export interface ShownAttachment {
  ref: AttachmentRef;
  url: string;
}

/** What the confirmation page of a filing link shows. */
export interface FilingReview {
  kind: 'filing';
  token: string;
  program: Program;
  record: FilingRecord;
  reviewer: ReviewLink['reviewer'];
  attachments: ShownAttachment[];
  attachmentSeconds: number;
}

/** What the province's batch page shows: the filings of the batch still to decide. */
export interface BatchReview {
  kind: 'batch';
  token: string;
  program: Program;
  batch: Batch;
  records: FilingRecord[];
  attachments: Map<string, ShownAttachment[]>;
  attachmentSeconds: number;
}

/** Why a posted form decided nothing: it is shown again with the error. */
export type FormError =
  | { code: 'no_decision' }
  | { code: 'reason_required' }
  /** The reason was refused (too long, disguised); on a batch, the filing whose reason it was. */
  | { code: 'reason_refused'; message: string; record?: FilingRecord };

export type ReviewPageOutcome = LinkRefused | Closed | FilingReview | BatchReview;

export type FilingDecisionOutcome =
  | LinkRefused
  | Closed
  | { kind: 'invalid'; review: FilingReview; error: FormError }
  | {
      kind: 'decided';
      token: string;
      program: Program;
      filingId: string;
      decision: CityChoice;
      /** The city may send its unit's approved filings to the province now (the page offers it). */
      canSendBatch: boolean;
    };

export type BatchDecisionOutcome =
  | LinkRefused
  | Closed
  | { kind: 'invalid'; review: BatchReview; error: FormError }
  | { kind: 'batch_decided'; count: number };

export type BatchSendOutcome =
  | LinkRefused
  | { kind: 'nothing_to_send' }
  | { kind: 'batch_sent'; batch: Batch };

/** A reviewer's reason as posted: prose (CRLF read as a newline), trimmed, refused when too long or disguised. */
function readReason(raw: string | null): { reason: string } | { error: string } {
  const checked = checkText(raw ?? '', { prose: true, max: REVIEW_REASON_MAX });
  return checked.ok ? { reason: checked.value } : { error: checked.error.message.zh };
}

const clock = (deps: ReviewCore) => (deps.now ?? (() => new Date()))();

const NOT_FOUND: LinkRefused = { kind: 'not_found' };
const EXPIRED: LinkRefused = { kind: 'expired' };
const closed = (settled: Settled): Closed => ({ kind: 'closed', settled });

/** Presigns a view link per attachment of each record, and writes one audit line per record. */
async function showAttachments(
  deps: ReviewDeps,
  token: string,
  link: ReviewLink,
  records: FilingRecord[],
): Promise<Map<string, ShownAttachment[]>> {
  const seconds = attachmentSeconds(deps);
  const shown = new Map<string, ShownAttachment[]>();
  for (const record of records) {
    const refs = record.filing.attachments ?? [];
    const links = await Promise.all(
      refs.map((ref) =>
        deps.attachments.presignView({ key: ref.key, kind: ref.kind, contentType: ref.contentType, seconds }),
      ),
    );
    shown.set(
      record.filingId,
      refs.map((ref, i) => ({ ref, url: links[i]?.url ?? '' })),
    );
    if (refs.length > 0) {
      logger.info('attachment view links issued', {
        audit: 'attachment_view',
        filingId: record.filingId,
        kinds: refs.map((r) => r.kind),
        reviewer: link.reviewer.role,
        ...(link.reviewer.unit ? { unit: link.reviewer.unit } : {}),
        link: hashLinkToken(token).slice(0, 16),
        seconds,
      });
    }
  }
  return shown;
}

const attachmentSeconds = (deps: ReviewDeps) => deps.attachmentLinkSeconds ?? VIEW_URL_SECONDS;

async function filingReview(
  deps: ReviewDeps,
  token: string,
  program: Program,
  record: FilingRecord,
  link: ReviewLink,
): Promise<FilingReview> {
  const shown = (await showAttachments(deps, token, link, [record])).get(record.filingId) ?? [];
  return {
    kind: 'filing',
    token,
    program,
    record,
    reviewer: link.reviewer,
    attachments: shown,
    attachmentSeconds: attachmentSeconds(deps),
  };
}

async function batchReview(
  deps: ReviewDeps,
  token: string,
  link: ReviewLink,
  program: Program,
  batch: Batch,
  records: FilingRecord[],
): Promise<BatchReview> {
  const shown = await showAttachments(deps, token, link, records);
  return {
    kind: 'batch',
    token,
    program,
    batch,
    records,
    attachments: shown,
    attachmentSeconds: attachmentSeconds(deps),
  };
}

async function resolveLink(deps: ReviewCore, token: string): Promise<ReviewLink | LinkRefused> {
  if (!LINK_TOKEN_PATTERN.test(token)) return NOT_FOUND;
  const link = await deps.reviews.getLink(hashLinkToken(token));
  if (!link) return NOT_FOUND;
  if (Date.parse(link.expiresAt) <= clock(deps).getTime()) return EXPIRED;
  return link;
}

const isBatchLink = (link: ReviewLink): link is BatchLink => 'batchId' in link.target;

/**
 * The link a token names, and whether it acts on a filing or a batch: the POST route decides
 * with decideFiling or decideBatch accordingly.
 */
export async function findReviewLink(
  deps: ReviewCore,
  token: string,
): Promise<
  LinkRefused | { kind: 'filing_link'; link: FilingLink } | { kind: 'batch_link'; link: BatchLink }
> {
  const link = await resolveLink(deps, token);
  if ('kind' in link) return link;
  return isBatchLink(link) ? { kind: 'batch_link', link } : { kind: 'filing_link', link: link as FilingLink };
}

/** The state a filing is in while a reviewer of the stage can decide on it. */
const DECIDABLE_IN: Record<'city' | 'province', FilingState> = {
  city: 'city_review',
  province: 'province_review',
};

/**
 * A decision recorded while the workflow still waits for it: the process that recorded it died
 * before the callback (a crash, a timeout). The same link posted again delivers it; the callback
 * is idempotent (a token already answered is refused and logged).
 */
function undelivered(record: FilingRecord, task: ReviewTask): { undelivered?: ReviewTask } {
  if (task.stage === 'amend' || !task.decided) return {};
  return record.state === DECIDABLE_IN[task.stage] ? { undelivered: task } : {};
}

async function redeliver(deps: ReviewCore, tasks: ReviewTask[]): Promise<void> {
  for (const task of tasks) {
    if (!task.decided) continue;
    logger.info('a recorded decision not yet applied is delivered again', { filingId: task.filingId });
    await resume(deps, task.taskToken, task.decided, task.filingId);
  }
}

/** The filing a link may act on, or why not. */
async function filingFor(deps: ReviewCore, link: FilingLink) {
  const record = await deps.repo.get(link.target.filingId);
  const program = getProgram(record.programId);
  const task = await deps.reviews.getTask(record.filingId);
  if (record.programId !== link.programId) return { refused: NOT_FOUND };
  if (link.reviewer.role === 'city' && link.reviewer.unit !== record.filing.enterprise.reportingUnit) {
    return { refused: NOT_FOUND };
  }
  if (!task || task.seq !== link.seq) return { refused: closed({ why: 'step_over' }) };
  if (task.decided) {
    return {
      refused: closed({ why: 'decided', decision: task.decided.decision, program }),
      ...undelivered(record, task),
    };
  }
  if (task.expired) return { refused: EXPIRED };
  if (task.stage !== 'amend' && record.state !== DECIDABLE_IN[task.stage]) {
    return { refused: closed({ why: 'left_stage', state: record.state }) };
  }
  return { record, program, task };
}

async function batchFor(deps: ReviewCore, link: BatchLink) {
  const batch = await deps.reviews.getBatch(link.target.batchId);
  if (!batch || batch.programId !== link.programId || link.reviewer.role !== 'province')
    return { refused: NOT_FOUND };
  const records = await Promise.all(batch.filingIds.map((id) => deps.repo.get(id)));
  const tasks = await Promise.all(batch.filingIds.map((id) => deps.reviews.getTask(id)));
  const open: { record: FilingRecord; seq: string }[] = [];
  const stalled: ReviewTask[] = [];
  records.forEach((record, i) => {
    const t = tasks[i];
    if (t?.stage !== 'province' || t.batchId !== batch.batchId) return;
    if (t.decided) stalled.push(...(undelivered(record, t).undelivered ? [t] : []));
    else if (record.state === DECIDABLE_IN.province) open.push({ record, seq: t.seq });
  });
  if (open.length === 0) return { refused: closed({ why: 'batch_done' }), undelivered: stalled };
  return {
    batch,
    open,
    records: open.map((o) => o.record),
    program: getProgram(batch.programId),
    undelivered: stalled,
  };
}

/** GET /review/{token}: what the confirmation page shows. Never changes anything. */
export async function openReview(deps: ReviewDeps, token: string): Promise<ReviewPageOutcome> {
  const found = await findReviewLink(deps, token);
  if (found.kind === 'batch_link') {
    const batch = await batchFor(deps, found.link);
    if ('refused' in batch && batch.refused) return batch.refused;
    const { batch: b, records, program } = batch as Exclude<typeof batch, { refused: unknown }>;
    return batchReview(deps, token, found.link, program, b, records);
  }
  if (found.kind !== 'filing_link') return found;
  const filing = await filingFor(deps, found.link);
  if ('refused' in filing && filing.refused) return filing.refused;
  const { record, program } = filing as { record: FilingRecord; program: Program };
  return filingReview(deps, token, program, record, found.link);
}

async function resume(deps: ReviewCore, taskToken: string, decision: Decision, filingId: string) {
  try {
    await deps.tasks.succeed(taskToken, decision);
  } catch (error) {
    // The wait was being re-opened (a reminder) or timed out: the decision is recorded on the
    // task, and the re-opened wait delivers it.
    logger.warn('task callback failed; the decision stays recorded', {
      filingId,
      error: (error as Error).name,
    });
  }
}

const actorOf = (link: ReviewLink): Decision['actor'] => ({
  role: link.reviewer.role,
  id: link.reviewer.id,
  ...(link.reviewer.unit ? { unit: link.reviewer.unit } : {}),
});

/** POST /review/{token} from a filing link: the decision on the filing, conditional on being the first. */
export async function decideFiling(
  deps: ReviewDeps,
  token: string,
  link: FilingLink,
  form: URLSearchParams,
): Promise<FilingDecisionOutcome> {
  const at = clock(deps).toISOString();
  const found = await filingFor(deps, link);
  if ('undelivered' in found && found.undelivered) await redeliver(deps, [found.undelivered]);
  if ('refused' in found && found.refused) return found.refused;
  const { record, program, task } = found as {
    record: FilingRecord;
    program: Program;
    task: { seq: string };
  };
  const value = form.get('decision') ?? '';
  const read = readReason(form.get('reason'));
  const invalid = async (error: FormError): Promise<FilingDecisionOutcome> => ({
    kind: 'invalid',
    review: await filingReview(deps, token, program, record, link),
    error,
  });
  // Own values only: `toString` is `in` every object (found by the fuzzer: it was recorded as a decision).
  if (!(CITY_CHOICES as readonly string[]).includes(value)) return invalid({ code: 'no_decision' });
  if ('error' in read) return invalid({ code: 'reason_refused', message: read.error });
  const { reason } = read;
  if (NEEDS_REASON.has(value) && !reason) return invalid({ code: 'reason_required' });
  const decision: Decision = {
    decision: value as CityChoice,
    ...(reason ? { reason } : {}),
    actor: actorOf(link),
    at,
  };
  let decided: Awaited<ReturnType<ReviewStore['decide']>>;
  try {
    decided = await deps.reviews.decide(record.filingId, task.seq, decision);
  } catch (error) {
    if (error instanceof ConflictError)
      return closed({ why: error.code === 'already_decided' ? 'already_decided' : 'ended' });
    throw error;
  }
  await resume(deps, decided.taskToken, decision, record.filingId);
  return {
    kind: 'decided',
    token,
    program,
    filingId: record.filingId,
    decision: value as CityChoice,
    // Only a programme with a province stage sends its approved filings on in a batch.
    canSendBatch: value === 'approve' && link.reviewer.role === 'city' && hasStage(program, 'province'),
  };
}

/** POST /review/{token} from a batch link: the province's decision on each open filing of the batch. */
export async function decideBatch(
  deps: ReviewDeps,
  token: string,
  link: BatchLink,
  form: URLSearchParams,
): Promise<BatchDecisionOutcome> {
  const at = clock(deps).toISOString();
  const actor = actorOf(link);
  const found = await batchFor(deps, link);
  if ('undelivered' in found && found.undelivered) await redeliver(deps, found.undelivered);
  if ('refused' in found && found.refused) return found.refused;
  const { batch, records, program, open } = found as Exclude<typeof found, { refused: unknown }>;
  const invalid = async (error: FormError): Promise<BatchDecisionOutcome> => ({
    kind: 'invalid',
    review: await batchReview(deps, token, link, program, batch, records),
    error,
  });
  const decisions: { record: FilingRecord; seq: string; decision: Decision }[] = [];
  for (const { record, seq } of open) {
    const value = form.get(`decision_${record.filingId}`) ?? '';
    const read = readReason(form.get(`reason_${record.filingId}`));
    // Own values only: `toString` is `in` every object (found by the fuzzer: it was recorded as a decision).
    if (!(PROVINCE_CHOICES as readonly string[]).includes(value)) return invalid({ code: 'no_decision' });
    // Nothing of the batch is decided while any of its reasons is refused.
    if ('error' in read) return invalid({ code: 'reason_refused', message: read.error, record });
    const { reason } = read;
    if (NEEDS_REASON.has(value) && !reason) return invalid({ code: 'reason_required' });
    decisions.push({
      record,
      seq,
      decision: { decision: value as ProvinceChoice, ...(reason ? { reason } : {}), actor, at },
    });
  }
  let done = 0;
  const apply = async ({ record, seq, decision }: (typeof decisions)[number]) => {
    const task = await deps.reviews.decide(record.filingId, seq, decision).catch(async (error: unknown) => {
      if (error instanceof ConflictError) return undefined;
      throw error;
    });
    if (!task) return;
    done++;
    await resume(deps, task.taskToken, decision, record.filingId);
  };
  // A few at a time: one after another, a batch of two hundred under load outlasted the API's
  // 30 s (the sustained-load soak), and each filing's decision is its own.
  for (let i = 0; i < decisions.length; i += DECISIONS_AT_ONCE) {
    await Promise.all(decisions.slice(i, i + DECISIONS_AT_ONCE).map(apply));
  }
  // Every decision lost to another one made at the same moment: this one changed nothing.
  if (done === 0 && decisions.length > 0) return closed({ why: 'batch_already_decided' });
  return { kind: 'batch_decided', count: done };
}

/** Gathers a unit's approved filings into a batch (附件2) and sends it to the province. */
export async function sendBatch(
  deps: BatchDeps,
  programId: string,
  unit: string,
): Promise<Batch | undefined> {
  const program = getProgram(programId);
  // A programme whose review ends at the city has nothing to send the province.
  if (!hasStage(program, 'province')) return undefined;
  const pending = await deps.reviews.pendingForBatch(programId, unit);
  const all = await Promise.all(pending.map((t) => deps.repo.get(t.filingId)));
  // A filing withdrawn (or otherwise ended) while it waited for the batch stays out of it.
  // Withdrawal takes it off the list of those waiting already (sfn-workflow.ts); this catches
  // the rest (a withdrawal whose removal failed, a wait that timed out), so later runs do not
  // read it again.
  for (const record of all) {
    if (FINAL_STATES.includes(record.state)) await deps.reviews.leaveBatchQueue(record.filingId);
  }
  const records = all.filter((record) => record.state === DECIDABLE_IN.province);
  if (records.length === 0) return undefined;
  const now = clock(deps);
  const batch: Batch = {
    batchId: `B${base32(randomBytes(10), 13)}`,
    programId,
    unit,
    filingIds: records.map((r) => r.filingId),
    createdAt: now.toISOString(),
  };
  await deps.reviews.createBatch(batch);
  const expiresAt = new Date(now.getTime() + provinceWait(program).timeoutSeconds * 1000).toISOString();
  const links: string[] = [];
  for (const reviewer of program.provinceReviewers) {
    const { token, hash } = newLinkToken();
    await deps.reviews.putLink({
      tokenHash: hash,
      programId,
      stage: 'province',
      seq: `batch#${batch.batchId}`,
      target: { batchId: batch.batchId },
      reviewer: { role: 'province', id: reviewer.email },
      createdAt: batch.createdAt,
      expiresAt,
    });
    links.push(`${deps.apiBaseUrl}/review/${token}`);
  }
  await deps.notifier.batch({
    mailId: batch.batchId,
    program,
    unit,
    batchId: batch.batchId,
    records,
    recipients: program.provinceReviewers,
    links,
  });
  return batch;
}

/** POST /review/{token}/batch: city staff send their unit's approved filings now. */
export async function sendBatchFromLink(deps: BatchDeps, token: string): Promise<BatchSendOutcome> {
  const link = await resolveLink(deps, token);
  if ('kind' in link) return link;
  if (link.reviewer.role !== 'city' || !link.reviewer.unit) return NOT_FOUND;
  const batch = await sendBatch(deps, link.programId, link.reviewer.unit);
  return batch ? { kind: 'batch_sent', batch } : { kind: 'nothing_to_send' };
}
