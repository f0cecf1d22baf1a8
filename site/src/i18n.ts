// Every string the site shows, in Chinese (the default) and English, and the language switch:
// the choice is kept in localStorage and every bound text on the page follows it.
import { FIELD_OPTION_LABELS } from '#shared/domain/labels.ts';

export type Lang = 'zh' | 'en';
export interface Text {
  zh: string;
  en: string;
}

const LANG_KEY = 'sso.lang';

/** Interface strings. */
export const UI = {
  siteName: { zh: '企业标准化人员备案', en: 'Enterprise standards officer filing' },
  switchLang: { zh: 'English', en: '中文' },
  switchLangLabel: { zh: 'Switch to English', en: '切换到中文' },
  loading: { zh: '加载中…', en: 'Loading…' },
  loadFailed: {
    zh: '无法连接备案服务，请检查网络后刷新页面重试。',
    en: 'The filing service cannot be reached. Check your connection and reload the page.',
  },
  formTitle: { zh: '标准化人员备案表', en: 'Standards officer filing form' },
  formIntro: {
    zh: '请如实填写以下信息。带 * 的为必填项。填写内容会自动保存为草稿（仅保存在本设备的浏览器中，证件号码、电话和电子邮箱除外），提交成功后自动清除。',
    en: 'Please fill in the information below truthfully. Fields marked * are required. What you enter is kept as a draft in this browser only (except the ID number, phone numbers and e-mail addresses) and cleared after a successful submission.',
  },
  draftRestored: {
    zh: '已恢复上次未提交的草稿。',
    en: 'Your unsubmitted draft was restored.',
  },
  clearDraft: { zh: '清空表单和草稿', en: 'Clear the form and the draft' },
  notInDraft: {
    zh: '为保护个人信息，此项不保存在草稿中，刷新页面后需重新填写。',
    en: 'To protect your personal information, this is not kept in the draft: enter it again after reloading the page.',
  },
  clearDraftConfirm: {
    zh: '确定清空已填写的全部内容吗？',
    en: 'Clear everything you have entered?',
  },
  required: { zh: '必填', en: 'required' },
  optional: { zh: '选填', en: 'optional' },
  choose: { zh: '请选择', en: 'Please choose' },
  chooseProgramFirst: { zh: '请先选择备案项目', en: 'Choose a programme first' },
  sectionProgram: { zh: '备案项目与岗位', en: 'Programme and role' },
  program: { zh: '备案项目', en: 'Programme' },
  roleDuties: {
    zh: '该岗位主要职责（请对照判断是否适合）：',
    en: 'Main duties of the role (judge the fit against them):',
  },
  sectionPerson: { zh: '人员基本信息', en: 'Person' },
  sectionAppointment: { zh: '企业聘任', en: 'Appointment by the enterprise' },
  sectionTraining: { zh: '培训合格信息', en: 'Training' },
  // Where a programme requires training (Liaoning), the form never suggests leaving it empty.
  trainingHelp: {
    zh: '本项目须培训合格后方可备案：请按培训合格证书填写全部四项，证书编号将与培训合格名单核对。',
    en: 'This programme requires passed training: fill in all four items as on the certificate; the certificate number is checked against the pass lists.',
  },
  trainingHelpOptional: {
    zh: '填写培训合格证书上的信息；本项目不要求培训，未参加培训的可不填。',
    en: 'As on the training certificate; this programme does not require training, so leave it empty if you have not been trained.',
  },
  sectionContact: { zh: '联系方式与工作业绩', en: 'Contact details and achievements' },
  sectionEnterprise: { zh: '企业信息', en: 'Enterprise' },
  sectionConsent: { zh: '个人信息处理告知', en: 'Personal information notice' },
  sectionAttachments: { zh: '附件', en: 'Documents' },
  attachmentsHelp: {
    zh: 'PDF、JPEG 或 PNG 文件（扫描件或照片），每个不超过 {mb} MB。附件不保存在草稿中，刷新页面后需重新选择。',
    en: 'A PDF, JPEG or PNG file (scan or photo) of at most {mb} MB each. Documents are not kept in the draft: choose them again after reloading the page.',
  },
  chooseFile: { zh: '选择文件', en: 'Choose a file' },
  chooseOtherFile: { zh: '重新选择文件', en: 'Choose another file' },
  noFileChosen: { zh: '未选择文件', en: 'No file chosen' },
  attachmentUploading: { zh: '正在上传…', en: 'Uploading…' },
  attachmentUploaded: { zh: '已上传：{name}', en: 'Uploaded: {name}' },
  attachmentType: {
    zh: '{label}：请选择 PDF、JPEG 或 PNG 文件',
    en: '{label}: choose a PDF, JPEG or PNG file',
  },
  attachmentTooLarge: {
    zh: '{label}：文件超过 {mb} MB，请压缩后重新选择',
    en: '{label}: the file is larger than {mb} MB; make it smaller and choose it again',
  },
  attachmentRequired: { zh: '{label}：请上传', en: '{label}: upload it' },
  attachmentPending: {
    zh: '{label}：正在上传，请稍候再提交',
    en: '{label}: still uploading; submit once it is done',
  },
  attachmentFailed: {
    zh: '{label}：上传失败，请检查网络后重新选择文件',
    en: '{label}: the upload failed; check your connection and choose the file again',
  },
  noticeVersion: { zh: '告知书版本', en: 'Notice version' },
  consentLabel: {
    zh: '我已阅读并同意上述个人信息处理告知书',
    en: 'I have read and agree to the personal information notice above',
  },
  publicationLabel: {
    zh: '同意在评选结果公示中公开姓名、企业名称和岗位（可选；不勾选时公示名单中姓名脱敏显示）',
    en: 'I agree that my name, enterprise and role are published if I am selected as an excellent officer (optional; otherwise the list masks my name)',
  },
  ruleHard: { zh: '要求', en: 'Requirement' },
  ruleSoft: { zh: '提示', en: 'Note' },
  charCount: { zh: '已输入 {n} / {max} 字', en: '{n} / {max} characters' },
  submit: { zh: '提交备案', en: 'Submit the filing' },
  submitting: { zh: '正在提交…', en: 'Submitting…' },
  summaryFix: { zh: '提交前请修正以下问题', en: 'Please correct the following before submitting' },
  summaryFailed: { zh: '提交未成功', en: 'The filing was not submitted' },
  networkError: {
    zh: '网络连接失败，备案未确认提交。请检查网络后再次点击“提交备案”，不会重复备案。',
    en: 'The connection failed and the submission was not confirmed. Check your connection and submit again; it will not be filed twice.',
  },
  serverError: {
    zh: '备案服务暂时不可用（{status}），请稍后再试。',
    en: 'The filing service is unavailable ({status}). Please try again later.',
  },
  hintYearMonth: { zh: '年-月，如 1980-05（也可输入 198005）', en: 'Year-month, e.g. 1980-05 (or 198005)' },
  hintDate: { zh: '如 2024-03-01', en: 'e.g. 2024-03-01' },
  hintUscc: { zh: '18 位，见营业执照', en: '18 characters, as on the business licence' },
  hintMobile: { zh: '11 位手机号，可带 +86', en: '11-digit mobile number; +86 allowed' },
  hintOfficePhone: { zh: '区号-号码，如 024-23456789', en: 'Area code-number, e.g. 024-23456789' },
  hintContactPhone: {
    zh: '手机号或办公电话（区号-号码）',
    en: 'A mobile number or an office phone (area code-number)',
  },
  hintContactEmail: {
    zh: '每年的年度考核（激励考核）链接发送到此邮箱',
    en: 'The yearly annual-return (激励考核) link is sent to this address',
  },
  hintIdNumber: { zh: '居民身份证为 18 位', en: 'A resident ID card has 18 characters' },
  // receipt
  receiptTitle: { zh: '备案回执', en: 'Filing receipt' },
  receiptIntro: {
    zh: '备案已提交。请记下备案编号，并保存下面的查询链接。',
    en: 'The filing has been submitted. Note the filing number and keep the status link below.',
  },
  filingNumber: { zh: '备案编号', en: 'Filing number' },
  copy: { zh: '复制', en: 'Copy' },
  copied: { zh: '已复制', en: 'Copied' },
  copyFailed: { zh: '请手动选择并复制', en: 'Select and copy it by hand' },
  status: { zh: '当前状态', en: 'Status' },
  warningsTitle: { zh: '审核人员将看到的提示', en: 'Notes the reviewer will see' },
  warningsIntro: {
    zh: '以下情况不影响提交，但审核时会重点核对：',
    en: 'These did not stop the filing, but the reviewer will check them:',
  },
  statusLinkTitle: { zh: '进度查询链接', en: 'Status link' },
  statusLinkAdvice: {
    zh: '请收藏或保存此链接：凭它可以随时查询审核进度。链接中含有查询凭证，请勿公开分享。',
    en: 'Bookmark or save this link: it lets you follow the review at any time. It contains your access token, so do not share it publicly.',
  },
  openStatus: { zh: '查看审核进度', en: 'View the review status' },
  receiptToken: { zh: '查询凭证', en: 'Access token' },
  receiptMissing: {
    zh: '缺少备案编号或查询凭证。请使用提交后生成的回执链接。',
    en: 'The filing number or access token is missing. Use the receipt link created when you submitted.',
  },
  newFiling: { zh: '填写新的备案', en: 'File another person' },
  // status
  statusTitle: { zh: '备案进度查询', en: 'Filing status' },
  lookupIntro: {
    zh: '请输入备案编号和查询凭证（均见备案回执）。',
    en: 'Enter the filing number and the access token (both are on the receipt).',
  },
  lookup: { zh: '查询', en: 'Look up' },
  lookupOther: { zh: '按备案编号查询', en: 'Look up by filing number' },
  notFound: {
    zh: '未找到该备案。请核对备案编号和查询凭证是否完整、正确。',
    en: 'No filing was found. Check that the filing number and the access token are complete and correct.',
  },
  lookupMissing: {
    zh: '请填写备案编号和查询凭证。',
    en: 'Enter both the filing number and the access token.',
  },
  submittedAt: { zh: '提交时间（北京时间）', en: 'Submitted (Beijing time)' },
  summaryTitle: { zh: '备案摘要（已脱敏）', en: 'Summary (masked)' },
  historyTitle: { zh: '办理记录', en: 'History' },
  historyTime: { zh: '时间（北京时间）', en: 'Time (Beijing)' },
  historyAction: { zh: '事项', en: 'Action' },
  historyBy: { zh: '办理方', en: 'By' },
  historyResult: { zh: '结果', en: 'Result' },
  historyReason: { zh: '说明', en: 'Reason' },
  commentsTitle: { zh: '审核意见', en: 'Reviewer comments' },
  noComments: { zh: '暂无审核意见。', en: 'No comments yet.' },
  noWarnings: { zh: '无。', en: 'None.' },
  summaryName: { zh: '姓名', en: 'Name' },
  summaryRole: { zh: '岗位', en: 'Role' },
  summaryUnit: { zh: '所在市', en: 'Reporting unit' },
  summaryAuthority: { zh: '审核单位', en: 'Reviewed by' },
  summaryEnterprise: { zh: '企业名称', en: 'Enterprise' },
  summaryUscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  summaryIdNumber: { zh: '证件号码', en: 'ID number' },
  summaryMobile: { zh: '手机号码', en: 'Mobile' },
  summaryEmail: { zh: '电子邮箱', en: 'Email' },
} as const satisfies Record<string, Text>;

export type UiKey = keyof typeof UI;

/** Form labels of every field of the filing (the same Chinese labels as FIELD_LABELS in the domain). */
export const FIELD_LABELS: Record<string, Text> = {
  role: { zh: '岗位', en: 'Role' },
  'person.name': { zh: '姓名', en: 'Name' },
  'person.sex': { zh: '性别', en: 'Sex' },
  'person.birthYearMonth': { zh: '出生年月', en: 'Birth year and month' },
  'person.idType': { zh: '证件类型', en: 'ID type' },
  'person.idNumber': { zh: '证件号码', en: 'ID number' },
  'person.education': { zh: '学历', en: 'Education' },
  'person.major': { zh: '专业', en: 'Major' },
  'person.titleName': { zh: '职称名称', en: 'Professional title' },
  'person.titleLevel': { zh: '职称等级', en: 'Title level' },
  'person.position': { zh: '现任职务', en: 'Current position' },
  'person.employment': { zh: '专职/兼职', en: 'Full or part time' },
  'person.standardsWorkYears': { zh: '从事标准化工作年限', en: 'Years of standards work' },
  'person.appointment': { zh: '聘任信息', en: 'Appointment' },
  'person.appointment.date': { zh: '聘任时间', en: 'Appointment date' },
  'person.appointment.documentNumber': { zh: '聘任文件编号', en: 'Appointment document number' },
  'person.training': { zh: '培训信息', en: 'Training' },
  'person.training.course': { zh: '培训课程', en: 'Training course' },
  'person.training.date': { zh: '培训时间', en: 'Training date' },
  'person.training.organizer': { zh: '培训组织单位', en: 'Training organizer' },
  'person.training.certificateNumber': { zh: '培训合格证书编号', en: 'Training certificate number' },
  'person.mobile': { zh: '手机号码', en: 'Mobile' },
  'person.officePhone': { zh: '办公电话', en: 'Office phone' },
  'person.email': { zh: '电子邮箱', en: 'Email' },
  'person.achievements': { zh: '主要标准化工作业绩', en: 'Main standardization achievements' },
  'enterprise.name': { zh: '企业名称', en: 'Enterprise name' },
  'enterprise.uscc': { zh: '统一社会信用代码', en: 'Unified social credit code' },
  'enterprise.reportingUnit': { zh: '所在市', en: 'Reporting unit (city)' },
  'enterprise.industry': { zh: '所属行业', en: 'Industry' },
  'enterprise.size': { zh: '企业规模', en: 'Enterprise size' },
  'enterprise.categories': { zh: '企业类别', en: 'Enterprise categories' },
  'enterprise.emergingIndustries': { zh: '战略性新兴产业类别', en: 'Strategic emerging industries' },
  'enterprise.contact': { zh: '企业联系人信息', en: 'Contact' },
  'enterprise.contact.name': { zh: '企业联系人', en: 'Contact person' },
  'enterprise.contact.phone': { zh: '联系人电话', en: 'Contact phone' },
  'enterprise.contactEmail': { zh: '企业联系人电子邮箱', en: 'Contact email' },
  'consent.accepted': { zh: '个人信息处理同意', en: 'Consent' },
};

/** Human labels of the enum values of the filing. */
export const OPTION_LABELS: Record<string, Record<string, Text>> = {
  // Sex, ID type, education, title, employment, size, industry and categories: the same words the review pages,
  // mails and exports use, from their one home.
  ...FIELD_OPTION_LABELS,
  'enterprise.emergingIndustries': {
    next_generation_it: { zh: '新一代信息技术产业', en: 'Next-generation information technology' },
    high_end_equipment: { zh: '高端装备制造产业', en: 'High-end equipment manufacturing' },
    new_materials: { zh: '新材料产业', en: 'New materials' },
    biology: { zh: '生物产业', en: 'Biotechnology' },
    new_energy_vehicles: { zh: '新能源汽车产业', en: 'New-energy vehicles' },
    new_energy: { zh: '新能源产业', en: 'New energy' },
    energy_saving: { zh: '节能环保产业', en: 'Energy saving and environmental protection' },
    digital_creative: { zh: '数字创意产业', en: 'Digital creative industries' },
    related_services: { zh: '相关服务业', en: 'Related services' },
  },
};

/** Format hints for the pattern errors of particular fields. */
export const PATTERN_HINTS: Record<string, Text> = {
  'person.name': {
    zh: "只能包含汉字、字母、空格和“·”“-”“'”，以汉字或字母开头和结尾",
    en: "may only contain Chinese characters, letters, spaces, “·”, “-” and “'”, starting and ending with a letter",
  },
  'person.birthYearMonth': { zh: '应为“年-月”，如 1980-05', en: 'must be year-month, e.g. 1980-05' },
  'person.appointment.date': { zh: '应为有效日期，如 2024-03-01', en: 'must be a date, e.g. 2024-03-01' },
  'person.training.date': { zh: '应为有效日期，如 2023-11-20', en: 'must be a date, e.g. 2023-11-20' },
  'person.email': { zh: '应为有效的电子邮箱地址', en: 'must be an email address' },
  'enterprise.reportingUnit': { zh: '请从列表中选择', en: 'choose one from the list' },
  role: { zh: '请从列表中选择', en: 'choose one from the list' },
};

/** Filing states (as the API's statusLabel, for when only the state is known): the domain's own labels. */
export { STATE_LABELS } from '#shared/domain/state-labels.ts';

export const ACTION_LABELS: Record<string, Text> = {
  submit: { zh: '提交备案', en: 'Submitted' },
  start_city_review: { zh: '市局开始审核', en: 'City review started' },
  approve: { zh: '市局审核通过', en: 'Approved by the city' },
  reject: { zh: '审核未通过', en: 'Rejected' },
  request_changes: { zh: '要求修改', en: 'Changes requested' },
  resubmit: { zh: '修改后重新提交', en: 'Resubmitted' },
  amend: { zh: '修改备案信息', en: 'Amended' },
  include: { zh: '纳入人才库', en: 'Included in the talent pool' },
  decline: { zh: '省局未予纳入', en: 'Declined by the province' },
  assess: { zh: '年度考核', en: 'Annual assessment' },
  remove: { zh: '退出人才库', en: 'Removed from the pool' },
  withdraw: { zh: '撤回备案', en: 'Withdrawn' },
};

export const ACTOR_LABELS: Record<string, Text> = {
  applicant: { zh: '申报企业', en: 'Applicant' },
  city: { zh: '市市场监管局', en: 'City bureau' },
  province: { zh: '省市场监管局', en: 'Provincial bureau' },
  system: { zh: '系统', en: 'System' },
  auditor: { zh: '审计', en: 'Auditor' },
};

/** Client-side check messages, by JSON Schema keyword; `{label}` and the keyword's value are filled in. */
export const CHECK_MESSAGES = {
  required: { zh: '{label}：必填', en: '{label}: is required' },
  choose: { zh: '{label}：请选择', en: '{label}: please choose one' },
  minLength: { zh: '{label}：至少 {n} 个字符', en: '{label}: must have at least {n} characters' },
  maxLength: { zh: '{label}：不得超过 {n} 个字符', en: '{label}: must have at most {n} characters' },
  pattern: { zh: '{label}：格式不正确', en: '{label}: has the wrong format' },
  patternHint: { zh: '{label}：{hint}', en: '{label}: {hint}' },
  enum: { zh: '{label}：请从列表中选择', en: '{label}: choose one from the list' },
  minimum: { zh: '{label}：不得小于 {n}', en: '{label}: must be at least {n}' },
  maximum: { zh: '{label}：不得大于 {n}', en: '{label}: must be at most {n}' },
  number: { zh: '{label}：请输入数字', en: '{label}: must be a number' },
  maxItems: { zh: '{label}：最多选择 {n} 项', en: '{label}: choose at most {n}' },
  consent: {
    zh: '请阅读个人信息处理告知书并勾选同意',
    en: 'Read the personal information notice and tick the box to agree',
  },
  invalid: { zh: '{label}：无效', en: '{label}: is invalid' },
  /** A code field refused by the server's validator: its own zh/en text after the label, as the API words it. */
  code: { zh: '{label}：{detail}', en: '{label}: {detail}' },
  /** The detail for a contact phone that is neither a mobile nor a landline (the API's words). */
  contactPhone: { zh: '不是有效的手机号或办公电话', en: 'not a mobile or office phone number' },
} as const satisfies Record<string, Text>;

// ---- the current language -------------------------------------------------------------

function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Lang = storedLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(LANG_KEY, next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener();
}

/** Runs `listener` whenever the language changes. */
export function onLangChange(listener: () => void): void {
  listeners.add(listener);
}

/** A localized text in the current language. */
export function tr(text: Text): string {
  return text[current];
}

/** An interface string in the current language, with `{name}` placeholders filled in. */
export function t(key: UiKey, vars: Record<string, string | number> = {}): string {
  return fill(UI[key][current], vars);
}

export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** A {zh, en} pair with placeholders filled in both languages. */
export function fillText(text: Text, vars: Record<string, string | Text | number>): Text {
  const pick = (l: Lang) =>
    Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'object' ? v[l] : v])) as Record<
      string,
      string | number
    >;
  return { zh: fill(text.zh, pick('zh')), en: fill(text.en, pick('en')) };
}

/** The colon after a label: full-width in Chinese. */
export function colon(): string {
  return current === 'zh' ? '：' : ': ';
}

export function fieldLabel(path: string): Text {
  return FIELD_LABELS[path] ?? { zh: path, en: path };
}

export function optionLabel(path: string, value: string): Text {
  return OPTION_LABELS[path]?.[value] ?? { zh: value, en: value };
}

const BEIJING_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant as `2026-12-07 23:01` in Beijing time, the same in both languages and whatever the
 * browser's locale (a locale's own format reads 07/12 as July in one place and December in another).
 */
export function beijingDateTime(iso: string): string {
  const parts: Record<string, string> = {};
  for (const part of BEIJING_PARTS.formatToParts(new Date(iso))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
