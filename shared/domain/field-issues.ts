// Field-level issues: the Chinese and English label of every filing field, and the mapping
// of zod issues to `{ path, code, message: { zh, en } }`. Apart from the schema itself so
// that handlers which only report errors do not bundle the validators.
import type * as z from 'zod/mini';
import type { FieldIssue } from './errors.ts';

/** Chinese and English labels of every field, for error messages and the 附件2 headers. */
export const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  role: { zh: '岗位', en: 'role' },
  // the blocks of the filing, named when one is missing or not an object as a whole
  person: { zh: '人员信息', en: 'person' },
  enterprise: { zh: '企业信息', en: 'enterprise' },
  consent: { zh: '个人信息处理同意', en: 'consent' },
  'enterprise.contact': { zh: '企业联系人信息', en: 'enterprise contact' },
  'person.name': { zh: '姓名', en: 'name' },
  'person.sex': { zh: '性别', en: 'sex' },
  'person.birthYearMonth': { zh: '出生年月', en: 'birth year and month' },
  'person.idType': { zh: '证件类型', en: 'ID type' },
  'person.idNumber': { zh: '证件号码', en: 'ID number' },
  'person.education': { zh: '学历', en: 'education' },
  'person.major': { zh: '专业', en: 'major' },
  'person.titleName': { zh: '职称名称', en: 'title' },
  'person.titleLevel': { zh: '职称等级', en: 'title level' },
  'person.position': { zh: '现任职务', en: 'current position' },
  'person.employment': { zh: '专职/兼职', en: 'full or part time' },
  'person.standardsWorkYears': { zh: '从事标准化工作年限', en: 'years of standards work' },
  'person.appointment': { zh: '聘任信息', en: 'appointment' },
  'person.appointment.date': { zh: '聘任时间', en: 'appointment date' },
  'person.appointment.documentNumber': { zh: '聘任文件编号', en: 'appointment document number' },
  'person.training': { zh: '培训信息', en: 'training' },
  'person.training.course': { zh: '培训课程', en: 'training course' },
  'person.training.date': { zh: '培训时间', en: 'training date' },
  'person.training.organizer': { zh: '培训组织单位', en: 'training organizer' },
  'person.training.certificateNumber': { zh: '培训合格证书编号', en: 'training certificate number' },
  'person.mobile': { zh: '手机号码', en: 'mobile' },
  'person.officePhone': { zh: '办公电话', en: 'office phone' },
  'person.email': { zh: '电子邮箱', en: 'email' },
  'person.achievements': { zh: '主要标准化工作业绩', en: 'main standardization achievements' },
  'enterprise.name': { zh: '企业名称', en: 'enterprise name' },
  'enterprise.uscc': { zh: '统一社会信用代码', en: 'unified social credit code' },
  'enterprise.reportingUnit': { zh: '所在市', en: 'reporting unit' },
  'enterprise.industry': { zh: '所属行业', en: 'industry' },
  'enterprise.size': { zh: '企业规模', en: 'enterprise size' },
  'enterprise.categories': { zh: '企业类别', en: 'enterprise categories' },
  'enterprise.emergingIndustries': { zh: '战略性新兴产业类别', en: 'strategic emerging industries' },
  'enterprise.contact.name': { zh: '企业联系人', en: 'contact person' },
  'enterprise.contact.phone': { zh: '联系人电话', en: 'contact phone' },
  'enterprise.contactEmail': { zh: '企业联系人电子邮箱', en: 'contact email' },
  'consent.accepted': { zh: '个人信息处理同意', en: 'consent' },
  attachments: { zh: '附件', en: 'attachments' },
  'attachments.kind': { zh: '附件类别', en: 'attachment kind' },
  'attachments.key': { zh: '附件上传地址', en: 'attachment key' },
  'attachments.contentType': { zh: '附件文件类型', en: 'attachment file type' },
  'attachments.filename': { zh: '附件文件名', en: 'attachment file name' },
  // the upload request (POST /programs/{id}/uploads)
  kind: { zh: '附件类别', en: 'attachment kind' },
  contentType: { zh: '文件类型', en: 'file type' },
  size: { zh: '文件大小', en: 'file size' },
  'consent.noticeVersion': { zh: '告知书版本', en: 'notice version' },
  'consent.acceptedAt': { zh: '同意时间', en: 'consent time' },
  'consent.publication': { zh: '同意公示姓名', en: 'consent to publication' },
  // staff requests (unmask, resume, yearly plans, 优秀评选 selection, training batches)
  reason: { zh: '理由', en: 'reason' },
  fields: { zh: '查看的字段', en: 'fields' },
  units: { zh: '各单位计划', en: 'unit plans' },
  'units.unit': { zh: '报送单位', en: 'reporting unit' },
  'units.people': { zh: '计划人数', en: 'planned people' },
  'units.enterprises': { zh: '计划企业数', en: 'planned enterprises' },
  selected: { zh: '评选名单', en: 'selection' },
  organizer: { zh: '培训组织单位', en: 'training organizer' },
  course: { zh: '培训课程', en: 'training course' },
  startDate: { zh: '培训开始日期', en: 'training start date' },
  endDate: { zh: '培训结束日期', en: 'training end date' },
};

/** What an issue on the body as a whole (an empty path) is about. */
const BODY_LABEL = { zh: '请求内容', en: 'the body' };

/** The JSON types zod names in an invalid_type issue, in Chinese. */
const TYPE_NAMES_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '是/否',
  object: '对象',
  array: '列表',
};

/** A field's Chinese and English label by its path (array indexes left out); an unknown path is its own label. */
export function fieldLabel(path: string): { zh: string; en: string } {
  if (path === '') return BODY_LABEL;
  return FIELD_LABELS[path.replace(/\.\d+(?=\.|$)/g, '')] ?? { zh: path, en: path };
}

type RawIssue = z.core.$ZodIssue;

/** Turns one zod issue into a field issue with zh/en text; custom issues carry their own. */
export function toFieldIssue(issue: RawIssue, prefix = ''): FieldIssue[] {
  const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = base ? `${base}.${key}` : key;
      return {
        path,
        code: 'unknown_field',
        message: { zh: `不允许的字段：${key}`, en: `unknown field: ${key}` },
      };
    });
  }
  const label = fieldLabel(base);
  const params = (issue as { params?: { code?: string; zh?: string; en?: string } }).params;
  if (issue.code === 'custom' && params?.code && params.zh && params.en) {
    return [
      {
        path: base,
        code: params.code,
        message: { zh: `${label.zh}：${params.zh}`, en: `${label.en}: ${params.en}` },
      },
    ];
  }
  const describe = (): { code: string; zh: string; en: string } => {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined
          ? { code: 'required', zh: '必填', en: 'is required' }
          : {
              code: 'invalid_type',
              zh: `类型错误，应为${TYPE_NAMES_ZH[issue.expected] ?? ` ${issue.expected}`}`,
              en: `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`,
            };
      case 'too_small':
        return issue.origin === 'string'
          ? {
              code: 'too_short',
              zh: `至少 ${issue.minimum} 个字符`,
              en: `must have at least ${issue.minimum} characters`,
            }
          : { code: 'too_small', zh: `不得小于 ${issue.minimum}`, en: `must be at least ${issue.minimum}` };
      case 'too_big':
        return issue.origin === 'string'
          ? {
              code: 'too_long',
              zh: `不得超过 ${issue.maximum} 个字符`,
              en: `must have at most ${issue.maximum} characters`,
            }
          : { code: 'too_big', zh: `不得大于 ${issue.maximum}`, en: `must be at most ${issue.maximum}` };
      case 'invalid_value':
        return {
          code: 'invalid_value',
          zh: `取值无效，可选：${issue.values.join('、')}`,
          en: `must be one of ${issue.values.join(', ')}`,
        };
      case 'invalid_format':
        return { code: 'invalid_format', zh: '格式不正确', en: 'has the wrong format' };
      default:
        return { code: issue.code, zh: '无效', en: 'is invalid' };
    }
  };
  const d = describe();
  return [{ path: base, code: d.code, message: { zh: `${label.zh}：${d.zh}`, en: `${label.en}: ${d.en}` } }];
}
