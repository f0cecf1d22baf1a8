// The messages the system sends, in Chinese: review requests and reminders to city bureaus,
// escalations and batches to the province, notices to applicants, alerts to operators. Pure
// functions from plain data (shared/domain/email-templates.ts) to `{ subject, text, html }`,
// rendered by the one mail renderer (mail.ts): the program supplies its title and authorities;
// personal data is masked here whatever the caller passes (docs/domain.md §8), so a full filing
// can be handed in; free text written by staff goes through redactText.
import { documentTitle, summaryColumns } from '../domain/documents.ts';
import {
  type ApplicantFacts,
  type ApplicantNoticeInput,
  type ApplicantReasonInput,
  type ApplicantReceivedInput,
  type BatchRow,
  beijingTime,
  type EmailContent,
  type EmailKind,
  type FailureAlertInput,
  INDUSTRY_LABELS,
  type PoolDepartureInput,
  type ProvinceBatchInput,
  type ReviewEscalationInput,
  type ReviewReminderInput,
  type ReviewRequestInput,
  type ReviewWarning,
} from '../domain/email-templates.ts';
import { labelOf, SEX_LABELS } from '../domain/labels.ts';
import { maskIdNumber, maskMobile, maskName, maskPhone, redactText } from '../domain/masking.ts';
import { findRole, findUnit, type Program } from '../domain/programs/program.ts';
import { STATE_LABELS } from '../domain/state-labels.ts';
import {
  EDUCATION_LABELS,
  isEducationLevel,
  isTitleLevel,
  TITLE_LABELS,
} from '../domain/validation/ranks.ts';
import { type MailBlock as Block, renderMail } from './mail.ts';

const render = (
  program: Program,
  kind: EmailKind,
  subject: string,
  heading: string,
  blocks: Block[],
): EmailContent => renderMail(program, kind, subject, heading, blocks, { breakFactValues: true });

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
        kind: 'sheet',
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
