// The filing (附件1): one zod schema for what an enterprise submits. It normalizes input
// (trim, full-width codes, `x` → `X`, `+86`) and runs the hard field checks, so every failing
// field is reported in one pass; the same schema yields the JSON Schema the site validates with.
import * as z from 'zod/mini';
import { ATTACHMENT_KEY_PATTERN, ATTACHMENT_KINDS, ATTACHMENT_TYPES } from './attachments.ts';
import { ValidationError } from './errors.ts';
import { toFieldIssue } from './field-issues.ts';
import { safeText } from './text-fields.ts';

export { FIELD_LABELS, fieldLabel, toFieldIssue } from './field-issues.ts';

import { validateIdNumber } from './validation/id-number.ts';
import { toHalfWidth } from './validation/normalize.ts';
import { normalizePersonName, PERSON_NAME_PATTERN } from './validation/person-name.ts';
import {
  normalizeMobile,
  normalizeOfficePhone,
  validateMobile,
  validateOfficePhone,
} from './validation/phone.ts';
import { EDUCATION_LEVELS, TITLE_LEVELS } from './validation/ranks.ts';
import type { CheckResult } from './validation/result.ts';
import { normalizeNewlines } from './validation/safe-text.ts';
import { validateUscc } from './validation/uscc.ts';

export const SEXES = ['male', 'female'] as const;
export const ID_TYPES = ['resident_id', 'hk_macao_taiwan_permit', 'foreign_permanent_residence'] as const;
export const EMPLOYMENT = ['full_time', 'part_time'] as const;
export const ENTERPRISE_SIZES = ['large', 'medium', 'small', 'micro'] as const;
/** GB/T 4754-2017 sections (门类). */
export const INDUSTRY_SECTIONS = [
  'A',
  'B',
  'C',
  'D',
  'E',
  'F',
  'G',
  'H',
  'I',
  'J',
  'K',
  'L',
  'M',
  'N',
  'O',
  'P',
  'Q',
  'R',
  'S',
  'T',
] as const;
/** The enterprise categories the policies name as front-runners. */
export const ENTERPRISE_CATEGORIES = [
  'standardization_pilot', // 标准化试点示范单位
  'good_behavior', // 标准化良好行为企业
  'innovation_award', // 标准创新贡献奖单位
  'innovation_base', // 技术标准创新基地
  'standards_leader', // 企业标准领跑者
  'above_scale', // 规上企业
] as const;
/**
 * The nine national strategic emerging industries (战略性新兴产业分类（2018）), which Anhui's
 * guidance names as the enterprises to reach first.
 */
export const EMERGING_INDUSTRIES = [
  'next_generation_it', // 新一代信息技术产业
  'high_end_equipment', // 高端装备制造产业
  'new_materials', // 新材料产业
  'biology', // 生物产业
  'new_energy_vehicles', // 新能源汽车产业
  'new_energy', // 新能源产业
  'energy_saving', // 节能环保产业
  'digital_creative', // 数字创意产业
  'related_services', // 相关服务业
] as const;

const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A string field that is trimmed and half-width before any check; controls and invisible characters refused. */
const text = (min: number, max: number) =>
  z.string().check(
    z.overwrite((v) => toHalfWidth(v).trim()),
    safeText(),
    z.minLength(min),
    z.maxLength(max),
  );

/** A free-text field (Chinese prose): line breaks as `\n`, trimmed, full-width punctuation kept. */
const prose = (max: number) =>
  z.string().check(z.overwrite(normalizeNewlines), z.trim(), safeText({ prose: true }), z.maxLength(max));

/** A code field checked by one of the validators: normalized value kept, refusal reported with its code. */
const code = (validate: (raw: string) => CheckResult<unknown>, normalize: (raw: string) => string) =>
  z.string().check(
    z.overwrite(normalize),
    z.check((payload) => {
      const result = validate(payload.value);
      if (!result.ok) {
        payload.issues.push({
          code: 'custom',
          input: payload.value,
          message: result.error.message.en,
          params: { code: result.error.code, zh: result.error.message.zh, en: result.error.message.en },
        });
      }
    }),
  );

const normalizeCode = (v: string) => toHalfWidth(v).trim().toUpperCase();

/** A real calendar date (YYYY-MM-DD): 2024-02-30 is refused. */
const dateString = z.string().check(
  z.trim(),
  z.regex(DATE),
  // Only judged once the shape is right, so a malformed date reports one issue, not two.
  z.refine((v) => !DATE.test(v) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, {
    params: { code: 'invalid_date', zh: '不是有效日期', en: 'is not a real date' },
  }),
);

export const PersonSchema = z.strictObject({
  name: z
    .string()
    .check(
      z.overwrite(normalizePersonName),
      safeText(),
      z.minLength(2),
      z.maxLength(30),
      z.regex(PERSON_NAME_PATTERN),
    ),
  sex: z.enum(SEXES),
  birthYearMonth: z.string().check(z.trim(), z.regex(YEAR_MONTH)),
  idType: z.enum(ID_TYPES),
  idNumber: code((v) => validateIdNumber(v), normalizeCode),
  education: z.enum(EDUCATION_LEVELS),
  major: text(1, 50),
  titleName: z.optional(text(1, 50)),
  titleLevel: z.enum(TITLE_LEVELS),
  position: text(1, 50),
  employment: z.enum(EMPLOYMENT),
  standardsWorkYears: z.number().check(z.minimum(0), z.maximum(60)),
  appointment: z.strictObject({
    date: dateString,
    documentNumber: text(1, 50),
  }),
  training: z.optional(
    z.strictObject({
      course: text(1, 100),
      date: dateString,
      organizer: text(1, 100),
      certificateNumber: text(1, 50),
    }),
  ),
  mobile: code(validateMobile, normalizeMobile),
  officePhone: z.optional(code(validateOfficePhone, normalizeOfficePhone)),
  email: z.string().check(
    z.overwrite((v) => toHalfWidth(v).trim().toLowerCase()),
    safeText(),
    z.maxLength(254),
    z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
  ),
  achievements: prose(2000),
});

export const EnterpriseSchema = z.strictObject({
  name: text(2, 100),
  uscc: code(validateUscc, normalizeCode),
  reportingUnit: z.string().check(z.overwrite(normalizeCode), z.regex(/^[0-9A-Z-]{2,20}$/)),
  industry: z.enum(INDUSTRY_SECTIONS),
  size: z.enum(ENTERPRISE_SIZES),
  categories: z.array(z.enum(ENTERPRISE_CATEGORIES)).check(z.maxLength(ENTERPRISE_CATEGORIES.length)),
  /** 战略性新兴产业 the enterprise belongs to: optional, several allowed, each once. */
  emergingIndustries: z.optional(
    z.array(z.enum(EMERGING_INDUSTRIES)).check(
      z.maxLength(EMERGING_INDUSTRIES.length),
      z.overwrite((v) => [...new Set(v)]),
    ),
  ),
  contact: z.strictObject({
    name: text(2, 30),
    phone: z.string().check(
      // A mobile never starts with 0, so only a landline is rewritten here.
      z.overwrite(normalizeOfficePhone),
      z.check((payload) => {
        if (!validateMobile(payload.value).ok && !validateOfficePhone(payload.value).ok) {
          payload.issues.push({
            code: 'custom',
            input: payload.value,
            message: 'not a mobile or office phone number',
            params: {
              code: 'contact_phone_format',
              zh: '不是有效的手机号或办公电话',
              en: 'not a mobile or office phone number',
            },
          });
        }
      }),
    ),
  }),
  /**
   * Where the enterprise's annual return (激励考核) link is sent. Required on new filings; filings
   * stored before it existed lack it, and their return goes to the officer's own email.
   */
  contactEmail: z.string().check(
    z.overwrite((v) => toHalfWidth(v).trim().toLowerCase()),
    safeText(),
    z.maxLength(254),
    z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
  ),
});

export const ConsentSchema = z.strictObject({
  accepted: z.literal(true),
  noticeVersion: text(1, 20),
  acceptedAt: z.iso.datetime({ offset: true }),
  /**
   * Consent to publishing the name, enterprise and role on the 优秀评选 list if selected:
   * optional and separate from the notice; filings without it have not consented.
   */
  publication: z.optional(z.boolean()),
});

/** A document uploaded through `POST /programs/{id}/uploads`, referred to by its key. */
export const AttachmentSchema = z.strictObject({
  kind: z.enum(ATTACHMENT_KINDS),
  key: z.string().check(z.regex(ATTACHMENT_KEY_PATTERN)),
  contentType: z.enum(ATTACHMENT_TYPES),
  /**
   * The file's name as the applicant chose it (no folders): kept as text for staff only; the
   * document itself is served as `<kind>.<extension>` (servedFilename), never under this name.
   */
  filename: z.string().check(
    z.overwrite((v) => (v.split(/[\\/]/).pop() ?? '').trim()),
    safeText(),
    z.minLength(1),
    z.maxLength(200),
  ),
});

export const FilingInputSchema = z.strictObject({
  role: z.string().check(z.trim(), z.regex(/^[a-z][a-z0-9_]{1,30}$/)),
  person: PersonSchema,
  enterprise: EnterpriseSchema,
  consent: ConsentSchema,
  /** The programme says which kinds are required (checked with the stored objects at submit). */
  attachments: z.optional(z.array(AttachmentSchema).check(z.maxLength(ATTACHMENT_KINDS.length))),
});

/** What the site sends (before normalization). */
export type FilingInput = z.input<typeof FilingInputSchema>;
/** A normalized filing, as stored and as the rules see it. */
export type Filing = z.output<typeof FilingInputSchema>;

/** Parses and normalizes a filing, throwing a ValidationError listing every failing field. */
export function parseFiling(input: unknown): Filing {
  const result = FilingInputSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new ValidationError(result.error.issues.flatMap((issue) => toFieldIssue(issue)));
  }
  return result.data;
}

/** JSON Schema (draft 2020-12) of the filing as the site sends it. */
export function filingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FilingInputSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
