// 辽宁省首席标准官制度实施方案 (辽宁省市场监督管理局, 2021-09-03): three roles, filing by
// city bureaus (附件1/附件2), inclusion in the provincial talent pool, ≥ 800 people by 2025-12-31.
import { reviewInbox } from './contacts.ts';
import { defineProgram } from './program.ts';

const ID = 'liaoning-cso';

const cities: [string, string, string][] = [
  ['210100', '沈阳市', 'Shenyang'],
  ['210200', '大连市', 'Dalian'],
  ['210300', '鞍山市', 'Anshan'],
  ['210400', '抚顺市', 'Fushun'],
  ['210500', '本溪市', 'Benxi'],
  ['210600', '丹东市', 'Dandong'],
  ['210700', '锦州市', 'Jinzhou'],
  ['210800', '营口市', 'Yingkou'],
  ['210900', '阜新市', 'Fuxin'],
  ['211000', '辽阳市', 'Liaoyang'],
  ['211100', '盘锦市', 'Panjin'],
  ['211200', '铁岭市', 'Tieling'],
  ['211300', '朝阳市', 'Chaoyang'],
  ['211400', '葫芦岛市', 'Huludao'],
];

export const liaoningCso = defineProgram({
  id: ID,
  province: { code: '21', name: { zh: '辽宁省', en: 'Liaoning' } },
  authority: { zh: '辽宁省市场监督管理局', en: 'Liaoning Administration for Market Regulation' },
  title: { zh: '辽宁省首席标准官制度', en: 'Liaoning Chief Standards Officer programme' },
  policy: { reference: '辽宁省首席标准官制度实施方案', issued: '2021-09-03' },
  roles: [
    {
      id: 'cso',
      name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' },
      description: {
        zh: '一般由企业副总经理（或相应职务层次）及以上级别人员担任，全面管理企业标准化工作',
        en: 'Usually a deputy general manager or above; leads all standardization work',
      },
      usualPerEnterprise: 1,
      // 四、（二）1.首席标准官主要职责
      duties: [
        {
          zh: '组织将标准化工作纳入企业发展战略、经营方针和目标',
          en: "Bring standardization into the enterprise's strategy, business policy and goals",
        },
        {
          zh: '组织制定企业标准化管理的有关制度',
          en: "Have the enterprise's standardization management rules drawn up",
        },
        { zh: '组织编制企业标准化规划、计划', en: 'Have standardization plans and programmes drawn up' },
        {
          zh: '明确与本企业相适应的标准化机构、人员及其职责',
          en: 'Set up standardization bodies, staff and their duties that fit the enterprise',
        },
        {
          zh: '为标准化工作提供必要的经费、设施等资源保障',
          en: 'Provide the funds, facilities and other resources standardization needs',
        },
        { zh: '对企业标准化工作的开展进行督查', en: 'Supervise how standardization work is carried out' },
        {
          zh: '组织建立调动部门和全员参与标准化工作积极性的激励机制',
          en: 'Set up incentives that engage departments and all staff in standardization',
        },
        {
          zh: '协助企业最高管理者批准企业标准和其他标准化文件',
          en: 'Help top management approve enterprise standards and other standardization documents',
        },
        { zh: '推动关键核心技术标准化', en: 'Drive the standardization of key core technologies' },
        {
          zh: '推进产业链上下游企业标准化产品通用互换',
          en: 'Promote interchangeable standardized products along the supply chain',
        },
        {
          zh: '推动企业承担或参与相关国际、国家、行业、地方和团体标准研制工作',
          en: 'Have the enterprise lead or join work on international, national, industry, local and association standards',
        },
        {
          zh: '推动企业组织或参加标准化试点示范建设、对标达标、良好行为创建、企业标准领跑者等标准化活动',
          en: 'Have the enterprise organize or join pilots, benchmarking, good-behaviour and front-runner activities',
        },
      ],
    },
    {
      id: 'director',
      name: { zh: '标准总监', en: 'Standards director' },
      description: {
        zh: '一般由企业技术（研发）总监、质量部长或相应职务层次人员担任',
        en: 'Usually the technical/R&D director or head of quality',
      },
      usualPerEnterprise: 1,
      // 四、（二）2.标准总监主要职责
      duties: [
        {
          zh: '贯彻落实标准化法律、法规、政策以及强制性标准中与本企业相关的要求',
          en: 'Apply the standardization laws, regulations, policies and mandatory standards that concern the enterprise',
        },
        {
          zh: '落实企业标准化管理的有关制度和企业标准化规划、计划',
          en: "Carry out the enterprise's standardization rules, plans and programmes",
        },
        {
          zh: '组织构建企业标准体系、编制企业标准体系表、制（修）订企业标准',
          en: 'Build the enterprise standards system, its table, and draft or revise enterprise standards',
        },
        {
          zh: '组织标准化知识培训与标准宣贯',
          en: 'Organize standardization training and the promotion of standards',
        },
        {
          zh: '组织有关标准实施和企业标准体系运行',
          en: 'Organize the implementation of standards and the running of the standards system',
        },
        { zh: '开展标准化审查', en: 'Carry out standardization reviews' },
        {
          zh: '开展企业标准化工作评价与改进工作',
          en: "Evaluate and improve the enterprise's standardization work",
        },
        {
          zh: '组织建立标准化档案，管理各类标准及其他标准化文件',
          en: 'Keep standardization records and manage standards and other standardization documents',
        },
        {
          zh: '组织企业承担或参与的相关国际、国家、行业、地方和团体标准研制工作',
          en: "Organize the enterprise's work on international, national, industry, local and association standards",
        },
        {
          zh: '组织有关标准化试点示范建设、对标达标、良好行为创建、企业标准领跑者等项目实施',
          en: 'Run pilot, benchmarking, good-behaviour and front-runner projects',
        },
        { zh: '完成首席标准官安排的其他标准化工作', en: 'Do other standardization work the CSO assigns' },
      ],
    },
    {
      id: 'specialist',
      name: { zh: '标准化专员', en: 'Standardization specialist' },
      description: { zh: '一般由企业专业技术人员担任', en: 'Usually a professional or technical employee' },
      // 四、（二）3.标准化专员主要职责
      duties: [
        {
          zh: '具体贯彻执行标准化法律、法规、政策和相关强制性标准',
          en: 'Apply standardization laws, regulations, policies and mandatory standards in daily work',
        },
        { zh: '具体实施企业标准化工作任务', en: "Carry out the enterprise's standardization tasks" },
        {
          zh: '注重收集成熟先进的技术和方法，提出标准研制建议和企业标准化需求',
          en: 'Gather proven, advanced techniques and methods; propose standards work and needs',
        },
        {
          zh: '参与相关国际、国家、行业、地方、团体和企业标准研制',
          en: 'Take part in drafting international, national, industry, local, association and enterprise standards',
        },
        {
          zh: '参加有关标准化试点示范建设、对标达标、良好行为创建、企业标准领跑者等标准化活动',
          en: 'Take part in pilots, benchmarking, good-behaviour and front-runner activities',
        },
        {
          zh: '参与标准化文化建设和培训',
          en: 'Take part in building a standardization culture and in training',
        },
        {
          zh: '完成首席标准官和标准总监安排的其他标准化工作',
          en: 'Do other standardization work the CSO and the standards director assign',
        },
      ],
    },
  ],
  provinceReviewers: reviewInbox(ID, 'province'),
  reportingUnits: [
    ...cities.map(([code, zh, en]) => ({
      code,
      name: { zh, en },
      official: true,
      kind: 'city' as const,
      reviewer: {
        authority: { zh: `${zh}市场监督管理局`, en: `${en} Administration for Market Regulation` },
        contacts: reviewInbox(ID, code),
      },
    })),
    {
      // 沈抚改革创新示范区 has no GB/T 2260 code: an internal code, flagged as not official.
      code: '21-SF',
      name: { zh: '沈抚示范区', en: 'Shenfu Demonstration Zone' },
      official: false,
      kind: 'zone',
      reviewer: {
        authority: {
          zh: '沈抚示范区市场监督管理局',
          en: 'Shenfu Demonstration Zone Administration for Market Regulation',
        },
        contacts: reviewInbox(ID, '21-SF'),
      },
    },
  ],
  eligibility: [
    {
      id: 'training-passed',
      roles: ['cso', 'director', 'specialist'],
      severity: 'hard',
      condition: { trainingPassed: true },
      path: 'person.training',
      message: {
        zh: '须经培训合格（填写培训合格证书编号）后方可备案',
        en: 'Only people who passed the training (with its certificate number) can be filed',
      },
      source: '五、（四）经培训合格并获得企业聘任',
    },
    {
      id: 'appointed',
      roles: ['cso', 'director', 'specialist'],
      severity: 'hard',
      condition: { appointed: true },
      path: 'person.appointment.date',
      message: {
        zh: '须已获得企业聘任（聘任时间不得晚于今天）',
        en: 'Must already be appointed by the enterprise',
      },
      source: '五、（四）经培训合格并获得企业聘任',
    },
    {
      id: 'specialist-qualification',
      roles: ['specialist'],
      severity: 'soft',
      condition: { any: [{ educationAtLeast: 'associate' }, { titleAtLeast: 'intermediate' }] },
      path: 'person.education',
      message: {
        zh: '标准化专员一般应具备大专以上学历或中级以上职称',
        en: 'A specialist should usually hold a college (大专) degree or an intermediate title',
      },
      source: '四、（三）3',
    },
  ],
  // 五、（四）: the filing form is 附件1 and the city's summary 附件2, by the titles the notice lists them under.
  documents: {
    filing: {
      title: {
        zh: '首席标准官、标准总监、标准化专员信息备案表',
        en: 'Filing form for chief standards officers, standards directors and standardization specialists',
      },
      annex: '附件1',
    },
    summary: {
      title: {
        zh: '首席标准官、标准总监和标准化专员信息汇总表',
        en: 'Summary of chief standards officers, standards directors and standardization specialists',
      },
      annex: '附件2',
    },
    unitLabel: { zh: '所在市', en: 'City' },
    yearsLabel: { zh: '从事标准化工作年限', en: 'Years in standardization work' },
  },
  // 附件: the enterprise's stamped opinion and the appointment document, as PDF or photo.
  requiredAttachments: ['endorsement', 'appointment'],
  // Passing is a precondition; the province runs the first batch in 2021, the cities from 2022
  // (「由省局统一组织逐步转为各市局自主开展」). The pass lists are not complete yet: a
  // certificate not found on them is a warning the reviewer sees, not a refusal.
  training: { requireRoster: false, milestones: { provinceFirstBatchYear: 2021, citiesFromYear: 2022 } },
  reviewStages: [
    { id: 'city', name: { zh: '市局审核', en: 'City review' }, timeoutDays: 14, reminderDays: [3, 7] },
    {
      id: 'province',
      name: { zh: '省局纳入人才库', en: 'Provincial inclusion' },
      timeoutDays: 21,
      reminderDays: [7, 14],
    },
  ],
  targets: [
    {
      id: 'launch-2021',
      deadline: '2021-12-31',
      description: {
        zh: '全面启动首席标准官制度，省局组织第一批培训',
        en: 'Programme launched province-wide; first provincial training batch',
      },
    },
    {
      id: 'training-2022',
      deadline: '2022-12-31',
      description: {
        zh: '培训机制转为各市局自主开展的常态化工作',
        en: 'Training run routinely by the city bureaus',
      },
    },
    {
      id: 'pool-800-2025',
      deadline: '2025-12-31',
      minPoolSize: 800,
      roles: ['cso', 'director', 'specialist'],
      description: {
        zh: '全省首席标准官、标准总监、标准化专员达到800名以上',
        en: 'At least 800 CSOs, directors and specialists in the province',
      },
    },
  ],
  // The enterprise returns 优秀 / 合格 / 不合格 for each pool member (docs/domain.md §3).
  assessment: {
    opensOn: { month: 11, day: 1 },
    dueDays: 21,
    reminderDays: [14, 20],
    grades: ['excellent', 'qualified', 'unqualified'],
    acknowledgeDays: 14,
  },
  privacyNotice: {
    version: '2027-01',
    text: {
      zh: '辽宁省市场监督管理局为办理首席标准官、标准总监、标准化专员备案及人才库管理，处理您填写的姓名、性别、出生年月、证件号码、学历、职称、职务、培训与聘任信息、联系方式及工作业绩、企业联系人的电话和电子邮箱，以及您上传的推荐意见和聘任文件。信息由所在市市场监管部门审核后报送省局，仅用于备案、人才库管理、年度考核（每年向企业联系人发送年度报告链接）与统计；证件号码加密存储，导出与展示时脱敏；上传的文件加密存储，仅审核人员通过限时链接查看，不通过邮件发送。人员退出人才库、撤回备案或审核未通过的，相关记录在保存期满后匿名化处理并删除所传文件。企业推荐您参加优秀评选并被省局评选为优秀的，评选结果公示名单仅在您另行勾选同意时公开您的姓名、企业名称和岗位；不勾选不影响备案，公示名单中您的姓名以脱敏形式（如 张**）显示。您可查询、更正、撤回同意（撤回将退出人才库）。',
      en: 'The Liaoning Administration for Market Regulation processes the name, sex, birth month, ID number, education, title, position, training and appointment details, contact data and achievements you enter, the enterprise contact’s phone and email, and the endorsement and appointment documents you upload, to file standards officers and manage the provincial talent pool. Your city bureau reviews the filing and forwards it to the province; data is used only for filing, the talent pool, the annual return (a yearly link sent to the enterprise contact) and statistics. ID numbers are encrypted and masked when shown or exported; uploaded documents are stored encrypted, shown only to the bureaus reviewing them, through short-lived links, and never emailed. Withdrawn, rejected and removed records are anonymized, and their documents deleted, after the retention period. You may view, correct, or withdraw consent (which removes you from the pool). If your enterprise nominates you for the province’s selection of excellent officers and you are selected, the published list shows your name, enterprise and role only if you tick the separate, optional consent to publication; without it your name is shown masked (e.g. 张**) and your filing is unaffected.',
    },
  },
  retentionDays: 1095,
});
