// Reviewers act from emailed links. Mail scanners open every link first, so GET only shows a
// confirmation page; the POST from that page decides, as a conditional write (the first
// decision wins), and then resumes the waiting workflow; a decision recorded by a process that
// died before resuming it is delivered when its link is posted again. A city link acts only on its own
// unit's filings, a province link only within its program. Pages are plain HTML in Chinese.
// Each attachment is shown through a presigned GET valid for minutes, issued when the page is
// rendered (never emailed), and every issue is logged as an audit line.

import { randomBytes } from 'node:crypto';
import {
  ATTACHMENT_KIND_LABELS,
  ATTACHMENT_TYPE_LABELS,
  type AttachmentRef,
  VIEW_URL_SECONDS,
} from '../../domain/attachments.ts';
import { ConflictError } from '../../domain/errors.ts';
import { fieldLabel } from '../../domain/field-issues.ts';
import { base32 } from '../../domain/ids.ts';
import {
  EDUCATION_LABELS,
  EMPLOYMENT_LABELS,
  industryLabel,
  labelOf,
  SEX_LABELS,
  SIZE_LABELS,
  TITLE_LABELS,
} from '../../domain/labels.ts';
import { FINAL_STATES, type FilingState } from '../../domain/lifecycle.ts';
import { maskEmail, maskMobile, maskName, maskPhone } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findRole, findUnit, hasStage, type Program } from '../../domain/programs/program.ts';
import { STATE_LABELS } from '../../domain/state-labels.ts';
import { checkText } from '../../domain/validation/safe-text.ts';
import { escapeHtml, page } from '../../http/html.ts';
import { logger } from '../../observability/logger.ts';
import type { AttachmentLinks } from '../../ports/attachments.ts';
import type { FilingRecord, FilingRepository } from '../../ports/filings.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { Batch, Decision, ReviewLink, ReviewStore, ReviewTask } from '../../ports/reviews.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { TRAINING_NOT_ON_ROSTER, TRAINING_VERIFIED } from '../training/verify-training.ts';
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

export interface PageResult {
  status: number;
  html: string;
}

/** Decisions of one batch form applied at once. */
const DECISIONS_AT_ONCE = 8;

const CITY_DECISIONS = {
  approve: '通过，报送省局',
  request_changes: '退回修改',
  reject: '不予通过',
} as const;
const PROVINCE_DECISIONS = { include: '纳入人才库', decline: '不予纳入' } as const;

/** The city's choices as the page names them: without a province stage, approval registers the filing. */
function cityDecisions(program: Program): Record<keyof typeof CITY_DECISIONS, string> {
  return hasStage(program, 'province') ? CITY_DECISIONS : { ...CITY_DECISIONS, approve: '通过，予以备案' };
}
const NEEDS_REASON = new Set(['reject', 'request_changes', 'decline']);
/**
 * The longest reason a reviewer may give (the forms say so too): it is stored with the
 * decision, shown on the applicant's status page and mailed to them.
 */
export const REVIEW_REASON_MAX = 500;

/** A reviewer's reason as posted: prose (CRLF read as a newline), trimmed, refused when too long or disguised. */
function readReason(raw: string | null): { reason: string } | { error: string } {
  const checked = checkText(raw ?? '', { prose: true, max: REVIEW_REASON_MAX });
  return checked.ok ? { reason: checked.value } : { error: checked.error.message.zh };
}

const clock = (deps: ReviewCore) => (deps.now ?? (() => new Date()))();

function message(status: number, title: string, text: string): PageResult {
  return { status, html: page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`) };
}

const NOT_FOUND = () => message(404, '链接无效', '该审核链接不存在或已失效。请使用邮件中的最新链接。');
const EXPIRED = () => message(410, '链接已过期', '该审核链接已过期，审核事项已转交或结束。');
const DECIDED = (what: string) =>
  message(409, '该事项已处理', `该事项已有处理结果（${what}），无需重复操作。`);

/** A row's label: the field's name where the filing has one (field-issues.ts), else the page's own words. */
const rowLabel = (path: string) => fieldLabel(path).zh;

/**
 * Whether the training certificate was found on the pass lists at submission: the finding the
 * training check stored with the filing (verify-training.ts), or none where no match was made.
 */
function trainingCheck(record: FilingRecord): string {
  if (!record.filing.person.training) return '（未填写培训信息）';
  const verified = record.warnings.find((w) => w.code === TRAINING_VERIFIED);
  if (verified) return `✓ ${verified.message.zh}`;
  if (record.warnings.some((w) => w.code === TRAINING_NOT_ON_ROSTER)) {
    return '⚠ 未在培训合格名单中找到，请核对证书';
  }
  return '未核验（提交时未与培训合格名单比对）';
}

type Rows = [string, string][];

/** The filing as the reviewer reads it, in three groups; contact data masked as everywhere else. */
function summaryGroups(program: Program, record: FilingRecord): { title: string; rows: Rows }[] {
  const { person, enterprise } = record.filing;
  const training = person.training;
  const level = TITLE_LABELS[person.titleLevel].zh;
  return [
    {
      title: '人员信息',
      rows: [
        [rowLabel('person.name'), maskName(person.name)],
        [rowLabel('person.sex'), labelOf(SEX_LABELS, person.sex).zh],
        [rowLabel('person.birthYearMonth'), person.birthYearMonth],
        [rowLabel('person.idNumber'), person.idNumberMasked],
        [rowLabel('role'), findRole(program, record.filing.role)?.name.zh ?? record.filing.role],
        [rowLabel('person.education'), EDUCATION_LABELS[person.education].zh],
        [rowLabel('person.major'), person.major],
        // The title's name and its level apart: 「高级工程师（副高级）」, never run together.
        ['职称', person.titleName ? `${person.titleName}（${level}）` : level],
        [rowLabel('person.position'), person.position],
        [rowLabel('person.employment'), labelOf(EMPLOYMENT_LABELS, person.employment).zh],
        [program.documents.yearsLabel.zh, String(person.standardsWorkYears)],
        [rowLabel('person.mobile'), maskMobile(person.mobile)],
        [rowLabel('person.email'), maskEmail(person.email)],
        [rowLabel('person.achievements'), person.achievements || '（未填写）'],
      ],
    },
    {
      title: '聘任与培训',
      rows: [
        [rowLabel('person.appointment.date'), person.appointment.date],
        [rowLabel('person.appointment.documentNumber'), person.appointment.documentNumber],
        [rowLabel('person.training.course'), training?.course ?? '（未填写）'],
        [rowLabel('person.training.date'), training?.date ?? '（未填写）'],
        [rowLabel('person.training.organizer'), training?.organizer ?? '（未填写）'],
        [rowLabel('person.training.certificateNumber'), training?.certificateNumber ?? '（未填写）'],
        ['培训名单核验', trainingCheck(record)],
      ],
    },
    {
      title: '企业信息',
      rows: [
        [rowLabel('enterprise.name'), enterprise.name],
        [rowLabel('enterprise.uscc'), enterprise.uscc],
        [
          program.documents.unitLabel.zh,
          findUnit(program, enterprise.reportingUnit)?.name.zh ?? enterprise.reportingUnit,
        ],
        [rowLabel('enterprise.industry'), industryLabel(enterprise.industry).zh],
        [rowLabel('enterprise.size'), labelOf(SIZE_LABELS, enterprise.size).zh],
        [rowLabel('enterprise.contact.name'), maskName(enterprise.contact.name)],
        [rowLabel('enterprise.contact.phone'), maskPhone(enterprise.contact.phone)],
        ...(enterprise.contactEmail
          ? ([[rowLabel('enterprise.contactEmail'), maskEmail(enterprise.contactEmail)]] as Rows)
          : []),
      ],
    },
  ];
}

/** The groups as label/value tables; on a phone each label stands above its value (html.ts). */
function summaryRows(program: Program, record: FilingRecord, heading: 'h2' | 'h3' = 'h2'): string {
  return summaryGroups(program, record)
    .map(
      ({ title, rows }) =>
        `<${heading} class="group">${escapeHtml(title)}</${heading}><table class="facts">${rows
          .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
          .join('')}</table>`,
    )
    .join('\n');
}

/** The policy's duties of the role applied for, for the reviewer to judge the fit against. */
function dutiesBlock(program: Program, role: string): string {
  const found = findRole(program, role);
  if (!found || found.duties.length === 0) return '';
  return `<details class="duties" open><summary>${escapeHtml(found.name.zh)}主要职责</summary><ul>${found.duties
    .map((d) => `<li>${escapeHtml(d.zh)}</li>`)
    .join('')}</ul></details>`;
}

/** Every warning the filing carries (the training match shown as verified is a notice, in its row). */
function warningsBlock(record: FilingRecord): string {
  const warnings = record.warnings.filter((w) => w.code !== TRAINING_VERIFIED);
  if (warnings.length === 0) return '';
  return `<div role="note" class="warnings"><strong>请注意（提示事项 ${warnings.length} 项）</strong><ul>${warnings
    .map((w) => `<li>${escapeHtml(w.message.zh)}</li>`)
    .join('')}</ul></div>`;
}

/** A filing's documents as the page lists them, each with its short-lived view link. */
interface ShownAttachment {
  ref: AttachmentRef;
  url: string;
}

function attachmentsBlock(shown: ShownAttachment[], seconds: number, heading: 'h2' | 'h3' = 'h2'): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  const items = shown.length
    ? shown
        .map(
          ({ ref, url }) =>
            // The file's own name may carry personal data, or characters that disguise it: the
            // page names the document by kind and type, and the link serves it as `<kind>.<ext>`.
            `<li><a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(
              `${ATTACHMENT_KIND_LABELS[ref.kind].zh}（${ATTACHMENT_TYPE_LABELS[ref.contentType]}）`,
            )}</a></li>`,
        )
        .join('')
    : '<li>（无附件）</li>';
  return `<section aria-label="附件" class="attachments"><${heading} class="group">附件</${heading}><ul>${items}</ul><p class="muted">附件链接 ${minutes} 分钟内有效，过期请刷新本页。</p></section>`;
}

/** Presigns a view link per attachment of each record, and writes one audit line per record. */
async function showAttachments(
  deps: ReviewDeps,
  token: string,
  link: ReviewLink,
  records: FilingRecord[],
): Promise<Map<string, ShownAttachment[]>> {
  const seconds = deps.attachmentLinkSeconds ?? VIEW_URL_SECONDS;
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

const BUTTON_STYLE = 'class="primary"';

async function filingForm(
  deps: ReviewDeps,
  token: string,
  program: Program,
  record: FilingRecord,
  link: ReviewLink,
  error?: string,
): Promise<string> {
  const shown = (await showAttachments(deps, token, link, [record])).get(record.filingId) ?? [];
  const who = link.reviewer.role === 'province' ? '（已转交省局处理）' : '';
  return page(
    '备案审核',
    `<h1>${escapeHtml(program.title.zh)} · 备案审核${escapeHtml(who)}</h1>
<p class="muted">备案编号 <code>${escapeHtml(record.filingId)}</code>。打开本页不会改变任何状态，只有点击下方“提交审核意见”才会生效。</p>
${error ? `<p role="alert" style="color:#b00020"><strong>${escapeHtml(error)}</strong></p>` : ''}
${warningsBlock(record)}
${summaryRows(program, record)}
${dutiesBlock(program, record.filing.role)}
${attachmentsBlock(shown, deps.attachmentLinkSeconds ?? VIEW_URL_SECONDS)}
<form method="post" action="${escapeHtml(`/review/${token}`)}">
<fieldset><legend>审核意见</legend>
${Object.entries(cityDecisions(program))
  .map(
    ([value, label]) =>
      `<label class="choice"><input type="radio" name="decision" value="${value}" required> ${escapeHtml(label)}</label>`,
  )
  .join('')}
<p><label for="reason">理由 / 需修改的内容（退回修改或不予通过时必填）</label><br>
<textarea id="reason" name="reason" rows="4" maxlength="${REVIEW_REASON_MAX}"></textarea></p>
</fieldset>
<button type="submit" ${BUTTON_STYLE}>提交审核意见</button>
</form>`,
  );
}

async function batchForm(
  deps: ReviewDeps,
  token: string,
  link: ReviewLink,
  program: Program,
  batch: Batch,
  records: FilingRecord[],
  error?: string,
): Promise<string> {
  const shown = await showAttachments(deps, token, link, records);
  const seconds = deps.attachmentLinkSeconds ?? VIEW_URL_SECONDS;
  const unit = findUnit(program, batch.unit)?.name.zh ?? batch.unit;
  const items = records
    .map(
      (
        r,
        i,
      ) => `<section class="filing"><h2>${i + 1}. ${escapeHtml(maskName(r.filing.person.name))} · ${escapeHtml(r.filing.enterprise.name)}</h2>
<p class="muted">备案编号 <code>${escapeHtml(r.filingId)}</code></p>
${warningsBlock(r)}${summaryRows(program, r, 'h3')}
${attachmentsBlock(shown.get(r.filingId) ?? [], seconds, 'h3')}
<fieldset><legend>省局意见</legend>
${Object.entries(PROVINCE_DECISIONS)
  .map(
    ([value, label]) =>
      `<label class="choice"><input type="radio" name="decision_${escapeHtml(r.filingId)}" value="${value}" required> ${escapeHtml(label)}</label>`,
  )
  .join('')}
<p><label for="reason_${escapeHtml(r.filingId)}">不予纳入的理由</label><br>
<input id="reason_${escapeHtml(r.filingId)}" name="reason_${escapeHtml(r.filingId)}" maxlength="${REVIEW_REASON_MAX}"></p></fieldset></section>`,
    )
    .join('\n');
  return page(
    '纳入人才库审核',
    `<h1>${escapeHtml(program.title.zh)} · ${escapeHtml(unit)}汇总报送（附件2）</h1>
<p class="muted">批次 <code>${escapeHtml(batch.batchId)}</code>，共 ${records.length} 人。打开本页不会改变任何状态。</p>
${error ? `<p role="alert" style="color:#b00020"><strong>${escapeHtml(error)}</strong></p>` : ''}
<form method="post" action="${escapeHtml(`/review/${token}`)}">${items}
<button type="submit" ${BUTTON_STYLE}>提交省局意见</button></form>`,
  );
}

async function resolveLink(deps: ReviewCore, token: string): Promise<ReviewLink | PageResult> {
  if (!LINK_TOKEN_PATTERN.test(token)) return NOT_FOUND();
  const link = await deps.reviews.getLink(hashLinkToken(token));
  if (!link) return NOT_FOUND();
  if (Date.parse(link.expiresAt) <= clock(deps).getTime()) return EXPIRED();
  return link;
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

/** The filing a link may act on, or the page that says why not. */
async function filingFor(deps: ReviewCore, link: ReviewLink & { target: { filingId: string } }) {
  const record = await deps.repo.get(link.target.filingId);
  const program = getProgram(record.programId);
  const task = await deps.reviews.getTask(record.filingId);
  if (record.programId !== link.programId) return { page: NOT_FOUND() };
  if (link.reviewer.role === 'city' && link.reviewer.unit !== record.filing.enterprise.reportingUnit) {
    return { page: NOT_FOUND() };
  }
  // The link's step is over (decided, and perhaps a new round has begun with new links).
  if (!task || task.seq !== link.seq) return { page: DECIDED('该审核环节已结束') };
  if (task.decided) {
    return { page: DECIDED(decisionLabel(task.decided, program)), ...undelivered(record, task) };
  }
  if (task.expired) return { page: EXPIRED() };
  // The filing left the stage without a decision here (withdrawn by the applicant): nothing to decide.
  if (task.stage !== 'amend' && record.state !== DECIDABLE_IN[task.stage]) {
    return { page: DECIDED(`备案${STATE_LABELS[record.state].zh}`) };
  }
  return { record, program, task };
}

function decisionLabel(d: Decision, program: Program): string {
  return (
    (cityDecisions(program) as Record<string, string>)[d.decision] ??
    (PROVINCE_DECISIONS as Record<string, string>)[d.decision] ??
    d.decision
  );
}

async function batchFor(deps: ReviewCore, link: ReviewLink & { target: { batchId: string } }) {
  const batch = await deps.reviews.getBatch(link.target.batchId);
  if (!batch || batch.programId !== link.programId || link.reviewer.role !== 'province')
    return { page: NOT_FOUND() };
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
  if (open.length === 0) return { page: DECIDED('本批次已全部处理'), undelivered: stalled };
  return {
    batch,
    open,
    records: open.map((o) => o.record),
    program: getProgram(batch.programId),
    undelivered: stalled,
  };
}

const isBatchLink = (link: ReviewLink): link is ReviewLink & { target: { batchId: string } } =>
  'batchId' in link.target;

/** GET /review/{token}: the confirmation page. Never changes anything. */
export async function reviewPage(deps: ReviewDeps, token: string): Promise<PageResult> {
  const link = await resolveLink(deps, token);
  if ('status' in link) return link;
  if (isBatchLink(link)) {
    const found = await batchFor(deps, link);
    if ('page' in found && found.page) return found.page;
    const { batch, records, program } = found as Exclude<typeof found, { page: PageResult }>;
    return { status: 200, html: await batchForm(deps, token, link, program, batch, records) };
  }
  const found = await filingFor(deps, link as ReviewLink & { target: { filingId: string } });
  if ('page' in found && found.page) return found.page;
  const { record, program } = found as { record: FilingRecord; program: Program };
  return { status: 200, html: await filingForm(deps, token, program, record, link) };
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

/** POST /review/{token}: the decision, conditional on being the first. */
export async function decideReview(
  deps: ReviewDeps,
  token: string,
  form: URLSearchParams,
): Promise<PageResult> {
  const link = await resolveLink(deps, token);
  if ('status' in link) return link;
  const at = clock(deps).toISOString();
  const actor = {
    role: link.reviewer.role,
    id: link.reviewer.id,
    ...(link.reviewer.unit ? { unit: link.reviewer.unit } : {}),
  };
  if (isBatchLink(link)) {
    const found = await batchFor(deps, link);
    if ('undelivered' in found && found.undelivered) await redeliver(deps, found.undelivered);
    if ('page' in found && found.page) return found.page;
    const { batch, records, program, open } = found as Exclude<typeof found, { page: PageResult }>;
    const decisions: { record: FilingRecord; seq: string; decision: Decision }[] = [];
    for (const { record, seq } of open) {
      const value = form.get(`decision_${record.filingId}`) ?? '';
      const read = readReason(form.get(`reason_${record.filingId}`));
      // Own keys only: `toString` is `in` every object (found by the fuzzer: it was recorded as a decision).
      if (!Object.hasOwn(PROVINCE_DECISIONS, value)) {
        return {
          status: 422,
          html: await batchForm(deps, token, link, program, batch, records, '请为每一位人员选择意见。'),
        };
      }
      // Nothing of the batch is decided while any of its reasons is refused.
      if ('error' in read) {
        const who = `${maskName(record.filing.person.name)}（${record.filingId}）`;
        const error = `${who}的理由${read.error}。`;
        return { status: 422, html: await batchForm(deps, token, link, program, batch, records, error) };
      }
      const { reason } = read;
      if (NEEDS_REASON.has(value) && !reason) {
        return {
          status: 422,
          html: await batchForm(deps, token, link, program, batch, records, '不予纳入时请填写理由。'),
        };
      }
      decisions.push({
        record,
        seq,
        decision: { decision: value as Decision['decision'], ...(reason ? { reason } : {}), actor, at },
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
    if (done === 0 && decisions.length > 0) return DECIDED('已有省局意见');
    return message(200, '已提交', `已提交本批次 ${done} 人的省局意见，系统将逐一通知申报人。`);
  }
  const found = await filingFor(deps, link as ReviewLink & { target: { filingId: string } });
  if ('undelivered' in found && found.undelivered) await redeliver(deps, [found.undelivered]);
  if ('page' in found && found.page) return found.page;
  const { record, program, task } = found as {
    record: FilingRecord;
    program: Program;
    task: { seq: string };
  };
  const value = form.get('decision') ?? '';
  const read = readReason(form.get('reason'));
  if (!Object.hasOwn(CITY_DECISIONS, value)) {
    return { status: 422, html: await filingForm(deps, token, program, record, link, '请选择审核意见。') };
  }
  if ('error' in read) {
    return {
      status: 422,
      html: await filingForm(deps, token, program, record, link, `理由${read.error}。`),
    };
  }
  const { reason } = read;
  if (NEEDS_REASON.has(value) && !reason) {
    return {
      status: 422,
      html: await filingForm(deps, token, program, record, link, '退回修改或不予通过时，请填写理由。'),
    };
  }
  const decision: Decision = {
    decision: value as Decision['decision'],
    ...(reason ? { reason } : {}),
    actor,
    at,
  };
  let decided: Awaited<ReturnType<ReviewStore['decide']>>;
  try {
    decided = await deps.reviews.decide(record.filingId, task.seq, decision);
  } catch (error) {
    if (error instanceof ConflictError)
      return DECIDED(error.code === 'already_decided' ? '已有审核意见' : '已结束');
    throw error;
  }
  await resume(deps, decided.taskToken, decision, record.filingId);
  // Only a programme with a province stage sends its approved filings on in a batch.
  const batchButton =
    value === 'approve' && link.reviewer.role === 'city' && hasStage(program, 'province')
      ? `<form method="post" action="${escapeHtml(`/review/${token}/batch`)}"><p>通过的备案将在每周汇总时报送省局；也可立即报送本市已通过的备案：</p><button type="submit" ${BUTTON_STYLE}>立即汇总报送省局</button></form>`
      : '';
  return {
    status: 200,
    html: page(
      '已提交',
      `<h1>已提交审核意见：${escapeHtml(cityDecisions(program)[value as keyof typeof CITY_DECISIONS])}</h1><p>备案编号 <code>${escapeHtml(record.filingId)}</code>。</p>${batchButton}`,
    ),
  };
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
export async function sendBatchFromLink(deps: BatchDeps, token: string): Promise<PageResult> {
  const link = await resolveLink(deps, token);
  if ('status' in link) return link;
  if (link.reviewer.role !== 'city' || !link.reviewer.unit) return NOT_FOUND();
  const batch = await sendBatch(deps, link.programId, link.reviewer.unit);
  if (!batch) return message(200, '暂无可报送的备案', '本市目前没有待报送省局的备案。');
  return message(
    200,
    '已报送省局',
    `已将 ${batch.filingIds.length} 份备案汇总报送省局（批次 ${batch.batchId}）。`,
  );
}
