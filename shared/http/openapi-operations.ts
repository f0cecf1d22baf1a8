// What the OpenAPI document says of each route beyond the route table: the error codes the
// route's own use case can answer with (found in the use case and the stores it calls), what a
// success answer holds, and one example of the request and of the answer. The errors every
// route of a kind shares (a JSON body's 400/413/415, a staff route's 401/403) are added by
// openapi.ts from the route's kind; here is only what is the route's own.

import * as z from 'zod/mini';
import { DashboardSchema } from '../use-cases/staff/dashboard.ts';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type Schema = Record<string, unknown>;

/** What a 4xx/5xx error code means, and the message the API sends with it (used in the examples). */
export interface ErrorCode {
  status: number;
  /** When the route answers with it (English, for the description). */
  when: string;
  zh: string;
  en: string;
}

/**
 * The error codes of the API. Field-level codes of a 422 (`required`, `too_long`,
 * `id_check_digit`, …) are listed per route in the description of its 422, not here.
 */
export const ERROR_CODES = {
  malformed_json: {
    status: 400,
    when: 'the body is not valid JSON',
    zh: '请求体不是有效的 JSON',
    en: 'the body is not valid JSON',
  },
  unauthenticated: {
    status: 401,
    when: 'no valid staff sign-in token',
    zh: '请先登录',
    en: 'sign in first',
  },
  forbidden: {
    status: 403,
    when: 'the caller’s role or unit does not cover this programme, unit or filing',
    zh: '无权访问',
    en: 'forbidden',
  },
  not_found: {
    status: 404,
    when: 'unknown programme, filing or record',
    zh: '未找到',
    en: 'not found',
  },
  duplicate_person: {
    status: 409,
    when: 'the same person already has an active filing in this programme',
    zh: '该人员在本项目中已有有效备案，不能重复备案',
    en: 'this person already has an active filing in this program',
  },
  idempotency_key_reused: {
    status: 409,
    when: 'the Idempotency-Key was used before with a different body',
    zh: '该 Idempotency-Key 已用于另一份不同的备案',
    en: 'this Idempotency-Key was already used with a different filing',
  },
  idempotency_key_in_progress: {
    status: 409,
    when: 'a request with the same Idempotency-Key is still being stored (Retry-After: 1)',
    zh: '使用该 Idempotency-Key 的提交正在处理中，请稍后重试',
    en: 'a request with this Idempotency-Key is still being processed; retry shortly',
  },
  invalid_state: {
    status: 409,
    when: 'the action is not possible in the filing’s current state',
    zh: '当前状态下不能进行此操作',
    en: 'this action is not possible in the current state',
  },
  concurrent_modification: {
    status: 409,
    when: 'someone changed the filing meanwhile',
    zh: '记录已被他人修改，请刷新后重试',
    en: 'the record was changed meanwhile; reload and retry',
  },
  role_change: {
    status: 409,
    when: 'an amendment changes the role (withdraw and file again instead)',
    zh: '修改备案时不能更换岗位，请撤回后重新备案',
    en: 'the role cannot change in an amendment; withdraw and file again',
  },
  not_in_pool: {
    status: 409,
    when: 'the person is not a pool member (nothing to report or remove)',
    zh: '该备案不在人才库中，无需报告离岗；审核中的备案可以撤回',
    en: 'this filing is not in the pool; a filing under review can be withdrawn instead',
  },
  filing_ended: {
    status: 409,
    when: 'consent is withdrawn from a filing that has ended already',
    zh: '该备案已结束，无可撤回的同意',
    en: 'this filing has ended; there is no consent left to withdraw',
  },
  anonymized: {
    status: 409,
    when: 'the filing is past retention: its personal data is gone',
    zh: '该记录已匿名化，无个人信息可查看',
    en: 'this record was anonymized; there is nothing personal to show',
  },
  review_ended: {
    status: 409,
    when: 'the filing is final (decided or withdrawn): no review to resume',
    zh: '该备案已办结或已撤回，无需恢复审核',
    en: 'the filing is final (decided or withdrawn); there is no review to resume',
  },
  no_failed_workflow: {
    status: 409,
    when: 'no workflow failure is recorded for the filing',
    zh: '该备案的审核流程没有待恢复的故障',
    en: 'the filing’s review has no recorded failure to resume',
  },
  payload_too_large: {
    status: 413,
    when: 'the body is over the route’s limit',
    zh: '提交内容过大',
    en: 'the body is too large',
  },
  unsupported_media_type: {
    status: 415,
    when: 'the body is not of the route’s content type',
    zh: '请以 application/json 提交',
    en: 'send the body as application/json',
  },
  validation_failed: {
    status: 422,
    when: 'the body or the query breaks the schema or a rule: every failing field at once',
    zh: '必填',
    en: 'is required',
  },
  service_unavailable: {
    status: 503,
    when: 'the database or a service is briefly unavailable (Retry-After: 5)',
    zh: '服务暂时不可用，请稍后重试',
    en: 'temporarily unavailable; please retry shortly',
  },
} as const satisfies Record<string, ErrorCode>;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** How the route takes its body (JSON bodies are named by the route table). */
export type BodyKind = 'none' | 'json' | 'xlsx' | 'form';

export interface SuccessDoc {
  description: string;
  /** The JSON answer; for other media, `content` instead. */
  schema?: Schema;
  example?: unknown;
  /** Non-JSON answers by media type (a page, a download), or more than one format. */
  content?: Record<string, { schema: Schema; example?: unknown }>;
}

export interface OperationDoc {
  bodyKind: BodyKind;
  /** The route's own error codes (the ones of its kind are added by openapi.ts). */
  errors: ErrorCodeName[];
  /** The field codes a 422 of this route can carry, besides the schema's (required, too_long, …). */
  fieldCodes?: string[];
  /** Statuses of HTML answers the route sends instead of the JSON error body. */
  pages?: Record<string, string>;
  /** One example of the body. */
  request?: unknown;
  /** The body of a form or workbook route. */
  requestContent?: Record<string, { schema: Schema; example?: unknown }>;
  success: SuccessDoc;
  /** What the route reads besides its path and query, or any note for the description. */
  note?: string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary: Schema = { type: 'string', contentMediaType: 'application/octet-stream' };
const xlsxBody = (what: string): Record<string, { schema: Schema }> => ({
  [XLSX]: { schema: { ...binary, contentMediaType: XLSX, description: what } },
});
const csv = (what: string, example: string): { schema: Schema; example: string } => ({
  schema: { type: 'string', contentMediaType: 'text/csv', description: what },
  example,
});
const html = (what: string): Record<string, { schema: Schema; example: string }> => ({
  'text/html': {
    schema: { type: 'string', contentMediaType: 'text/html', description: what },
    example: '<!doctype html><html lang="zh-CN">…</html>',
  },
});

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const localized: Schema = {
  type: 'object',
  required: ['zh', 'en'],
  properties: { zh: str, en: str },
};
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  required,
  properties,
});
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });

const PROGRAM_SUMMARY = obj({
  id: str,
  title: localized,
  province: localized,
  authority: localized,
  roles: arrayOf(obj({ id: str, name: localized })),
});

const LIAONING_SUMMARY = {
  id: 'liaoning-cso',
  title: { zh: '辽宁省首席标准官制度', en: 'Liaoning Chief Standards Officer programme' },
  province: { zh: '辽宁省', en: 'Liaoning' },
  authority: { zh: '辽宁省市场监督管理局', en: 'Liaoning Administration for Market Regulation' },
  roles: [
    { id: 'cso', name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' } },
    { id: 'director', name: { zh: '标准总监', en: 'Standards director' } },
    { id: 'specialist', name: { zh: '标准化专员', en: 'Standardization specialist' } },
  ],
};

/** The applicant's view of a filing (status, masked summary, history): getFiling, withdraw, departure. */
const FILING_VIEW = obj(
  {
    filingId: str,
    programId: str,
    status: str,
    statusLabel: localized,
    version: int,
    submittedAt: dateTime,
    summary: obj(
      {
        name: { type: 'string', description: 'masked (张*)' },
        role: { type: 'object' },
        reportingUnit: { type: 'object' },
        enterprise: str,
        uscc: str,
        idNumber: { type: 'string', description: 'masked' },
        mobile: { type: 'string', description: 'masked' },
        email: { type: 'string', description: 'masked' },
      },
      ['name', 'role', 'reportingUnit', 'enterprise', 'uscc', 'idNumber'],
    ),
    history: arrayOf(
      obj({ at: dateTime, action: str, actionLabel: localized, from: {}, to: str, by: str }, [
        'at',
        'action',
        'to',
        'by',
      ]),
    ),
    comments: arrayOf(obj({ at: dateTime, action: str, by: str, text: str })),
    warnings: arrayOf({ type: 'object' }),
    authorities: { type: 'object' },
    departures: {
      ...obj({ leftPost: { type: 'boolean' }, consentWithdrawal: { type: 'boolean' } }),
      description: 'what the enterprise may still report: leaving the post, the consent withdrawn',
    },
  },
  ['filingId', 'programId', 'status', 'statusLabel', 'version', 'submittedAt', 'summary', 'history'],
);

const FILING_VIEW_EXAMPLE = {
  filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
  programId: 'liaoning-cso',
  status: 'city_review',
  statusLabel: { zh: '市局审核中', en: 'under city review' },
  version: 1,
  submittedAt: '2026-03-02T01:20:00.000Z',
  summary: {
    name: '张*',
    role: { id: 'cso', name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' } },
    reportingUnit: {
      code: '210100',
      name: { zh: '沈阳市', en: 'Shenyang' },
      authority: '沈阳市市场监督管理局',
    },
    enterprise: '沈阳示例机械制造有限公司',
    uscc: '91210100MA0000015X',
    idNumber: '2101**********0018',
    mobile: '138****0001',
    email: 'o***@example.com',
  },
  history: [
    {
      at: '2026-03-02T01:20:00.000Z',
      action: 'submit',
      actionLabel: { zh: '提交', en: 'Submitted' },
      from: null,
      to: 'city_review',
      by: 'applicant',
    },
  ],
  comments: [],
  warnings: [],
  authorities: { city: '沈阳市市场监督管理局', province: '辽宁省市场监督管理局' },
  departures: { leftPost: false, consentWithdrawal: true },
};

const FILING_EXAMPLE = {
  role: 'cso',
  person: {
    name: '张伟',
    sex: 'male',
    birthYearMonth: '1975-01',
    idType: 'resident_id',
    idNumber: '210102197501020018',
    education: 'bachelor',
    major: '机械工程',
    titleName: '高级工程师',
    titleLevel: 'associate_senior',
    position: '副总经理',
    employment: 'part_time',
    standardsWorkYears: 6,
    appointment: { date: '2024-03-01', documentNumber: '企聘〔2024〕1号' },
    training: {
      course: '辽宁省首席标准官培训班',
      date: '2023-11-20',
      organizer: '辽宁省市场监督管理局',
      certificateNumber: 'LNCSO-2023-00001',
    },
    mobile: '13800000001',
    officePhone: '024-22886655',
    email: 'officer1@example.com',
    achievements: '主持制定企业标准体系，参与两项行业标准起草。',
  },
  enterprise: {
    name: '沈阳示例机械制造有限公司',
    uscc: '91210100MA0000015X',
    reportingUnit: '210100',
    industry: 'C',
    size: 'medium',
    categories: ['good_behavior', 'above_scale'],
    contact: { name: '李娜', phone: '024-23456780' },
    contactEmail: 'contact1@example.com',
  },
  consent: { accepted: true, noticeVersion: '2027-01', acceptedAt: '2026-03-02T09:20:00+08:00' },
};

const PAGE_OF = (item: Schema): Schema =>
  obj({ items: arrayOf(item), next: { type: 'string', description: 'cursor of the next page' } }, ['items']);

/** A filing as staff list it (staffRow): the ID number and mobile masked, the warnings counted. */
const LISTED_FILING = obj(
  {
    filingId: str,
    programId: str,
    status: str,
    statusLabel: localized,
    submittedAt: dateTime,
    updatedAt: dateTime,
    name: str,
    role: obj({ id: str, name: localized }, ['id']),
    reportingUnit: obj({ code: str, name: localized }, ['code']),
    enterprise: str,
    uscc: str,
    idNumber: { type: 'string', description: 'masked' },
    mobile: { type: 'string', description: 'masked' },
    warnings: { type: 'integer', description: 'how many warnings the filing has' },
    anonymizedAt: dateTime,
  },
  [
    'filingId',
    'programId',
    'status',
    'statusLabel',
    'submittedAt',
    'name',
    'role',
    'reportingUnit',
    'warnings',
  ],
);

const LISTED_ROW = {
  filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
  programId: 'liaoning-cso',
  status: 'city_review',
  statusLabel: { zh: '市局审核中', en: 'under city review' },
  submittedAt: '2026-03-02T01:20:00.000Z',
  updatedAt: '2026-03-02T01:20:00.000Z',
  name: '张伟',
  role: { id: 'cso', name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' } },
  reportingUnit: { code: '210100', name: { zh: '沈阳市', en: 'Shenyang' } },
  enterprise: '沈阳示例机械制造有限公司',
  uscc: '91210100MA0000015X',
  idNumber: '2101**********0018',
  mobile: '138****0001',
  warnings: 0,
};

const LISTED_EXAMPLE = { items: [LISTED_ROW], next: 'eyJ1IjowLCJrIjoiLi4uIn0' };

const AUDIT_LINE = obj(
  {
    at: dateTime,
    filingId: str,
    kind: { enum: ['transition', 'access'] },
    what: str,
    from: {},
    to: str,
    by: str,
    actorId: str,
    reason: str,
  },
  ['at', 'filingId', 'kind', 'what', 'by'],
);
const AUDIT_EXAMPLE_LINE = {
  at: '2026-03-03T02:00:00.000Z',
  filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
  kind: 'access',
  what: 'reveal:mobile',
  by: 'city',
  actorId: 'c-1',
  reason: '电话核实',
};
const AUDIT_CSV =
  'at,filingId,kind,what,from,to,by,actorId,reason\r\n2026-03-03T02:00:00.000Z,01JF7Q9Z3M5K8X2C4V6B8N0P1R,access,reveal:mobile,,,city,c-1,电话核实\r\n';

const IMPORT_REPORT = obj(
  {
    programId: str,
    fileName: str,
    total: int,
    imported: int,
    warned: int,
    present: int,
    refused: int,
    failed: int,
    rows: arrayOf(
      obj({ row: int, status: str, name: str, errors: arrayOf({}), warnings: arrayOf({}) }, [
        'row',
        'status',
      ]),
    ),
  },
  ['programId', 'total'],
);

const YEAR_PLAN = obj(
  {
    programId: str,
    year: str,
    units: arrayOf(
      obj({ unit: str, people: { type: 'object', additionalProperties: int }, enterprises: int }, [
        'unit',
        'people',
      ]),
    ),
    setAt: { type: ['string', 'null'] },
    setBy: { type: ['string', 'null'] },
  },
  ['programId', 'year', 'units'],
);

const YEAR_PLAN_EXAMPLE = {
  programId: 'liaoning-cso',
  year: '2026',
  units: [{ unit: '210100', people: { cso: 120, director: 60 }, enterprises: 100 }],
  setAt: '2026-01-10T02:00:00.000Z',
  setBy: 'p-1',
};

const TRAINING_BATCH = obj(
  {
    programId: str,
    batchId: str,
    organizer: str,
    course: str,
    startDate: str,
    endDate: str,
    createdAt: dateTime,
    createdBy: str,
    passes: int,
  },
  ['programId', 'batchId', 'organizer', 'course', 'startDate', 'endDate', 'passes'],
);

const TRAINING_BATCH_EXAMPLE = {
  programId: 'liaoning-cso',
  batchId: 'TB-2026-01',
  organizer: 'province',
  course: '辽宁省首席标准官培训班',
  startDate: '2026-03-10',
  endDate: '2026-03-12',
  createdAt: '2026-03-13T02:00:00.000Z',
  createdBy: 'p-1',
  passes: 0,
};

/** The dashboard's answer, from the schema its use case fills (so the two cannot drift apart). */
const { $schema: _dashboardDialect, ...DASHBOARD } = z.toJSONSchema(DashboardSchema, {
  io: 'output',
}) as Schema;
const WAITING_EXAMPLE = {
  submitted: 0,
  cityReview: 3,
  pastReminder: 1,
  escalated: 0,
  changesRequested: 1,
  provinceReview: 4,
  awaitingBatch: 2,
  inBatch: 2,
  failed: 0,
  returnsNotReceived: null,
};
const DASHBOARD_EXAMPLE = {
  programId: 'liaoning-cso',
  asOf: '2026-12-07',
  generatedAt: '2026-12-07T01:00:00.000Z',
  scope: 'unit',
  members: { label: { zh: '在库', en: 'Pool' } },
  pool: 42,
  target: null,
  plan: { year: '2026', setAt: '2026-01-15T02:00:00.000Z' },
  units: [
    {
      unit: '210100',
      name: { zh: '沈阳市', en: 'Shenyang' },
      members: 42,
      planned: 60,
      plannedMembers: 40,
      expectedNow: 55,
      lagging: true,
      roles: [
        {
          role: 'cso',
          name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' },
          members: 30,
          planned: 45,
        },
      ],
      waiting: WAITING_EXAMPLE,
      complete: true,
    },
  ],
  roles: [
    {
      role: 'cso',
      name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' },
      members: 30,
      planned: 45,
    },
  ],
  trend: [
    { month: '2026-11', members: 40 },
    { month: '2026-12', members: 42 },
  ],
  totals: WAITING_EXAMPLE,
  reminder: { firstDay: 3 },
  returns: null,
};

const NO_BODY: OperationDoc['bodyKind'] = 'none';

export const OPERATIONS: Record<string, OperationDoc> = {
  listPrograms: {
    bodyKind: NO_BODY,
    errors: [],
    success: {
      description: 'The programmes this service files for',
      schema: obj({ programs: arrayOf(PROGRAM_SUMMARY) }),
      example: {
        programs: [
          LIAONING_SUMMARY,
          {
            id: 'anhui-std-director',
            title: { zh: '安徽省企业标准总监制度', en: 'Anhui enterprise standards director programme' },
            province: { zh: '安徽省', en: 'Anhui' },
            authority: { zh: '安徽省市场监督管理局', en: 'Anhui Administration for Market Regulation' },
            roles: [{ id: 'director', name: { zh: '企业标准总监', en: 'Enterprise standards director' } }],
          },
        ],
      },
    },
  },
  getProgram: {
    bodyKind: NO_BODY,
    errors: ['not_found'],
    success: {
      description:
        'The programme: roles and duties, reporting units, field rules, attachments, the filing’s JSON Schema, the privacy notice',
      schema: obj({
        ...(PROGRAM_SUMMARY.properties as Record<string, Schema>),
        roles: arrayOf(
          obj({ id: str, name: localized, description: localized, duties: arrayOf(localized) }, [
            'id',
            'name',
          ]),
        ),
        reportingUnits: arrayOf(
          obj({ code: str, name: localized, official: { type: 'boolean' }, kind: str }, ['code', 'name']),
        ),
        fieldRules: arrayOf({ type: 'object' }),
        filingSchema: { type: 'object', description: 'JSON Schema of the filing for this programme' },
        privacyNotice: { type: 'object' },
      }),
      example: {
        ...LIAONING_SUMMARY,
        roles: [
          {
            id: 'cso',
            name: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' },
            description: {
              zh: '一般由企业副总经理（或相应职务层次）及以上级别人员担任，全面管理企业标准化工作',
              en: 'Usually a deputy general manager or above; leads all standardization work',
            },
            usualPerEnterprise: 1,
            duties: [
              {
                zh: '组织将标准化工作纳入企业发展战略、经营方针和目标',
                en: 'Bring standardization into the enterprise’s strategy, business policy and goals',
              },
            ],
          },
        ],
        reportingUnits: [
          { code: '210100', name: { zh: '沈阳市', en: 'Shenyang' }, official: true, kind: 'city' },
        ],
        fieldRules: [],
        filingSchema: { type: 'object' },
        privacyNotice: {},
      },
    },
  },
  submitFiling: {
    bodyKind: 'json',
    errors: [
      'not_found',
      'duplicate_person',
      'idempotency_key_reused',
      'idempotency_key_in_progress',
      'service_unavailable',
    ],
    fieldCodes: [
      'id_check_digit',
      'uscc_check_digit',
      'unit_region_mismatch',
      'unknown_reporting_unit',
      'notice_version_outdated',
      'attachment_too_large',
      'invalid_idempotency_key',
    ],
    request: FILING_EXAMPLE,
    success: {
      description:
        'Stored and sent to review. Keep the receipt token: it is the only way back to the filing. Location: the status URL.',
      schema: obj({
        filingId: str,
        receiptToken: str,
        status: { const: 'submitted' },
        warnings: arrayOf(obj({ path: str, code: str, message: localized })),
        statusUrl: str,
      }),
      example: {
        filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
        receiptToken: 'r1_hQ2v8Zp0yXk3…',
        status: 'submitted',
        warnings: [],
        statusUrl: '/filings/01JF7Q9Z3M5K8X2C4V6B8N0P1R',
      },
    },
  },
  presignUpload: {
    bodyKind: 'json',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['attachment_too_large'],
    request: { kind: 'appointment', contentType: 'application/pdf', size: 482133 },
    success: {
      description:
        'A presigned POST: send the file to `url` with `fields`, then name `key` in the filing’s attachments',
      schema: obj({
        key: str,
        kind: str,
        contentType: str,
        maxBytes: int,
        url: str,
        fields: { type: 'object' },
        expiresAt: dateTime,
      }),
      example: {
        key: 'uploads/liaoning-cso/01JF7Q8M2T…',
        kind: 'appointment',
        contentType: 'application/pdf',
        maxBytes: 5242880,
        url: 'https://attachments.example/',
        fields: { key: 'uploads/liaoning-cso/01JF7Q8M2T…', 'Content-Type': 'application/pdf', Policy: '…' },
        expiresAt: '2026-03-02T01:35:00.000Z',
      },
    },
  },
  getFiling: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    note: 'A wrong, malformed or missing receipt token is the 404 of an unknown filing.',
    success: {
      description: 'The filing as its applicant sees it (personal data masked)',
      schema: FILING_VIEW,
      example: FILING_VIEW_EXAMPLE,
    },
  },
  amendFiling: {
    bodyKind: 'json',
    errors: [
      'not_found',
      'invalid_state',
      'role_change',
      'duplicate_person',
      'concurrent_modification',
      'service_unavailable',
    ],
    fieldCodes: [
      'id_check_digit',
      'uscc_check_digit',
      'unit_region_mismatch',
      'notice_version_outdated',
      'attachment_too_large',
    ],
    request: FILING_EXAMPLE,
    success: {
      description: 'Resubmitted: back to review',
      schema: FILING_VIEW,
      example: { ...FILING_VIEW_EXAMPLE, version: 3 },
    },
  },
  withdrawFiling: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'invalid_state', 'concurrent_modification', 'service_unavailable'],
    success: {
      description: 'Withdrawn; its documents are deleted',
      schema: FILING_VIEW,
      example: {
        ...FILING_VIEW_EXAMPLE,
        status: 'withdrawn',
        statusLabel: { zh: '已撤回', en: 'withdrawn' },
        departures: { leftPost: false, consentWithdrawal: false },
        version: 2,
      },
    },
  },
  reportDeparture: {
    bodyKind: 'json',
    errors: ['not_found', 'not_in_pool', 'filing_ended', 'concurrent_modification', 'service_unavailable'],
    fieldCodes: ['in_future', 'invalid_date'],
    request: { kind: 'left_post', leftOn: '2026-01-31', reason: 'resigned' },
    success: {
      description:
        'Recorded: the member leaves the pool (a filing still under review is withdrawn); the city is told',
      schema: FILING_VIEW,
      example: {
        ...FILING_VIEW_EXAMPLE,
        status: 'removed',
        statusLabel: { zh: '已退出人才库', en: 'removed from the pool' },
        departures: { leftPost: false, consentWithdrawal: false },
        version: 5,
      },
    },
  },
  reviewPage: {
    bodyKind: NO_BODY,
    errors: ['service_unavailable'],
    pages: { '404': 'Unknown or superseded review link (a page)', '410': 'Expired review link (a page)' },
    success: { description: 'The review page of the link (read-only)', content: html('the reviewer’s page') },
  },
  reviewDecide: {
    bodyKind: 'form',
    errors: ['service_unavailable'],
    pages: {
      '404': 'Unknown or superseded review link (a page)',
      '409': 'Already decided, or the review has ended (a page)',
      '410': 'Expired review link (a page)',
      '422': 'No decision chosen, or a reason missing or too long (the form again, with the message)',
    },
    requestContent: {
      'application/x-www-form-urlencoded': {
        schema: obj({ decision: { enum: ['approve', 'reject', 'request_changes'] }, reason: str }, [
          'decision',
        ]),
        example: { decision: 'request_changes', reason: '请补充聘任文件' },
      },
    },
    success: { description: 'The decision is recorded (a page)', content: html('the confirmation page') },
  },
  reviewSendBatch: {
    bodyKind: 'form',
    errors: ['service_unavailable'],
    pages: {
      '404': 'Not a city reviewer’s link, or unknown (a page)',
      '410': 'Expired review link (a page)',
    },
    requestContent: {
      'application/x-www-form-urlencoded': { schema: { type: 'object' }, example: {} },
    },
    success: {
      description: 'The batch went to the province (a page)',
      content: html('the confirmation page'),
    },
  },
  staffListFilings: {
    bodyKind: NO_BODY,
    errors: ['service_unavailable'],
    fieldCodes: ['invalid_query'],
    note:
      '`creditCode`: the start of a unified social credit code (1 to 18 characters of the code’s alphabet; full-width and lower-case input is normalized). ' +
      '`name`: the start of an enterprise name (1 to 100 characters; blanks, full-width ASCII and Latin case are ignored). ' +
      'One of the two at a time (422 at `name` otherwise). A search lists matches unit by unit, ordered by the code or name, oldest first among equals; `unit`, `status`, `role`, `from` and `to` still filter it, and the cursor pages through it. ' +
      'Each request reads one unit’s index partition for at most `limit` matches, whatever the number of filings in the province.',
    success: {
      description:
        'One page of filings (masked), newest first; with `creditCode` or `name`, the matches in order of that value',
      schema: PAGE_OF(LISTED_FILING),
      example: LISTED_EXAMPLE,
    },
  },
  staffPool: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_query'],
    success: {
      description: 'One page of pool members (masked)',
      schema: PAGE_OF(LISTED_FILING),
      example: {
        items: [
          { ...LISTED_ROW, status: 'in_pool', statusLabel: { zh: '已纳入人才库', en: 'in the talent pool' } },
        ],
      },
    },
  },
  staffFiling: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    note: 'Viewing the documents is written to the access log.',
    success: {
      description:
        'The filing as listed, with its person and enterprise (phones, e-mails and the ID number masked), history, workflow failures and short-lived document links',
      schema: {
        ...LISTED_FILING,
        required: [...(LISTED_FILING.required as string[]), 'version', 'person', 'enterprise', 'history'],
        properties: {
          ...(LISTED_FILING.properties as Record<string, Schema>),
          version: int,
          person: { type: 'object' },
          enterprise: { type: 'object' },
          attachments: arrayOf(
            obj({ kind: str, filename: str, url: str, expiresAt: dateTime }, ['kind', 'filename']),
          ),
          warningsDetail: arrayOf({ type: 'object' }),
          history: arrayOf({ type: 'object' }),
          workflowFailures: arrayOf({ type: 'object' }),
        },
      },
      example: {
        ...LISTED_ROW,
        version: 1,
        person: {
          ...FILING_EXAMPLE.person,
          idNumber: '2101**********0018',
          mobile: '138****0001',
          officePhone: '024-****6655',
          email: 'o***@example.com',
        },
        enterprise: {
          ...FILING_EXAMPLE.enterprise,
          contact: { name: '李娜', phone: '024-****6780' },
          contactEmail: 'c***@example.com',
        },
        attachments: [
          {
            kind: 'appointment',
            filename: '聘任文件.pdf',
            servedAs: 'appointment.pdf',
            contentType: 'application/pdf',
            url: 'https://attachments.example/…',
            expiresAt: '2026-03-03T02:05:00.000Z',
          },
        ],
        warningsDetail: [],
        history: [FILING_VIEW_EXAMPLE.history[0]],
        workflowFailures: [],
      },
    },
  },
  staffReveal: {
    bodyKind: 'json',
    errors: ['not_found', 'anonymized', 'service_unavailable'],
    request: { fields: ['mobile'], reason: '电话核实本人信息' },
    success: {
      description: 'The values asked for, unmasked (the access is logged first)',
      schema: obj({ filingId: str, idNumber: str, mobile: str }, ['filingId']),
      example: { filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R', mobile: '13800000001' },
    },
  },
  staffResumeReview: {
    bodyKind: 'json',
    errors: [
      'not_found',
      'review_ended',
      'no_failed_workflow',
      'concurrent_modification',
      'service_unavailable',
    ],
    request: { reason: '审核流程故障已排除，恢复审核' },
    success: {
      description: 'The review workflow is started again (or was by an earlier request)',
      schema: obj({
        filingId: str,
        status: { enum: ['resumed', 'already_resumed'] },
        execution: str,
        stage: str,
        round: int,
      }),
      example: {
        filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
        status: 'resumed',
        execution: '01JF7Q9Z3M5K8X2C4V6B8N0P1R-r2',
        stage: 'city',
        round: 2,
      },
    },
  },
  staffRemoveMember: {
    bodyKind: 'json',
    errors: ['not_found', 'not_in_pool', 'concurrent_modification', 'service_unavailable'],
    request: { reason: '年度考核不合格，移出人才库' },
    success: {
      description: 'Removed from the pool; the city is told',
      schema: obj({ filingId: str, status: str, version: int, removedAt: dateTime }),
      example: {
        filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
        status: 'removed',
        version: 6,
        removedAt: '2026-04-01T02:00:00.000Z',
      },
    },
  },
  staffFilingAudit: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    success: {
      description: 'The filing’s transitions and accesses, oldest first (format=csv: the same as CSV)',
      schema: obj({ filingId: str, lines: arrayOf(AUDIT_LINE) }),
      example: { filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R', lines: [AUDIT_EXAMPLE_LINE] },
      content: { 'text/csv': csv('format=csv', AUDIT_CSV) },
    },
  },
  staffUnitAudit: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_query'],
    success: {
      description: 'One page of the unit’s audit lines (format=csv: the page as CSV)',
      schema: obj({ lines: arrayOf(AUDIT_LINE), next: str }, ['lines']),
      example: { lines: [AUDIT_EXAMPLE_LINE] },
      content: { 'text/csv': csv('format=csv', AUDIT_CSV) },
    },
  },
  staffCitySummary: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_query'],
    note: 'The export is written to the unit’s access log. X-Row-Count: the number of rows.',
    success: {
      description: 'The unit’s summary sheet (附件2)',
      content: {
        [XLSX]: { schema: { ...binary, contentMediaType: XLSX } },
        'text/csv': csv('format=csv', '序号,姓名,企业名称,…\r\n1,张伟,沈阳示例机械制造有限公司,…\r\n'),
      },
    },
  },
  returnPage: {
    bodyKind: NO_BODY,
    errors: ['service_unavailable'],
    pages: { '404': 'Unknown link (a page)', '410': 'Past the deadline (a page)' },
    success: {
      description: 'The enterprise’s annual return form, or the city’s summary',
      content: html('the return page'),
    },
  },
  returnSubmit: {
    bodyKind: 'form',
    errors: ['service_unavailable'],
    pages: {
      '403': 'The form is not this link’s (a page)',
      '404': 'Unknown link (a page)',
      '409': 'Answered or acknowledged already (a page)',
      '410': 'Past the deadline (a page)',
      '422': 'A field is missing or wrong (the form again, with the messages)',
    },
    requestContent: {
      'application/x-www-form-urlencoded': {
        schema: {
          type: 'object',
          description:
            'Per member: inpost_{filingId}, result_{filingId}, nominate_{filingId}, reason_{filingId}; lang',
          additionalProperties: str,
        },
        example: {
          lang: 'zh',
          inpost_01JF7Q9Z3M5K8X2C4V6B8N0P1R: 'yes',
          result_01JF7Q9Z3M5K8X2C4V6B8N0P1R: 'pass',
        },
      },
    },
    success: { description: 'The return is recorded (a page)', content: html('the confirmation page') },
  },
  staffStartReturns: {
    bodyKind: NO_BODY,
    errors: ['service_unavailable'],
    fieldCodes: ['invalid_year'],
    success: {
      description: 'The annual return is started (or was already: status says which)',
      schema: obj({
        programId: str,
        year: str,
        execution: str,
        status: { enum: ['started', 'already_started', 'closed', 'failed'] },
      }),
      example: { programId: 'liaoning-cso', year: '2026', execution: 'liaoning-cso-2026', status: 'started' },
    },
  },
  staffReturns: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_year'],
    success: {
      description: 'Per unit: enterprises that answered and not, removals, nominees',
      schema: obj(
        {
          programId: str,
          year: str,
          status: { enum: ['open', 'closed', 'failed'] },
          units: arrayOf(
            obj(
              {
                unit: str,
                status: { enum: ['collecting', 'reviewing', 'applying', 'done', 'failed'] },
                deadline: str,
                enterprises: int,
                members: int,
                answered: arrayOf({ type: 'object' }),
                unanswered: arrayOf({ type: 'object' }),
                removals: arrayOf({ type: 'object' }),
              },
              ['unit', 'status'],
            ),
          ),
        },
        ['programId', 'year', 'status', 'units'],
      ),
      example: {
        programId: 'liaoning-cso',
        year: '2026',
        status: 'open',
        units: [
          {
            unit: '210100',
            status: 'collecting',
            deadline: '2027-01-31',
            enterprises: 12,
            members: 15,
            answered: [],
            unanswered: [],
            removals: [],
          },
        ],
      },
    },
  },
  staffReturnNominees: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_year'],
    success: {
      description: 'The year’s nominees of every unit (masked names), each marked selected or not',
      schema: obj({
        programId: str,
        year: str,
        nominees: arrayOf(
          obj(
            {
              filingId: str,
              name: { type: 'string', description: 'masked' },
              role: str,
              unit: str,
              uscc: str,
              enterprise: str,
              reason: str,
              selected: { type: 'boolean' },
            },
            ['filingId', 'name', 'unit', 'selected'],
          ),
        ),
        selectedAt: { type: ['string', 'null'] },
      }),
      example: {
        programId: 'liaoning-cso',
        year: '2026',
        nominees: [
          {
            filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
            name: '张*',
            role: 'cso',
            unit: '210100',
            uscc: '91210100MA0000015X',
            enterprise: '沈阳示例机械制造有限公司',
            reason: '主持制定企业标准体系',
            selected: false,
          },
        ],
        selectedAt: null,
      },
    },
  },
  staffSetSelection: {
    bodyKind: 'json',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['not_nominee', 'invalid_year'],
    request: { selected: ['01JF7Q9Z3M5K8X2C4V6B8N0P1R'] },
    success: {
      description: 'The selection, replaced whole',
      schema: obj({ selected: arrayOf(str), selectedAt: dateTime }, ['selected']),
      example: {
        selected: ['01JF7Q9Z3M5K8X2C4V6B8N0P1R'],
        selectedAt: '2026-12-01T02:00:00.000Z',
        logged: ['210100'],
      },
    },
  },
  staffSelection: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_format', 'invalid_year'],
    success: {
      description:
        'The publishable list: names only with consent to publication, others masked (format=csv or xlsx: a file)',
      schema: obj({
        programId: str,
        year: str,
        selectedAt: { type: ['string', 'null'] },
        entries: arrayOf(
          obj({
            name: str,
            published: { type: 'boolean' },
            enterprise: str,
            role: localized,
            unit: { type: 'object' },
          }),
        ),
      }),
      example: {
        programId: 'liaoning-cso',
        year: '2026',
        selectedAt: '2026-12-01T02:00:00.000Z',
        entries: [
          {
            name: '张**',
            published: false,
            enterprise: '沈阳示例机械制造有限公司',
            role: { zh: '首席标准官', en: 'Chief Standards Officer (CSO)' },
            unit: { code: '210100', zh: '沈阳市', en: 'Shenyang' },
          },
        ],
      },
      content: {
        'text/csv': csv(
          'format=csv',
          '\uFEFF姓名,企业,岗位,单位\r\n张**,沈阳示例机械制造有限公司,首席标准官,沈阳市\r\n',
        ),
        [XLSX]: { schema: { ...binary, contentMediaType: XLSX } },
      },
    },
  },
  staffDashboard: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    success: {
      description:
        'Members against the target (programme scope only) and each unit’s yearly plan, by unit and role, this year’s monthly trend, and per unit the work waiting; city staff get their unit only',
      schema: DASHBOARD,
      example: DASHBOARD_EXAMPLE,
    },
  },
  staffReport: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_query', 'invalid_date', 'future_date'],
    success: {
      description: 'Target progress from the counters (format=csv or html as well)',
      schema: obj({ programId: str, asOf: str }, ['programId']),
      example: { programId: 'liaoning-cso', asOf: '2026-02-28', targets: [] },
      content: {
        'text/csv': csv('format=csv', 'target,unit,planned,actual\r\n'),
        ...html('format=html: the report with charts'),
      },
    },
  },
  staffGetPlan: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_year'],
    success: { description: 'The units’ plans of the year', schema: YEAR_PLAN, example: YEAR_PLAN_EXAMPLE },
  },
  staffSetPlan: {
    bodyKind: 'json',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_year', 'duplicate_unit', 'unknown_unit', 'unknown_role'],
    request: { units: [{ unit: '210100', people: { cso: 120, director: 60 }, enterprises: 100 }] },
    success: {
      description: 'The year’s plans, replaced whole',
      schema: YEAR_PLAN,
      example: YEAR_PLAN_EXAMPLE,
    },
  },
  staffPlanTemplate: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['invalid_year'],
    success: {
      description: 'The plan workbook',
      content: { [XLSX]: { schema: { ...binary, contentMediaType: XLSX } } },
    },
  },
  staffPlanUpload: {
    bodyKind: 'xlsx',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: [
      'unreadable_file',
      'missing_column',
      'invalid_number',
      'required',
      'unknown_unit',
      'invalid_year',
    ],
    requestContent: xlsxBody('the filled plan workbook (at most 1 MB)'),
    success: {
      description: 'The year’s plans as read from the workbook, replacing the earlier ones',
      schema: YEAR_PLAN,
      example: YEAR_PLAN_EXAMPLE,
    },
  },
  staffImportTemplate: {
    bodyKind: NO_BODY,
    errors: ['not_found'],
    success: {
      description: 'The import template',
      content: { [XLSX]: { schema: { ...binary, contentMediaType: XLSX } } },
    },
  },
  staffImport: {
    bodyKind: 'xlsx',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['unreadable_file', 'invalid_workbook', 'missing_column', 'too_many_rows'],
    requestContent: xlsxBody('the filled import template (at most 500 rows)'),
    note: 'A duplicate person is a refused row of the report, not a 409.',
    success: {
      description: 'Row by row: imported, warned, present already, refused, failed',
      schema: IMPORT_REPORT,
      example: {
        programId: 'liaoning-cso',
        fileName: '导入.xlsx',
        sheet: '人才库',
        total: 1,
        imported: 1,
        warned: 0,
        present: 0,
        refused: 0,
        failed: 0,
        rows: [
          {
            row: 2,
            status: 'imported',
            name: '张*',
            filingId: '01JF7Q9Z3M5K8X2C4V6B8N0P1R',
            errors: [],
            warnings: [],
          },
        ],
      },
    },
  },
  staffTrainingBatches: {
    bodyKind: NO_BODY,
    errors: ['not_found', 'service_unavailable'],
    success: {
      description: 'The programme’s training batches (a city’s staff: those of its unit)',
      schema: obj({ batches: arrayOf(TRAINING_BATCH) }),
      example: { batches: [{ ...TRAINING_BATCH_EXAMPLE, passes: 48 }] },
    },
  },
  staffRecordTrainingBatch: {
    bodyKind: 'json',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['unknown_reporting_unit'],
    request: {
      organizer: 'province',
      course: '辽宁省首席标准官培训班',
      startDate: '2026-03-10',
      endDate: '2026-03-12',
    },
    success: {
      description: 'The batch is recorded',
      schema: TRAINING_BATCH,
      example: TRAINING_BATCH_EXAMPLE,
    },
  },
  staffTrainingTemplate: {
    bodyKind: NO_BODY,
    errors: ['not_found'],
    success: {
      description: 'The pass-list template',
      content: { [XLSX]: { schema: { ...binary, contentMediaType: XLSX } } },
    },
  },
  staffTrainingPasses: {
    bodyKind: 'xlsx',
    errors: ['not_found', 'service_unavailable'],
    fieldCodes: ['unreadable_file', 'missing_column', 'too_many_rows', 'invalid_batch_id'],
    requestContent: xlsxBody('the batch’s pass list (at most 2,000 rows)'),
    success: {
      description: 'Row by row; only ID-number hashes and certificate numbers are kept',
      schema: obj(
        {
          programId: str,
          batchId: str,
          fileName: str,
          sheet: str,
          total: int,
          imported: int,
          present: int,
          refused: int,
          failed: int,
          rows: arrayOf(obj({ row: int, status: str }, ['row', 'status'])),
        },
        ['programId', 'batchId', 'total', 'imported', 'present', 'refused', 'failed', 'rows'],
      ),
      example: {
        programId: 'liaoning-cso',
        batchId: 'TB-2026-01',
        fileName: '合格名单.xlsx',
        sheet: '合格名单',
        total: 1,
        imported: 1,
        present: 0,
        refused: 0,
        failed: 0,
        rows: [{ row: 2, status: 'imported' }],
      },
    },
  },
  openapi: {
    bodyKind: NO_BODY,
    errors: [],
    success: {
      description: 'This document',
      schema: obj({ openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } }),
      example: {
        openapi: '3.1.0',
        info: { title: 'Standards-officer programmes API', version: '1.0.0' },
        paths: {},
      },
    },
  },
  docs: {
    bodyKind: NO_BODY,
    errors: [],
    success: {
      description: 'The reference page (Swagger UI on this document)',
      content: html('the reference page'),
    },
  },
  docsAsset: {
    bodyKind: NO_BODY,
    errors: ['not_found'],
    note: 'asset is swagger-ui.js, swagger-ui.css or init.js; gzipped when the client accepts it.',
    success: {
      description: 'The script or style sheet',
      content: {
        'text/javascript': {
          schema: { type: 'string', contentMediaType: 'text/javascript' },
          example: "'use strict';…",
        },
        'text/css': { schema: { type: 'string', contentMediaType: 'text/css' }, example: '.swagger-ui{…}' },
      },
    },
  },
};
