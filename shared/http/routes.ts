// The route table: the single source for the local server, the CDK stack and the OpenAPI
// document. Each route names its handler module (under functions/, exporting `handler`).
export type Access = 'public' | 'receipt' | 'staff' | 'review-link';

export interface Route {
  id: string;
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway path syntax: `{name}` for path parameters. */
  path: string;
  handler: string;
  access: Access;
  summary: { zh: string; en: string };
  /** Name of the request body schema in the OpenAPI components, if any. */
  body?:
    | 'FilingInput'
    | 'PlanRequest'
    | 'UploadRequest'
    | 'RevealRequest'
    | 'ResumeRequest'
    | 'DepartureRequest'
    | 'RemovalRequest'
    | 'TrainingBatchRequest'
    | 'SelectionRequest';
  /** Query parameters the route reads (documented in OpenAPI). */
  query?: readonly string[];
  /** Status codes the route answers besides the error codes every route may return. */
  success: number;
  tag: 'programs' | 'filings' | 'review' | 'staff' | 'docs';
}

export const ROUTES: readonly Route[] = [
  {
    id: 'listPrograms',
    method: 'GET',
    path: '/programs',
    handler: 'functions/programs/list.ts',
    access: 'public',
    summary: { zh: '项目列表', en: 'List the programs' },
    success: 200,
    tag: 'programs',
  },
  {
    id: 'getProgram',
    method: 'GET',
    path: '/programs/{programId}',
    handler: 'functions/programs/get.ts',
    access: 'public',
    summary: {
      zh: '项目详情：岗位、备案单位、填报规则、JSON Schema、个人信息告知书',
      en: 'Program facts: roles, reporting units, field rules, JSON Schema, privacy notice',
    },
    success: 200,
    tag: 'programs',
  },
  {
    id: 'submitFiling',
    method: 'POST',
    path: '/programs/{programId}/filings',
    handler: 'functions/filings/submit.ts',
    access: 'public',
    summary: { zh: '提交备案（可带 Idempotency-Key）', en: 'Submit a filing (optional Idempotency-Key)' },
    body: 'FilingInput',
    success: 201,
    tag: 'filings',
  },
  {
    id: 'presignUpload',
    method: 'POST',
    path: '/programs/{programId}/uploads',
    handler: 'functions/uploads/presign.ts',
    access: 'public',
    summary: {
      zh: '申请附件上传地址（预签名 POST；PDF/JPEG/PNG，不超过 5 MB）',
      en: 'Presigned POST for one attachment (PDF, JPEG or PNG, at most 5 MB)',
    },
    body: 'UploadRequest',
    success: 200,
    tag: 'filings',
  },
  {
    id: 'getFiling',
    method: 'GET',
    path: '/filings/{filingId}',
    handler: 'functions/filings/status.ts',
    access: 'receipt',
    summary: { zh: '凭回执查询备案状态', en: 'Filing status, with the receipt token' },
    success: 200,
    tag: 'filings',
  },
  {
    id: 'amendFiling',
    method: 'PUT',
    path: '/filings/{filingId}',
    handler: 'functions/filings/amend.ts',
    access: 'receipt',
    summary: { zh: '按要求修改后重新提交', en: 'Amend a filing while changes are requested' },
    body: 'FilingInput',
    success: 200,
    tag: 'filings',
  },
  {
    id: 'withdrawFiling',
    method: 'POST',
    path: '/filings/{filingId}/withdraw',
    handler: 'functions/filings/withdraw.ts',
    access: 'receipt',
    summary: { zh: '撤回备案', en: 'Withdraw a filing that is not final' },
    success: 200,
    tag: 'filings',
  },
  {
    id: 'reportDeparture',
    method: 'POST',
    path: '/filings/{filingId}/departure',
    handler: 'functions/filings/departure.ts',
    access: 'receipt',
    summary: {
      zh: '报告人才库成员离岗或本人撤回同意（退出人才库；审核中的备案撤回）',
      en: 'Report that a pool member left the post or withdrew consent (leaves the pool; a filing under review is withdrawn)',
    },
    body: 'DepartureRequest',
    success: 200,
    tag: 'filings',
  },
  {
    id: 'reviewPage',
    method: 'GET',
    path: '/review/{token}',
    handler: 'functions/review/page.ts',
    access: 'review-link',
    summary: { zh: '审核确认页（只读，不改变状态）', en: 'Review confirmation page (read-only)' },
    success: 200,
    tag: 'review',
  },
  {
    id: 'reviewDecide',
    method: 'POST',
    path: '/review/{token}',
    handler: 'functions/review/decide.ts',
    access: 'review-link',
    summary: { zh: '提交审核意见（表单）', en: 'Decide a review (form post from the page)' },
    success: 200,
    tag: 'review',
  },
  {
    id: 'reviewSendBatch',
    method: 'POST',
    path: '/review/{token}/batch',
    handler: 'functions/review/batch.ts',
    access: 'review-link',
    summary: { zh: '市局立即汇总报送省局（附件2）', en: 'City sends its summary batch to the province now' },
    success: 200,
    tag: 'review',
  },
  {
    id: 'staffListFilings',
    method: 'GET',
    path: '/staff/programs/{programId}/filings',
    handler: 'functions/staff/list-filings.ts',
    access: 'staff',
    summary: {
      zh: '按备案单位、状态、岗位、时间检索备案，或按信用代码、企业名称开头查找（脱敏，分页）',
      en: 'Search filings by unit, status, role and period, or by the start of a credit code or enterprise name (masked, paged by cursor)',
    },
    query: ['unit', 'status', 'role', 'from', 'to', 'limit', 'cursor', 'creditCode', 'name'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffPool',
    method: 'GET',
    path: '/staff/programs/{programId}/pool',
    handler: 'functions/staff/pool.ts',
    access: 'staff',
    summary: {
      zh: '人才库成员；无省级环节的项目为已备案人员（脱敏，分页）',
      en: 'Talent-pool members; registered people where the programme has no province stage (masked, paged)',
    },
    query: ['unit', 'role', 'from', 'to', 'limit', 'cursor'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffFiling',
    method: 'GET',
    path: '/staff/filings/{filingId}',
    handler: 'functions/staff/filing.ts',
    access: 'staff',
    summary: {
      zh: '备案详情（脱敏）、流转记录与流程故障记录',
      en: 'A filing (masked) with its history and any recorded workflow failures',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffReveal',
    method: 'POST',
    path: '/staff/filings/{filingId}/reveal',
    handler: 'functions/staff/reveal.ts',
    access: 'staff',
    summary: {
      zh: '查看完整身份证号或手机号（须说明理由，记入审计）',
      en: 'Unmask the ID number or mobile (a reason is required and audited)',
    },
    body: 'RevealRequest',
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffResumeReview',
    method: 'POST',
    path: '/staff/filings/{filingId}/resume',
    handler: 'functions/staff/resume.ts',
    access: 'staff',
    summary: {
      zh: '流程故障后恢复审核（省局；须说明理由，记入审计；重复提交无影响）',
      en: 'Restart a review after its workflow failed (province; a reason is required and audited; a repeat is harmless)',
    },
    body: 'ResumeRequest',
    success: 202,
    tag: 'staff',
  },
  {
    id: 'staffRemoveMember',
    method: 'POST',
    path: '/staff/filings/{filingId}/remove',
    handler: 'functions/staff/remove.ts',
    access: 'staff',
    summary: {
      zh: '将人员移出人才库（省局；须说明理由，记入审计，并通知市局）',
      en: 'Remove a member from the pool (province; a reason is required, audited, and the city is told)',
    },
    body: 'RemovalRequest',
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffFilingAudit',
    method: 'GET',
    path: '/staff/filings/{filingId}/audit',
    handler: 'functions/staff/filing-audit.ts',
    access: 'staff',
    summary: { zh: '备案的审计记录（可导出 CSV）', en: 'Audit log of a filing (format=csv to export)' },
    query: ['format'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffUnitAudit',
    method: 'GET',
    path: '/staff/programs/{programId}/units/{unit}/audit',
    handler: 'functions/staff/unit-audit.ts',
    access: 'staff',
    summary: {
      zh: '备案单位的审计记录（分页，可导出 CSV）',
      en: 'Audit log of a unit (paged; format=csv to export)',
    },
    query: ['format', 'limit', 'cursor'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffCitySummary',
    method: 'GET',
    path: '/staff/programs/{programId}/units/{unit}/summary',
    handler: 'functions/staff/summary.ts',
    access: 'staff',
    summary: {
      zh: '导出备案单位汇总表（附件2，XLSX 或 CSV；按时间段或批次）',
      en: 'City summary (附件2) of a unit as XLSX or CSV, for a period or a batch',
    },
    query: ['format', 'from', 'to', 'batchId'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'returnPage',
    method: 'GET',
    path: '/return/{token}',
    handler: 'functions/returns/page.ts',
    access: 'review-link',
    summary: {
      zh: '年度报告页（企业：填写本企业人员的年度报告；市局：年度报告汇总）；只读，不改变状态',
      en: 'Annual return page (an enterprise’s form, or the city’s summary of its unit’s returns); read-only',
    },
    query: ['lang'],
    success: 200,
    tag: 'review',
  },
  {
    id: 'returnSubmit',
    method: 'POST',
    path: '/return/{token}',
    handler: 'functions/returns/submit.ts',
    access: 'review-link',
    summary: {
      zh: '提交企业年度报告（每家企业一次），或市局确认本单位汇总（不合格、已离岗人员移出人才库）',
      en: 'Send an enterprise’s annual return (once), or the city’s acknowledgement of its unit’s returns (removals follow)',
    },
    success: 200,
    tag: 'review',
  },
  {
    id: 'staffStartReturns',
    method: 'POST',
    path: '/staff/programs/{programId}/returns/{year}',
    handler: 'functions/returns/start.ts',
    access: 'staff',
    summary: {
      zh: '启动年度报告（激励考核，由企业填报；省局；每个项目每年一次，重复启动无影响）',
      en: 'Open the annual return (激励考核, by the enterprises; province; once per programme and year, a repeat is harmless)',
    },
    success: 202,
    tag: 'staff',
  },
  {
    id: 'staffReturns',
    method: 'GET',
    path: '/staff/programs/{programId}/returns/{year}',
    handler: 'functions/returns/results.ts',
    access: 'staff',
    summary: {
      zh: '年度报告情况（按单位：已报告与未报告企业、移出人员、推荐优秀人员；市局仅本单位）',
      en: 'Annual returns per unit: enterprises that answered and not, removals, nominees (city staff: their unit)',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffReturnNominees',
    method: 'GET',
    path: '/staff/programs/{programId}/returns/{year}/nominees',
    handler: 'functions/staff/return-nominees.ts',
    access: 'staff',
    summary: {
      zh: '本年度优秀评选推荐人员（全省各单位，脱敏姓名，标明是否已评选；省局）',
      en: 'The year’s nominees for the selection of excellent officers (every unit, masked names, marked selected; province)',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffSetSelection',
    method: 'PUT',
    path: '/staff/programs/{programId}/returns/{year}/selection',
    handler: 'functions/staff/return-selection-put.ts',
    access: 'staff',
    summary: {
      zh: '确定本年度优秀评选结果（仅限推荐人员；整体替换，重复提交无影响；省局；记入审计）',
      en: 'Set the year’s selection of excellent officers (nominees only; replaced whole, a repeat is harmless; province; audited)',
    },
    body: 'SelectionRequest',
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffSelection',
    method: 'GET',
    path: '/staff/programs/{programId}/returns/{year}/selection',
    handler: 'functions/staff/return-selection.ts',
    access: 'staff',
    summary: {
      zh: '优秀评选公示名单（JSON、CSV 或 XLSX；仅公开本人同意公示者的姓名，其余脱敏；省局与审计）',
      en: 'The publishable list of selected officers (JSON, CSV or XLSX; names only with consent to publication, others masked; province and auditors)',
    },
    query: ['format'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffDashboard',
    method: 'GET',
    path: '/staff/programs/{programId}/dashboard',
    handler: 'functions/staff/dashboard.ts',
    access: 'staff',
    summary: {
      zh: '工作台：目标与年度计划进度（按单位、岗位、月度趋势）和待办事项（审核逾期、待省局决定、流程故障、年度报告未交；市局仅本单位）',
      en: 'Dashboard: progress to the target and the yearly plans (by unit, role, month) and work waiting (overdue reviews, province decisions, failed workflows, missing annual returns; city staff: their unit)',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffReport',
    method: 'GET',
    path: '/staff/programs/{programId}/report',
    handler: 'functions/staff/report.ts',
    access: 'staff',
    summary: {
      zh: '目标进度报告（按计数器计算；JSON、CSV 或含图表的 HTML；同时存档）',
      en: 'Target-progress report from the counters (JSON, CSV or HTML with charts; also stored)',
    },
    query: ['asOf', 'format'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffGetPlan',
    method: 'GET',
    path: '/staff/programs/{programId}/plans/{year}',
    handler: 'functions/staff/plan-get.ts',
    access: 'staff',
    summary: {
      zh: '各备案单位的年度发展计划（按岗位人数、企业数）',
      en: 'The units’ yearly plans of a year (people per role, enterprises)',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffSetPlan',
    method: 'PUT',
    path: '/staff/programs/{programId}/plans/{year}',
    handler: 'functions/staff/plan-put.ts',
    access: 'staff',
    summary: {
      zh: '设定该年度各备案单位的年度发展计划（省局；整体替换，记入各单位审计记录）',
      en: 'Set the units’ yearly plans of a year (province; replaces the year’s plans, in each unit’s access log)',
    },
    body: 'PlanRequest',
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffPlanTemplate',
    method: 'GET',
    path: '/staff/programs/{programId}/plans/{year}/template',
    handler: 'functions/staff/plan-template.ts',
    access: 'staff',
    summary: {
      zh: '下载年度发展计划表（XLSX，含各备案单位及该年度已设定的计划）',
      en: 'The year’s plan workbook (XLSX: every unit, the plans already set)',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffPlanUpload',
    method: 'POST',
    path: '/staff/programs/{programId}/plans/{year}/upload',
    handler: 'functions/staff/plan-upload.ts',
    access: 'staff',
    summary: {
      zh: '上传填好的年度发展计划表（请求体为 XLSX；整体替换该年度计划，有误的单元格逐一列出）',
      en: 'Upload the filled plan workbook (XLSX body; replaces the year’s plans, every bad cell named)',
    },
    query: ['fileName'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffImportTemplate',
    method: 'GET',
    path: '/staff/programs/{programId}/imports/template',
    handler: 'functions/staff/import-template.ts',
    access: 'staff',
    summary: { zh: '下载人才库导入模板（XLSX）', en: 'The import template (XLSX)' },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffImport',
    method: 'POST',
    path: '/staff/programs/{programId}/imports',
    handler: 'functions/staff/import.ts',
    access: 'staff',
    summary: {
      zh: '导入已有人才库成员（请求体为 XLSX，每次不超过 500 行；逐行报告）',
      en: 'Import existing pool members (XLSX body, at most 500 rows; row-level report)',
    },
    query: ['fileName'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffTrainingBatches',
    method: 'GET',
    path: '/staff/programs/{programId}/training/batches',
    handler: 'functions/staff/training-batch-list.ts',
    access: 'staff',
    summary: {
      zh: '培训批次列表（组织单位、课程、日期、合格人数）',
      en: 'Training batches (organizer, course, dates, people passed)',
    },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffRecordTrainingBatch',
    method: 'POST',
    path: '/staff/programs/{programId}/training/batches',
    handler: 'functions/staff/training-batches.ts',
    access: 'staff',
    summary: {
      zh: '登记培训批次（省局：全部；市局：本单位组织的批次）',
      en: 'Record a training batch (province: any; city: batches its own bureau runs)',
    },
    body: 'TrainingBatchRequest',
    success: 201,
    tag: 'staff',
  },
  {
    id: 'staffTrainingTemplate',
    method: 'GET',
    path: '/staff/programs/{programId}/training/template',
    handler: 'functions/staff/training-template.ts',
    access: 'staff',
    summary: { zh: '下载培训合格名单模板（XLSX）', en: 'The training pass-list template (XLSX)' },
    success: 200,
    tag: 'staff',
  },
  {
    id: 'staffTrainingPasses',
    method: 'POST',
    path: '/staff/programs/{programId}/training/batches/{batchId}/passes',
    handler: 'functions/staff/training-passes.ts',
    access: 'staff',
    summary: {
      zh: '导入培训批次的合格名单（请求体为 XLSX，每次不超过 2000 行；只保存证件号码摘要和证书编号；逐行报告）',
      en: 'Upload a batch’s pass list (XLSX body, at most 2,000 rows; only ID-number hashes and certificate numbers are kept; row-level report)',
    },
    query: ['fileName'],
    success: 200,
    tag: 'staff',
  },
  {
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'functions/docs/openapi.ts',
    access: 'public',
    summary: { zh: 'OpenAPI 3.1 文档', en: 'OpenAPI 3.1 document' },
    success: 200,
    tag: 'docs',
  },
  {
    id: 'docs',
    method: 'GET',
    path: '/docs',
    handler: 'functions/docs/page.ts',
    access: 'public',
    summary: { zh: '接口说明页', en: 'API reference page' },
    success: 200,
    tag: 'docs',
  },
  {
    id: 'docsAsset',
    method: 'GET',
    path: '/docs/assets/{asset}',
    handler: 'functions/docs/asset.ts',
    access: 'public',
    summary: {
      zh: '接口说明页的脚本与样式（Swagger UI，本站提供）',
      en: 'Scripts and styles of the API reference page (Swagger UI, served here)',
    },
    success: 200,
    tag: 'docs',
  },
];

/** Matches a concrete path against a route path, returning its parameters. */
export function matchPath(routePath: string, path: string): Record<string, string> | undefined {
  const want = routePath.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (!value) return undefined;
      // A malformed escape (`%`, `%ZZ`) names nothing: no route, so 404 (never a 500).
      const decoded = safeDecode(value);
      if (decoded === undefined) return undefined;
      params[segment.slice(1, -1)] = decoded;
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
