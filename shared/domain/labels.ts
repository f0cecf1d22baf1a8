// The one home of the words the site, the review pages, the mails and the exports show for a filing's coded values:
// sex, ID type, education, title level, employment, enterprise size, industry and categories. Each reader takes them
// from here, so the form and the summary never call one level by two names (the lowest education level is
// 中专/高中及以下, as docs/domain.md §5 orders them).
import type { LocalizedMessage } from './errors.ts';
import type { Action } from './lifecycle.ts';
import type { EducationLevel, TitleLevel } from './validation/ranks.ts';

// Keys by their literal values rather than the schema's arrays: the site compiles this module without the schema's
// server-side imports. labels.test.ts checks the keys against the schema.
type Labels<T extends string> = Readonly<Record<T, LocalizedMessage>>;
type IndustrySection =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E'
  | 'F'
  | 'G'
  | 'H'
  | 'I'
  | 'J'
  | 'K'
  | 'L'
  | 'M'
  | 'N'
  | 'O'
  | 'P'
  | 'Q'
  | 'R'
  | 'S'
  | 'T';

export const SEX_LABELS: Labels<'male' | 'female'> = {
  male: { zh: '男', en: 'Male' },
  female: { zh: '女', en: 'Female' },
};

export const ID_TYPE_LABELS: Labels<
  'resident_id' | 'hk_macao_taiwan_permit' | 'foreign_permanent_residence'
> = {
  resident_id: { zh: '居民身份证', en: 'Resident ID card' },
  hk_macao_taiwan_permit: {
    zh: '港澳台居民居住证',
    en: 'Residence permit for Hong Kong, Macao and Taiwan residents',
  },
  foreign_permanent_residence: { zh: '外国人永久居留身份证', en: 'Foreigner permanent residence ID card' },
};

/** GB/T 4658-2006 levels, graduated, highest first. */
export const EDUCATION_LABELS: Labels<EducationLevel> = {
  doctorate: { zh: '博士', en: 'Doctorate' },
  master: { zh: '硕士', en: "Master's degree" },
  bachelor: { zh: '本科', en: "Bachelor's degree" },
  associate: { zh: '大专', en: 'Associate degree (junior college)' },
  secondary: { zh: '中专/高中及以下', en: 'Secondary school or below' },
};

export const TITLE_LABELS: Labels<TitleLevel> = {
  senior: { zh: '正高级', en: 'Senior (full)' },
  associate_senior: { zh: '副高级', en: 'Associate senior' },
  intermediate: { zh: '中级', en: 'Intermediate' },
  assistant: { zh: '助理级', en: 'Assistant' },
  junior: { zh: '员级', en: 'Junior' },
  none: { zh: '无', en: 'None' },
};

export const EMPLOYMENT_LABELS: Labels<'full_time' | 'part_time'> = {
  full_time: { zh: '专职', en: 'Full time' },
  part_time: { zh: '兼职', en: 'Part time' },
};

export const SIZE_LABELS: Labels<'large' | 'medium' | 'small' | 'micro'> = {
  large: { zh: '大型', en: 'Large' },
  medium: { zh: '中型', en: 'Medium' },
  small: { zh: '小型', en: 'Small' },
  micro: { zh: '微型', en: 'Micro' },
};

/** GB/T 4754-2017 sections (门类), by their names; industryLabel puts the letter in front. */
export const INDUSTRY_LABELS: Labels<IndustrySection> = {
  A: { zh: '农、林、牧、渔业', en: 'Agriculture, forestry, animal husbandry and fishery' },
  B: { zh: '采矿业', en: 'Mining' },
  C: { zh: '制造业', en: 'Manufacturing' },
  D: { zh: '电力、热力、燃气及水生产和供应业', en: 'Electricity, heat, gas and water production and supply' },
  E: { zh: '建筑业', en: 'Construction' },
  F: { zh: '批发和零售业', en: 'Wholesale and retail trade' },
  G: { zh: '交通运输、仓储和邮政业', en: 'Transport, storage and postal services' },
  H: { zh: '住宿和餐饮业', en: 'Accommodation and catering' },
  I: {
    zh: '信息传输、软件和信息技术服务业',
    en: 'Information transmission, software and information technology services',
  },
  J: { zh: '金融业', en: 'Finance' },
  K: { zh: '房地产业', en: 'Real estate' },
  L: { zh: '租赁和商务服务业', en: 'Leasing and business services' },
  M: { zh: '科学研究和技术服务业', en: 'Scientific research and technical services' },
  N: {
    zh: '水利、环境和公共设施管理业',
    en: 'Water conservancy, environment and public facilities management',
  },
  O: { zh: '居民服务、修理和其他服务业', en: 'Resident services, repair and other services' },
  P: { zh: '教育', en: 'Education' },
  Q: { zh: '卫生和社会工作', en: 'Health and social work' },
  R: { zh: '文化、体育和娱乐业', en: 'Culture, sports and entertainment' },
  S: {
    zh: '公共管理、社会保障和社会组织',
    en: 'Public administration, social security and social organizations',
  },
  T: { zh: '国际组织', en: 'International organizations' },
};

export const CATEGORY_LABELS: Labels<
  | 'standardization_pilot'
  | 'good_behavior'
  | 'innovation_award'
  | 'innovation_base'
  | 'standards_leader'
  | 'above_scale'
> = {
  standardization_pilot: { zh: '标准化试点示范单位', en: 'Standardization pilot or demonstration unit' },
  good_behavior: { zh: '标准化良好行为企业', en: 'Standardization good-behaviour enterprise' },
  innovation_award: { zh: '标准创新贡献奖单位', en: 'Standards innovation contribution award winner' },
  innovation_base: { zh: '技术标准创新基地', en: 'Technical standards innovation base' },
  standards_leader: { zh: '企业标准领跑者', en: 'Enterprise standards front-runner' },
  above_scale: { zh: '规上企业', en: 'Enterprise above designated size' },
};

/**
 * The events of a filing's history by their action, as the staff view and the applicant's status
 * show them. `escalate` is the workflow handing an overdue city review to the province.
 */
export const ACTION_LABELS: Labels<Action> = {
  submit: { zh: '提交备案', en: 'Submitted' },
  start_city_review: { zh: '市局开始审核', en: 'City review started' },
  approve: { zh: '市局审核通过', en: 'Approved by the city' },
  reject: { zh: '审核未通过', en: 'Rejected' },
  request_changes: { zh: '要求修改', en: 'Changes requested' },
  resubmit: { zh: '修改后重新提交', en: 'Resubmitted' },
  include: { zh: '纳入人才库', en: 'Included in the talent pool' },
  register: { zh: '备案完成', en: 'Registered' },
  decline: { zh: '省局未予纳入', en: 'Declined by the province' },
  assess: { zh: '年度考核', en: 'Annual assessment' },
  remove: { zh: '退出人才库', en: 'Removed from the pool' },
  withdraw: { zh: '撤回备案', en: 'Withdrawn' },
  expire: { zh: '逾期未修改，备案关闭', en: 'Closed: changes not sent in time' },
  supersede: { zh: '被新的备案替代', en: 'Replaced by a later filing' },
  escalate: {
    zh: '市局逾期未审核，转省局处理',
    en: 'City review overdue: handed to the province',
  },
};

/** An industry section as lists show it, 「C 制造业」; an unknown code stays as it is. */
export function industryLabel(section: string): LocalizedMessage {
  const name = (INDUSTRY_LABELS as Readonly<Record<string, LocalizedMessage>>)[section];
  return name ? { zh: `${section} ${name.zh}`, en: `${section} ${name.en}` } : { zh: section, en: section };
}

/** A coded value's label from one of the tables above, or the value itself where it is not one of them. */
export function labelOf(labels: Readonly<Record<string, LocalizedMessage>>, value: string): LocalizedMessage {
  return labels[value] ?? { zh: value, en: value };
}

/** The labels of every coded field, by the field's path: what the site's option lists show. */
export const FIELD_OPTION_LABELS: Readonly<Record<string, Readonly<Record<string, LocalizedMessage>>>> = {
  'person.sex': SEX_LABELS,
  'person.idType': ID_TYPE_LABELS,
  'person.education': EDUCATION_LABELS,
  'person.titleLevel': TITLE_LABELS,
  'person.employment': EMPLOYMENT_LABELS,
  'enterprise.size': SIZE_LABELS,
  'enterprise.industry': Object.fromEntries(
    Object.keys(INDUSTRY_LABELS).map((section) => [section, industryLabel(section)]),
  ),
  'enterprise.categories': CATEGORY_LABELS,
};
