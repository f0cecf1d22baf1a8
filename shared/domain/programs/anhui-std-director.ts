// 安徽省市场监督管理局关于推行企业标准总监制度的指导意见 (皖市监标〔2021〕1号, 2021-05-25):
// one role, the enterprise standards director, with a hard eligibility rule (五).
import { reviewInbox } from './contacts.ts';
import { defineProgram } from './program.ts';

const ID = 'anhui-std-director';

const units: [string, string, string, 'city' | 'county'][] = [
  ['340100', '合肥市', 'Hefei', 'city'],
  ['340200', '芜湖市', 'Wuhu', 'city'],
  ['340300', '蚌埠市', 'Bengbu', 'city'],
  ['340400', '淮南市', 'Huainan', 'city'],
  ['340500', '马鞍山市', "Ma'anshan", 'city'],
  ['340600', '淮北市', 'Huaibei', 'city'],
  ['340700', '铜陵市', 'Tongling', 'city'],
  ['340800', '安庆市', 'Anqing', 'city'],
  ['341000', '黄山市', 'Huangshan', 'city'],
  ['341100', '滁州市', 'Chuzhou', 'city'],
  ['341200', '阜阳市', 'Fuyang', 'city'],
  ['341300', '宿州市', 'Suzhou (Anhui)', 'city'],
  ['341500', '六安市', "Lu'an", 'city'],
  ['341600', '亳州市', 'Bozhou', 'city'],
  ['341700', '池州市', 'Chizhou', 'city'],
  ['341800', '宣城市', 'Xuancheng', 'city'],
  // 省直管县: county units that report straight to the province.
  ['341882', '广德市', 'Guangde', 'county'],
  ['340826', '宿松县', 'Susong', 'county'],
];

export const anhuiStdDirector = defineProgram({
  id: ID,
  province: { code: '34', name: { zh: '安徽省', en: 'Anhui' } },
  authority: { zh: '安徽省市场监督管理局', en: 'Anhui Administration for Market Regulation' },
  title: { zh: '安徽省企业标准总监制度', en: 'Anhui enterprise standards director programme' },
  policy: { reference: '皖市监标〔2021〕1号', issued: '2021-05-25' },
  roles: [
    {
      id: 'director',
      name: { zh: '企业标准总监', en: 'Enterprise standards director' },
      description: {
        zh: '企业标准化工作第一管理人，由企业聘任负责企业标准化工作',
        en: 'The first manager of the enterprise’s standardization work, appointed by the enterprise',
      },
      usualPerEnterprise: 1,
      // （六）明确标准总监岗位职责
      duties: [
        {
          zh: '负责宣传、贯彻国家、省、市标准化方针、政策、法规，并制定具体的实施办法',
          en: 'Promote and apply national, provincial and city standardization policies and regulations, with concrete implementing rules',
        },
        {
          zh: '负责组织制定实施企业标准化战略规划，构建企业标准体系并指导体系运行',
          en: "Have the enterprise's standardization strategy drawn up and carried out; build the standards system and guide its running",
        },
        {
          zh: '负责企业公开其执行的标准编号和名称，督促检查企业自行制定的企业标准自我声明公开制度的落实',
          en: 'Make the enterprise disclose the standards it applies, and check self-declared enterprise standards are disclosed',
        },
        {
          zh: '负责企业生产经营活动的标准及标准体系的监督抽查',
          en: 'Spot-check the standards and standards system of production and business',
        },
        {
          zh: '负责企业标准化文化的创建，提出标准化核心价值观，形成标准化愿景，策划和提升企业标准核心竞争力',
          en: "Build a standardization culture, its core values and vision; plan and raise the enterprise's competitiveness through standards",
        },
        {
          zh: '加强标准化知识教育培训，培养企业标准化人才队伍',
          en: "Strengthen standardization training and grow the enterprise's standardization staff",
        },
        {
          zh: '对企业内违反标准化工作要求的行为，有权制止',
          en: 'Stop conduct within the enterprise that breaches standardization requirements',
        },
        { zh: '负责授权的其他职责', en: 'Other duties delegated to the role' },
      ],
    },
  ],
  provinceReviewers: reviewInbox(ID, 'province'),
  // The guidance has no annexes: its forms carry their titles only. Its units are the cities and the counties under
  // the province (各市、省直管县（市）), and its experience rule counts years of standards management (五).
  documents: {
    filing: { title: { zh: '企业标准总监信息备案表', en: 'Enterprise standards director filing form' } },
    summary: { title: { zh: '企业标准总监信息汇总表', en: 'Summary of enterprise standards directors' } },
    unitLabel: { zh: '所在市、省直管县（市）', en: 'City or county under the province' },
    yearsLabel: { zh: '从事标准管理工作年限', en: 'Years in standards management' },
  },
  reportingUnits: units.map(([code, zh, en, kind]) => ({
    code,
    name: { zh, en },
    official: true,
    kind,
    reviewer: {
      authority: { zh: `${zh}市场监督管理局`, en: `${en} Administration for Market Regulation` },
      contacts: reviewInbox(ID, code),
    },
  })),
  eligibility: [
    {
      id: 'director-qualification',
      roles: ['director'],
      severity: 'hard',
      condition: { any: [{ educationAtLeast: 'associate' }, { titleAtLeast: 'intermediate' }] },
      path: 'person.education',
      message: {
        zh: '标准总监应具有大专（含）以上学历或中级以上职称',
        en: 'A standards director must hold a college (大专) degree or higher, or an intermediate title or higher',
      },
      source: '二、（五）',
    },
    {
      id: 'director-experience',
      roles: ['director'],
      severity: 'hard',
      condition: { standardsWorkYearsAtLeast: 3 },
      path: 'person.standardsWorkYears',
      message: {
        zh: '标准总监应从事标准管理工作3年（含）以上',
        en: 'A standards director must have at least 3 years of standards-management work',
      },
      source: '二、（五）',
    },
    {
      id: 'appointed',
      roles: ['director'],
      severity: 'hard',
      condition: { appointed: true },
      path: 'person.appointment.date',
      message: {
        zh: '须已由企业聘任（聘任时间不得晚于今天）',
        en: 'Must already be appointed by the enterprise',
      },
      source: '二、（四）由企业聘任',
    },
  ],
  // 附件: the appointment document (聘任文件), as PDF or photo.
  requiredAttachments: ['appointment'],
  // No provincial pool: the director is registered (备案) with the city or county bureau, so
  // the city's approval ends the review; the province sees every registered director.
  reviewStages: [
    {
      id: 'city',
      name: { zh: '市（县）局审核备案', en: 'City or county review and registration' },
      timeoutDays: 14,
      reminderDays: [3, 7],
    },
  ],
  targets: [
    {
      id: 'launch-2021',
      deadline: '2021-12-31',
      description: { zh: '在全省范围内全面启动企业标准总监工作', en: 'Programme launched province-wide' },
    },
    {
      id: 'deepen-2022',
      deadline: '2022-12-31',
      description: {
        zh: '总结提升、全面深化、建章立制，进一步扩大覆盖面',
        en: 'Rules written down and coverage widened',
      },
    },
  ],
  // （二）「重点引导…规模以上企业特别是战略性新兴产业企业」: the report counts, per unit, the enterprises with a
  // registered director, split by 规上 and 战略性新兴产业. No unit's number of such enterprises is set here (the
  // province has not given them), so the report shows counts without a share.
  coverage: { roles: ['director'] },
  // Each enterprise only confirms its director is still in post (and may nominate): no scale.
  assessment: {
    opensOn: { month: 11, day: 1 },
    dueDays: 21,
    reminderDays: [14, 20],
    grades: [],
    acknowledgeDays: 14,
  },
  privacyNotice: {
    version: '2027-01',
    text: {
      zh: '安徽省市场监督管理局为办理企业标准总监备案及人才库管理，处理您填写的姓名、性别、出生年月、证件号码、学历、职称、职务、聘任信息、联系方式及工作业绩、企业联系人的电话和电子邮箱，以及您上传的聘任文件。信息由所在市（县）市场监管部门审核后报送省局，仅用于备案、人才库管理、年度考核（每年向企业联系人发送年度报告链接）与统计；证件号码加密存储，导出与展示时脱敏；上传的文件加密存储，仅审核人员通过限时链接查看，不通过邮件发送。退出、撤回或未通过审核的记录在保存期满后匿名化处理并删除所传文件。企业推荐您参加优秀评选并被省局评选为优秀的，评选结果公示名单仅在您另行勾选同意时公开您的姓名、企业名称和岗位；不勾选不影响备案，公示名单中您的姓名以脱敏形式（如 张**）显示。您可查询、更正、撤回同意（撤回将退出人才库）。',
      en: 'The Anhui Administration for Market Regulation processes the name, sex, birth month, ID number, education, title, position, appointment details, contact data and achievements you enter, the enterprise contact’s phone and email, and the appointment document you upload, to file standards directors and manage the provincial talent pool. Your city or county bureau reviews the filing and forwards it to the province; data is used only for filing, the pool, the annual return (a yearly link sent to the enterprise contact) and statistics. ID numbers are encrypted and masked when shown or exported; uploaded documents are stored encrypted, shown only to the bureaus reviewing them, through short-lived links, and never emailed. Withdrawn, rejected and removed records are anonymized, and their documents deleted, after the retention period. You may view, correct, or withdraw consent (which removes you from the pool). If your enterprise nominates you for the province’s selection of excellent officers and you are selected, the published list shows your name, enterprise and role only if you tick the separate, optional consent to publication; without it your name is shown masked (e.g. 张**) and your filing is unaffected.',
    },
  },
  retentionDays: 1095,
});
