// The review pages, in Chinese, from the review use cases' outcomes (shared/use-cases/workflow/
// review.ts): the confirmation page of a filing link and the province's batch page (the form
// again, with the error, when a post decided nothing), and the short answers (decided, sent,
// expired, unknown link) with their status codes. Contact data is masked as everywhere else.
import { ATTACHMENT_KIND_LABELS, ATTACHMENT_TYPE_LABELS } from '../domain/attachments.ts';
import { fieldLabel } from '../domain/field-issues.ts';
import {
  EDUCATION_LABELS,
  EMPLOYMENT_LABELS,
  industryLabel,
  labelOf,
  SEX_LABELS,
  SIZE_LABELS,
  TITLE_LABELS,
} from '../domain/labels.ts';
import { maskEmail, maskMobile, maskName, maskPhone } from '../domain/masking.ts';
import { findRole, findUnit, hasStage, type Program } from '../domain/programs/program.ts';
import { STATE_LABELS } from '../domain/state-labels.ts';
import type { FilingRecord } from '../ports/filings.ts';
import type { Decision } from '../ports/reviews.ts';
import { TRAINING_NOT_ON_ROSTER, TRAINING_VERIFIED } from '../use-cases/training/verify-training.ts';
import {
  type BatchDecisionOutcome,
  type BatchReview,
  type BatchSendOutcome,
  type CityChoice,
  type FilingDecisionOutcome,
  type FilingReview,
  type FormError,
  type LinkRefused,
  type ProvinceChoice,
  REVIEW_REASON_MAX,
  type ReviewPageOutcome,
  type Settled,
  type ShownAttachment,
} from '../use-cases/workflow/review.ts';
import { escapeHtml, page } from './html.ts';

/** A page as the HTTP handler answers it. */
export interface PageResult {
  status: number;
  html: string;
}

const CITY_DECISIONS = {
  approve: '通过，报送省局',
  request_changes: '退回修改',
  reject: '不予通过',
} as const satisfies Record<CityChoice, string>;
const PROVINCE_DECISIONS = { include: '纳入人才库', decline: '不予纳入' } as const satisfies Record<
  ProvinceChoice,
  string
>;

/** The city's choices as the page names them: without a province stage, approval registers the filing. */
function cityDecisions(program: Program): Record<keyof typeof CITY_DECISIONS, string> {
  return hasStage(program, 'province') ? CITY_DECISIONS : { ...CITY_DECISIONS, approve: '通过，予以备案' };
}

function decisionLabel(decision: Decision['decision'], program: Program): string {
  return (
    (cityDecisions(program) as Record<string, string>)[decision] ??
    (PROVINCE_DECISIONS as Record<string, string>)[decision] ??
    decision
  );
}

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

const BUTTON_STYLE = 'class="primary"';

function filingForm(review: FilingReview, error?: string): string {
  const { token, program, record, reviewer } = review;
  const shown = review.attachments;
  const who = reviewer.role === 'province' ? '（已转交省局处理）' : '';
  return page(
    '备案审核',
    `<h1>${escapeHtml(program.title.zh)} · 备案审核${escapeHtml(who)}</h1>
<p class="muted">备案编号 <code>${escapeHtml(record.filingId)}</code>。打开本页不会改变任何状态，只有点击下方“提交审核意见”才会生效。</p>
${error ? `<p role="alert" style="color:#b00020"><strong>${escapeHtml(error)}</strong></p>` : ''}
${warningsBlock(record)}
${summaryRows(program, record)}
${dutiesBlock(program, record.filing.role)}
${attachmentsBlock(shown, review.attachmentSeconds)}
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

function batchForm(review: BatchReview, error?: string): string {
  const { token, program, batch, records } = review;
  const shown = review.attachments;
  const seconds = review.attachmentSeconds;
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

/** What the 409 page says the step already has. */
function settledText(settled: Settled): string {
  switch (settled.why) {
    case 'step_over':
      return '该审核环节已结束';
    case 'decided':
      return decisionLabel(settled.decision, settled.program);
    case 'left_stage':
      return `备案${STATE_LABELS[settled.state].zh}`;
    case 'batch_done':
      return '本批次已全部处理';
    case 'already_decided':
      return '已有审核意见';
    case 'batch_already_decided':
      return '已有省局意见';
    case 'ended':
      return '已结束';
  }
}

/** A link that cannot be used, or a step with nothing left to decide. */
export function refusalPage(outcome: LinkRefused | { kind: 'closed'; settled: Settled }): PageResult {
  switch (outcome.kind) {
    case 'not_found':
      return NOT_FOUND();
    case 'expired':
      return EXPIRED();
    case 'closed':
      return DECIDED(settledText(outcome.settled));
  }
}

function filingError(error: FormError): string {
  switch (error.code) {
    case 'no_decision':
      return '请选择审核意见。';
    case 'reason_required':
      return '退回修改或不予通过时，请填写理由。';
    case 'reason_refused':
      return `理由${error.message}。`;
  }
}

function batchError(error: FormError): string {
  switch (error.code) {
    case 'no_decision':
      return '请为每一位人员选择意见。';
    case 'reason_required':
      return '不予纳入时请填写理由。';
    case 'reason_refused': {
      const who = error.record
        ? `${maskName(error.record.filing.person.name)}（${error.record.filingId}）`
        : '';
      return `${who}的理由${error.message}。`;
    }
  }
}

/** GET /review/{token}: the confirmation page of a filing or a batch. */
export function reviewPage(outcome: ReviewPageOutcome): PageResult {
  switch (outcome.kind) {
    case 'filing':
      return { status: 200, html: filingForm(outcome) };
    case 'batch':
      return { status: 200, html: batchForm(outcome) };
    default:
      return refusalPage(outcome);
  }
}

/** POST /review/{token} from a filing link: the decision recorded, or the form again (422). */
export function filingDecisionPage(outcome: FilingDecisionOutcome): PageResult {
  switch (outcome.kind) {
    case 'invalid':
      return { status: 422, html: filingForm(outcome.review, filingError(outcome.error)) };
    case 'decided': {
      const batchButton = outcome.canSendBatch
        ? `<form method="post" action="${escapeHtml(`/review/${outcome.token}/batch`)}"><p>通过的备案将在每周汇总时报送省局；也可立即报送本市已通过的备案：</p><button type="submit" ${BUTTON_STYLE}>立即汇总报送省局</button></form>`
        : '';
      return {
        status: 200,
        html: page(
          '已提交',
          `<h1>已提交审核意见：${escapeHtml(cityDecisions(outcome.program)[outcome.decision])}</h1><p>备案编号 <code>${escapeHtml(outcome.filingId)}</code>。</p>${batchButton}`,
        ),
      };
    }
    default:
      return refusalPage(outcome);
  }
}

/** POST /review/{token} from a batch link: the province's decisions recorded, or the form again (422). */
export function batchDecisionPage(outcome: BatchDecisionOutcome): PageResult {
  switch (outcome.kind) {
    case 'invalid':
      return { status: 422, html: batchForm(outcome.review, batchError(outcome.error)) };
    case 'batch_decided':
      return message(200, '已提交', `已提交本批次 ${outcome.count} 人的省局意见，系统将逐一通知申报人。`);
    default:
      return refusalPage(outcome);
  }
}

/** POST /review/{token}/batch: what the city's request to send its batch now did. */
export function batchSentPage(outcome: BatchSendOutcome): PageResult {
  switch (outcome.kind) {
    case 'nothing_to_send':
      return message(200, '暂无可报送的备案', '本市目前没有待报送省局的备案。');
    case 'batch_sent':
      return message(
        200,
        '已报送省局',
        `已将 ${outcome.batch.filingIds.length} 份备案汇总报送省局（批次 ${outcome.batch.batchId}）。`,
      );
    default:
      return refusalPage(outcome);
  }
}
