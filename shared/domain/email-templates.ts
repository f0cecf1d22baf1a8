// The messages the system sends, in Chinese: review requests and reminders to city bureaus,
// escalations and batches to the province, notices to applicants, alerts to operators. Pure
// functions from plain data to `{ subject, text, html }`: the program supplies its title and
// authorities; personal data is masked here whatever the caller passes (docs/domain.md §8), so a
// full filing can be handed in; free text written by staff goes through redactText.
import { escapeHtml } from '../http/html.ts';
import { documentTitle, SUMMARY_COLUMNS, summaryColumns } from './documents.ts';
import type { FieldIssue } from './errors.ts';
import { INDUSTRY_LABELS as INDUSTRY_NAMES, labelOf, SEX_LABELS } from './labels.ts';
import type { FilingState } from './lifecycle.ts';
import { maskIdNumber, maskMobile, maskName, maskPhone, redactText } from './masking.ts';
import { findRole, findUnit, type Program } from './programs/program.ts';
import { STATE_LABELS } from './state-labels.ts';
import { EDUCATION_LABELS, isEducationLevel, isTitleLevel, TITLE_LABELS } from './validation/ranks.ts';

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

// ---------------------------------------------------------------------------------------------
// Layout: a message is a list of blocks rendered twice, as plain text and as HTML (one column,
// inline styles, readable on a phone).

type Block =
  | { kind: 'p'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'button'; label: string; url: string }
  | { kind: 'note'; text: string };

const FONT = 'system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif';

function checkedUrl(url: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error('email link is not a URL');
  }
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error('email links must be http(s)');
  return url;
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'p':
      return block.text;
    case 'heading':
      return `【${block.text}】`;
    case 'facts':
      return block.rows.map(([label, value]) => `${label}：${value}`).join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'table':
      return block.rows
        .map(
          (row) =>
            `${row[0] ?? ''}. ${row
              .slice(1)
              .map((cell, i) => `${block.head[i + 1] ?? ''}：${cell || '—'}`)
              .join('；')}`,
        )
        .join('\n');
    case 'button':
      return `${block.label}：\n${block.url}`;
    case 'note':
      return block.text;
  }
}

function blockHtml(block: Block): string {
  const e = escapeHtml;
  switch (block.kind) {
    case 'p':
      return `<p style="margin:0 0 12px">${e(block.text)}</p>`;
    case 'heading':
      return `<h2 style="font-size:16px;margin:20px 0 8px">${e(block.text)}</h2>`;
    case 'facts':
      return `<table role="presentation" style="border-collapse:collapse;width:100%;margin:0 0 12px;font-size:15px">${block.rows
        .map(
          ([label, value]) =>
            `<tr><th style="text-align:left;font-weight:normal;color:#555;padding:4px 12px 4px 0;white-space:nowrap;vertical-align:top;width:1%">${e(label)}</th><td style="padding:4px 0;word-break:break-all">${e(value)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'list':
      return `<ul style="margin:0 0 12px;padding-left:20px">${block.items
        .map((item) => `<li style="margin:0 0 4px">${e(item)}</li>`)
        .join('')}</ul>`;
    case 'table': {
      const cell = 'border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top';
      return `<div style="overflow-x:auto;margin:0 0 12px"><table style="border-collapse:collapse;font-size:13px;white-space:nowrap"><thead><tr>${block.head
        .map((h) => `<th style="${cell};background:#f0f2f5">${e(h)}</th>`)
        .join('')}</tr></thead><tbody>${block.rows
        .map((row) => `<tr>${row.map((c) => `<td style="${cell}">${e(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table></div>`;
    }
    case 'button':
      return `<p style="margin:20px 0"><a href="${e(block.url)}" style="display:inline-block;padding:12px 20px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${e(block.label)}</a></p>
<p style="margin:0 0 12px;font-size:13px;color:#555;word-break:break-all">如按钮无法点击，请将以下链接复制到浏览器打开：<br><a href="${e(block.url)}" style="color:#1a56db">${e(block.url)}</a></p>`;
    case 'note':
      return `<p style="margin:0 0 12px;padding:8px 12px;background:#fff8e1;border-left:4px solid #f0b400;font-size:14px">${e(block.text)}</p>`;
  }
}

function render(
  program: Program,
  kind: EmailKind,
  subject: string,
  heading: string,
  blocks: Block[],
): EmailContent {
  const links = blocks.flatMap((b) => (b.kind === 'button' ? [checkedUrl(b.url)] : []));
  const footer = `本邮件由${program.title.zh}备案系统自动发送（${program.authority.zh}），请勿直接回复。`;
  const text = [`${program.title.zh}`, heading, ...blocks.map(blockText), '—', footer].join('\n\n');
  const html = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<div style="max-width:600px;margin:0 auto;padding:16px;background:#ffffff;font-family:${escapeHtml(FONT)};font-size:16px;line-height:1.6;color:#1a1a1a">
<p style="margin:0 0 4px;font-size:13px;color:#555">${escapeHtml(program.title.zh)}</p>
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(heading)}</h1>
${blocks.map(blockHtml).join('\n')}
<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #ddd;font-size:12px;color:#777">${escapeHtml(footer)}</p>
</div>
</body>
</html>`;
  return { kind, subject: `【${program.title.zh}】${subject}`, text, html, links };
}

// ---------------------------------------------------------------------------------------------
// Shared pieces.

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

const roleName = (program: Program, role: string) => findRole(program, role)?.name.zh ?? role;
const unitName = (program: Program, unit: string) => findUnit(program, unit)?.name.zh ?? unit;
const cityAuthority = (program: Program, unit: string) =>
  findUnit(program, unit)?.reviewer.authority.zh ?? `${unitName(program, unit)}市场监督管理部门`;
/** Staff-written text leaves the system without ID numbers, phones or addresses in it. */
const clean = (text: string) => redactText(text.trim());

function who(program: Program, a: ApplicantFacts): string {
  return `${maskName(a.name)}（${roleName(program, a.role)}，${unitName(program, a.unit)}）`;
}

function summary(program: Program, a: ApplicantFacts): Block[] {
  return [
    { kind: 'heading', text: '申请人信息（已脱敏）' },
    {
      kind: 'facts',
      rows: [
        ['备案编号', a.filingId],
        ['姓名', maskName(a.name)],
        ['岗位', roleName(program, a.role)],
        ['报送单位', unitName(program, a.unit)],
        ['企业名称', a.enterprise],
        ['统一社会信用代码', a.uscc],
        ['证件号码', a.idNumber ? maskIdNumber(a.idNumber) : '—'],
        ['手机号码', maskMobile(a.mobile)],
      ],
    },
  ];
}

function warningBlocks(warnings: readonly ReviewWarning[]): Block[] {
  if (warnings.length === 0) {
    return [
      { kind: 'heading', text: '需要核对的事项' },
      { kind: 'p', text: '系统未发现需要提示的问题。' },
    ];
  }
  return [
    { kind: 'heading', text: `需要核对的事项（${warnings.length}项）` },
    { kind: 'list', items: warnings.map((w) => clean(w.message.zh)) },
  ];
}

const CONFIRMATION_NOTE: Block = {
  kind: 'note',
  text: '打开链接只会显示确认页面，不会作出任何决定；只有在页面上点击相应按钮后，审核结果才会被记录。链接仅供贵单位审核人员使用，请勿转发。',
};

/** The link's own validity, apart from the deadline (it stays usable for a while after it). */
function linkValidity(expiresAt: string | undefined): Block[] {
  return expiresAt ? [{ kind: 'p', text: `审核链接有效期至${beijingTime(expiresAt)}。` }] : [];
}

/** The city stage's time limit in days, from the programme's review stages. */
function cityDays(program: Program): number | undefined {
  return program.reviewStages.find((s) => s.id === 'city')?.timeoutDays;
}

// ---------------------------------------------------------------------------------------------
// The messages.

/** To the city reviewers of the applicant's unit: a new filing to review. */
export function reviewRequest(program: Program, input: ReviewRequestInput): EmailContent {
  const a = input.applicant;
  const role = roleName(program, a.role);
  const days = cityDays(program);
  return render(program, 'review_request', `请审核备案：${who(program, a)}`, `请审核${role}备案`, [
    { kind: 'p', text: `${cityAuthority(program, a.unit)}：` },
    {
      kind: 'p',
      text: `${a.enterprise}提交了${role}备案，请于${beijingTime(input.deadline)}前完成审核${days ? `（${days}天内）` : ''}。逾期未审核的，将转由${program.authority.zh}处理。`,
    },
    ...summary(program, a),
    ...warningBlocks(input.warnings),
    { kind: 'button', label: '打开审核页面', url: input.reviewUrl },
    ...linkValidity(input.linkExpiresAt),
    CONFIRMATION_NOTE,
  ]);
}

/** To the city reviewers again, before the deadline. */
export function reviewReminder(program: Program, input: ReviewReminderInput): EmailContent {
  const a = input.applicant;
  const role = roleName(program, a.role);
  const left = input.daysLeft > 0 ? `还剩${input.daysLeft}天` : '今天截止';
  return render(
    program,
    'review_reminder',
    `审核提醒（${left}）：${who(program, a)}`,
    `提醒：${role}备案待审核，${left}`,
    [
      { kind: 'p', text: `${cityAuthority(program, a.unit)}：` },
      {
        kind: 'p',
        text: `以下备案尚未审核，审核截止时间为${beijingTime(input.deadline)}（${left}）。逾期未审核的，将转由${program.authority.zh}处理。`,
      },
      ...summary(program, a),
      ...warningBlocks(input.warnings),
      { kind: 'button', label: '打开审核页面', url: input.reviewUrl },
      ...linkValidity(input.linkExpiresAt),
      CONFIRMATION_NOTE,
    ],
  );
}

/** To the province: the city did not answer in time. */
export function reviewEscalation(program: Program, input: ReviewEscalationInput): EmailContent {
  const a = input.applicant;
  const city = program.reviewStages.find((s) => s.id === 'city');
  const limit = city ? `（${city.timeoutDays}天）` : '';
  return render(
    program,
    'review_escalation',
    `市局逾期未审核：${who(program, a)}`,
    '市局逾期未审核，转省局处理',
    [
      { kind: 'p', text: `${program.authority.zh}：` },
      {
        kind: 'p',
        text: `${cityAuthority(program, a.unit)}未在规定期限${limit}内审核以下备案（截止时间${beijingTime(input.cityDeadline)}），现转由省局处理。`,
      },
      ...(input.deadline
        ? [{ kind: 'p' as const, text: `请于${beijingTime(input.deadline)}前完成审核。` }]
        : []),
      ...summary(program, a),
      ...warningBlocks(input.warnings),
      { kind: 'button', label: '打开审核页面', url: input.reviewUrl },
      CONFIRMATION_NOTE,
    ],
  );
}

function applicantIntro(program: Program, a: ApplicantFacts): Block[] {
  return [
    { kind: 'p', text: `${maskName(a.name)}：您好！` },
    {
      kind: 'facts',
      rows: [
        ['备案编号', a.filingId],
        ['岗位', roleName(program, a.role)],
        ['企业名称', a.enterprise],
        ['报送单位', unitName(program, a.unit)],
      ],
    },
  ];
}

const applicantWho = (program: Program, a: ApplicantFacts) =>
  `${maskName(a.name)}（${roleName(program, a.role)}）`;

const unitNameEn = (program: Program, unit: string) => findUnit(program, unit)?.name.en ?? unit;

/** To the applicant: the filing arrived and went to the city for review (Chinese first, then English). */
export function applicantReceived(program: Program, input: ApplicantReceivedInput): EmailContent {
  const a = input.applicant;
  const role = roleName(program, a.role);
  const authority = cityAuthority(program, a.unit);
  const days = cityDays(program);
  const limit = days ? `${days}天` : '';
  const due = input.cityDeadline
    ? `，审核期限为${limit}（至${beijingTime(input.cityDeadline)}）`
    : limit
      ? `，审核期限为${limit}`
      : '';
  return render(program, 'applicant_received', `备案已受理：${applicantWho(program, a)}`, '备案已受理', [
    ...applicantIntro(program, a),
    {
      kind: 'p',
      text: `您提交的${role}备案已收到，已转${authority}审核${due}。审核结果将以邮件通知您，也可随时通过下方链接查看备案状态。`,
    },
    { kind: 'button', label: '查看备案状态', url: input.statusUrl },
    { kind: 'p', text: '状态链接即您的查询凭证，请妥善保管本邮件，勿转发他人。' },
    { kind: 'heading', text: 'English' },
    {
      kind: 'p',
      text: `Your filing ${a.filingId} has been received and passed to the ${unitNameEn(program, a.unit)} bureau for review${days ? ` (${days} days)` : ''}. You will be told the result by email; the status link above shows where it stands. The link is your receipt: keep this email and do not forward it.`,
    },
  ]);
}

/** To the applicant: the city approved and sends the filing on to the province (Chinese first, then English). */
export function applicantCityApproved(program: Program, input: ApplicantNoticeInput): EmailContent {
  const a = input.applicant;
  const role = roleName(program, a.role);
  const authority = cityAuthority(program, a.unit);
  return render(
    program,
    'applicant_city_approved',
    `市局审核通过：${applicantWho(program, a)}`,
    '市局审核通过，报送省局',
    [
      ...applicantIntro(program, a),
      {
        kind: 'p',
        text: `您提交的${role}备案已经${authority}审核通过，将随本市汇总报送${program.authority.zh}，由省局决定是否纳入人才库。结果将以邮件通知您。`,
      },
      { kind: 'button', label: '查看备案状态', url: input.statusUrl },
      { kind: 'p', text: `如有疑问，请联系${authority}。` },
      { kind: 'heading', text: 'English' },
      {
        kind: 'p',
        text: `The ${unitNameEn(program, a.unit)} bureau has approved your filing ${a.filingId}. It goes on to the provincial bureau with the city's next summary, and the province decides on inclusion in the talent pool; you will be told by email.`,
      },
    ],
  );
}

/** To the applicant: the city asks for changes. */
export function applicantChangesRequested(program: Program, input: ApplicantReasonInput): EmailContent {
  const a = input.applicant;
  const authority = cityAuthority(program, a.unit);
  return render(
    program,
    'applicant_changes_requested',
    `备案需修改：${applicantWho(program, a)}`,
    '备案需要修改后重新提交',
    [
      ...applicantIntro(program, a),
      {
        kind: 'p',
        text: `您提交的${roleName(program, a.role)}备案经${authority}审核，需要按以下意见修改后重新提交。`,
      },
      { kind: 'heading', text: '修改意见' },
      { kind: 'p', text: clean(input.reason) },
      { kind: 'button', label: '查看备案状态并修改', url: input.statusUrl },
      { kind: 'p', text: `如有疑问，请联系${authority}。` },
    ],
  );
}

/** To the applicant: the city rejected the filing. */
export function applicantRejected(program: Program, input: ApplicantReasonInput): EmailContent {
  const a = input.applicant;
  const authority = cityAuthority(program, a.unit);
  return render(
    program,
    'applicant_rejected',
    `备案未通过审核：${applicantWho(program, a)}`,
    '备案未通过审核',
    [
      ...applicantIntro(program, a),
      { kind: 'p', text: `您提交的${roleName(program, a.role)}备案经${authority}审核，未予通过。` },
      { kind: 'heading', text: '原因' },
      { kind: 'p', text: clean(input.reason) },
      { kind: 'button', label: '查看备案状态', url: input.statusUrl },
      { kind: 'p', text: `如有疑问，请联系${authority}。` },
    ],
  );
}

/** To the applicant: the province included the person in the talent pool. */
export function applicantIncluded(program: Program, input: ApplicantNoticeInput): EmailContent {
  const a = input.applicant;
  const role = roleName(program, a.role);
  return render(program, 'applicant_included', `已纳入人才库：${applicantWho(program, a)}`, '已纳入人才库', [
    ...applicantIntro(program, a),
    {
      kind: 'p',
      text: `您提交的${role}备案已经${cityAuthority(program, a.unit)}审核通过，并由${program.authority.zh}纳入人才库。`,
    },
    { kind: 'button', label: '查看备案状态', url: input.statusUrl },
  ]);
}

/** To the applicant: the city approved, and that ends the review (a programme without a province stage). */
export function applicantRegistered(program: Program, input: ApplicantNoticeInput): EmailContent {
  const a = input.applicant;
  const role = roleName(program, a.role);
  const authority = cityAuthority(program, a.unit);
  return render(program, 'applicant_registered', `备案完成：${applicantWho(program, a)}`, '备案完成', [
    ...applicantIntro(program, a),
    { kind: 'p', text: `您提交的${role}备案已经${authority}审核通过，备案完成。` },
    { kind: 'button', label: '查看备案状态', url: input.statusUrl },
    { kind: 'p', text: `如有疑问，请联系${authority}。` },
  ]);
}

/** To the applicant: the province declined to include the person. */
export function applicantDeclined(program: Program, input: ApplicantReasonInput): EmailContent {
  const a = input.applicant;
  return render(
    program,
    'applicant_declined',
    `未纳入人才库：${applicantWho(program, a)}`,
    '省局未予纳入人才库',
    [
      ...applicantIntro(program, a),
      {
        kind: 'p',
        text: `您提交的${roleName(program, a.role)}备案经${program.authority.zh}审核，未予纳入人才库。`,
      },
      { kind: 'heading', text: '原因' },
      { kind: 'p', text: clean(input.reason) },
      { kind: 'button', label: '查看备案状态', url: input.statusUrl },
      { kind: 'p', text: `如有疑问，请联系${program.authority.zh}。` },
    ],
  );
}

/** To the applicant: the changes the city asked for never came, and the filing was closed. */
export function applicantExpired(
  program: Program,
  input: ApplicantNoticeInput & { reason?: string },
): EmailContent {
  const a = input.applicant;
  const authority = cityAuthority(program, a.unit);
  return render(
    program,
    'applicant_expired',
    `备案已关闭：${applicantWho(program, a)}`,
    '备案已因逾期未修改而关闭',
    [
      ...applicantIntro(program, a),
      {
        kind: 'p',
        text: `您提交的${roleName(program, a.role)}备案，${authority}要求修改后重新提交，但在规定期限内未收到修改，备案已关闭。如仍需备案，请重新提交。`,
      },
      ...(input.reason
        ? [
            { kind: 'heading' as const, text: '说明' },
            { kind: 'p' as const, text: clean(input.reason) },
          ]
        : []),
      { kind: 'button', label: '查看备案状态', url: input.statusUrl },
      { kind: 'p', text: `如有疑问，请联系${authority}。` },
    ],
  );
}

/** GB/T 4754-2017 sections (门类) by name, for the 所属行业 column; the names come from labels.ts. */
export const INDUSTRY_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(INDUSTRY_NAMES).map(([section, name]) => [section, name.zh]),
);

/** The summary's columns (docs/domain.md §4), in order, as Liaoning's 附件2 names them; see summaryColumns. */
export const BATCH_COLUMNS = SUMMARY_COLUMNS;

function batchCells(program: Program, row: BatchRow, index: number): string[] {
  const { person, enterprise } = row.filing;
  const industry = INDUSTRY_LABELS[enterprise.industry];
  const level = isTitleLevel(person.titleLevel) ? TITLE_LABELS[person.titleLevel].zh : person.titleLevel;
  const title = person.titleName ? `${person.titleName}（${level}）` : level;
  return [
    String(index + 1),
    unitName(program, enterprise.reportingUnit),
    enterprise.name,
    enterprise.uscc,
    industry ? `${enterprise.industry} ${industry}` : enterprise.industry,
    maskName(person.name),
    labelOf(SEX_LABELS, person.sex).zh,
    person.birthYearMonth,
    roleName(program, row.filing.role),
    person.position,
    isEducationLevel(person.education) ? EDUCATION_LABELS[person.education].zh : person.education,
    title,
    person.training?.certificateNumber ?? '',
    person.appointment.date,
    maskPhone(person.mobile),
    row.remark ? clean(row.remark) : '',
  ];
}

/** To province staff: a city's approved filings, as a 附件2-style table (no ID numbers, phones masked). */
export function provinceBatch(program: Program, input: ProvinceBatchInput): EmailContent {
  const unit = unitName(program, input.unit);
  const count = input.filings.length;
  return render(
    program,
    'province_batch',
    `${unit}报送人员汇总（${count}人，批次${input.batchId}）`,
    `${unit}报送${documentTitle(program, 'summary')}`,
    [
      { kind: 'p', text: `${program.authority.zh}：` },
      {
        kind: 'p',
        text: `${cityAuthority(program, input.unit)}已审核通过以下${count}名人员，现报送省局。请在批次页面逐一决定纳入人才库或不予纳入。`,
      },
      ...(input.deadline ? [{ kind: 'p' as const, text: `请于${beijingTime(input.deadline)}前完成。` }] : []),
      {
        kind: 'facts',
        rows: [
          ['批次编号', input.batchId],
          ['报送单位', unit],
          ['人数', String(count)],
        ],
      },
      {
        kind: 'table',
        head: summaryColumns(program),
        rows: input.filings.map((row, i) => batchCells(program, row, i)),
      },
      {
        kind: 'note',
        text: '本表不含证件号码，姓名与联系电话已脱敏；完整信息请在批次页面查看。',
      },
      { kind: 'button', label: '打开批次页面', url: input.batchUrl },
    ],
  );
}

/** To operators: a filing's processing failed. No personal data: ids, state and error name only. */
export function failureAlert(program: Program, input: FailureAlertInput): EmailContent {
  const state = (STATE_LABELS as Record<string, { zh: string } | undefined>)[input.state];
  const errorName = clean(input.errorName).slice(0, 120) || 'Error';
  return render(program, 'failure_alert', `处理失败：备案${input.filingId}`, '备案处理失败', [
    { kind: 'p', text: '以下备案在处理中出错，需要运维人员检查。' },
    {
      kind: 'facts',
      rows: [
        ['项目', program.id],
        ['备案编号', input.filingId],
        ['当前状态', state ? `${state.zh}（${input.state}）` : input.state],
        ['错误类型', errorName],
        ...(input.where ? [['出错环节', clean(input.where)] as [string, string]] : []),
        ['时间', beijingTime(input.at)],
      ],
    },
    { kind: 'button', label: '查看详情', url: input.url },
    { kind: 'note', text: '本告警不含个人信息，请在执行记录中查看详情。' },
  ]);
}

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

const DEPARTURE_TITLES: Record<PoolDepartureInput['removal'], string> = {
  left_post: '企业报告人员已离岗，已退出人才库',
  consent_withdrawn: '本人撤回个人信息处理同意，已退出人才库',
  province: '省局已将人员移出人才库',
  assessment: '年度考核不合格，已移出人才库',
};

/** To the city reviewers of the member's unit: a person left the pool (or a review ended). */
export function poolDepartureNotice(program: Program, input: PoolDepartureInput): EmailContent {
  const role = roleName(program, input.role);
  const person = `${maskName(input.name)}（${role}，${input.enterprise}）`;
  const title =
    input.endsReview && input.removal === 'consent_withdrawn'
      ? '本人撤回个人信息处理同意，备案已撤回'
      : DEPARTURE_TITLES[input.removal];
  return render(program, 'pool_departure', `${title}：${person}，备案编号 ${input.filingId}`, title, [
    { kind: 'p', text: `${cityAuthority(program, input.unit)}：` },
    { kind: 'p', text: `${person}，${title}（${beijingTime(input.at)}）。` },
    {
      kind: 'facts',
      rows: [
        ['备案编号', input.filingId],
        ['姓名', maskName(input.name)],
        ['岗位', role],
        ['报送单位', unitName(program, input.unit)],
        ['企业名称', input.enterprise],
        ['说明', clean(input.reason) || '—'],
      ],
    },
    ...(input.removal === 'consent_withdrawn'
      ? [
          {
            kind: 'note',
            text: '按照个人信息保护法，该人员的个人信息将在下一次数据保留任务运行时删除或匿名化（含附件），请勿另行保存。',
          } as Block,
        ]
      : input.endsReview
        ? [{ kind: 'note', text: '该备案的审核已结束，此前发送的审核链接不再有效。' } as Block]
        : []),
  ]);
}
