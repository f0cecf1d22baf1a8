// From the form's raw values to the request body, normalized like the server does (trim,
// full-width → half-width, codes in capitals, mobiles without +86 and separators), and the
// client-side check of that body: against the JSON Schema the API serves, and the code fields
// (ID number, credit code, phone numbers) with the server's own validators, bundled from
// shared/domain/validation, so a wrong check digit is caught before anything is sent.
import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import { validateIdNumber } from '#shared/domain/validation/id-number.ts';
import { normalizeCode, toHalfWidth } from '#shared/domain/validation/normalize.ts';
import { normalizePersonName } from '#shared/domain/validation/person-name.ts';
import {
  normalizeMobile,
  normalizeOfficePhone,
  validateMobile,
  validateOfficePhone,
} from '#shared/domain/validation/phone.ts';
import type { CheckResult } from '#shared/domain/validation/result.ts';
import { validateUscc } from '#shared/domain/validation/uscc.ts';
import { SECTIONS, TRAINING_FIELDS } from './fields.ts';
import { CHECK_MESSAGES, fieldLabel, fillText, PATTERN_HINTS, type Text } from './i18n.ts';

/** The form as typed: text and select values, checkbox groups, single checkboxes. */
export type RawValues = Record<string, string | string[] | boolean>;

export interface FieldMessage {
  path: string;
  message: Text;
}

type Normalizer = (value: string) => string;

const text: Normalizer = (v) => toHalfWidth(v).trim();
const trim: Normalizer = (v) => v.trim();

/**
 * A year and month as people type it, in the body's YYYY-MM: 1980-05, 1980-5, 1980/05, 1980.5,
 * 1980年5月 or 198005 (the digits-only form for phone keypads without a hyphen), full-width
 * digits too. Anything else stays as typed, for the schema check to refuse with its hint.
 */
export function normalizeYearMonth(raw: string): string {
  const value = toHalfWidth(raw).trim();
  const m = /^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$/.exec(value);
  if (!m) return value;
  return `${m[1]}-${(m[2] ?? m[3] ?? '').padStart(2, '0')}`;
}

const NORMALIZERS: Record<string, Normalizer> = {
  role: trim,
  'person.name': normalizePersonName,
  'person.birthYearMonth': normalizeYearMonth,
  'person.officePhone': normalizeOfficePhone,
  'enterprise.contact.phone': normalizeOfficePhone,
  'person.idNumber': normalizeCode,
  'person.mobile': normalizeMobile,
  'person.email': (v) => toHalfWidth(v).trim().toLowerCase(),
  'enterprise.contactEmail': (v) => toHalfWidth(v).trim().toLowerCase(),
  'person.achievements': trim,
  'enterprise.uscc': normalizeCode,
  'enterprise.reportingUnit': normalizeCode,
};

const STRING_PATHS = [
  'role',
  'person.name',
  'person.sex',
  'person.birthYearMonth',
  'person.idType',
  'person.idNumber',
  'person.education',
  'person.major',
  'person.titleName',
  'person.titleLevel',
  'person.position',
  'person.employment',
  'person.appointment.date',
  'person.appointment.documentNumber',
  ...TRAINING_FIELDS.map((f) => `person.training.${f}`),
  'person.mobile',
  'person.officePhone',
  'person.email',
  'enterprise.name',
  'enterprise.uscc',
  'enterprise.reportingUnit',
  'enterprise.industry',
  'enterprise.size',
  'enterprise.contact.name',
  'enterprise.contact.phone',
  'enterprise.contactEmail',
];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys.at(-1);
  if (last !== undefined) node[last] = value;
}

function str(raw: RawValues, path: string): string {
  const value = raw[path];
  return typeof value === 'string' ? value : '';
}

export interface ConsentState {
  noticeVersion: string;
  acceptedAt: string | undefined;
}

/**
 * The request body: empty fields are left out (the schema then reports the required ones),
 * the training block only when any of it is filled; achievements may be empty.
 */
export function buildBody(raw: RawValues, consent: ConsentState): Record<string, unknown> {
  // the required sub-objects are always sent, so a missing field is reported on itself
  const body: Record<string, unknown> = {
    person: { appointment: {} },
    enterprise: { contact: {} },
    consent: {},
  };
  for (const path of STRING_PATHS) {
    const value = (NORMALIZERS[path] ?? text)(str(raw, path));
    if (value !== '') setPath(body, path, value);
  }
  const years = str(raw, 'person.standardsWorkYears').trim();
  if (years !== '' && Number.isFinite(Number(years)))
    setPath(body, 'person.standardsWorkYears', Number(years));
  setPath(
    body,
    'person.achievements',
    (NORMALIZERS['person.achievements'] ?? trim)(str(raw, 'person.achievements')),
  );
  const categories = raw['enterprise.categories'];
  setPath(body, 'enterprise.categories', Array.isArray(categories) ? categories : []);
  // Optional: sent only when at least one is chosen.
  const industries = raw['enterprise.emergingIndustries'];
  if (Array.isArray(industries) && industries.length > 0)
    setPath(body, 'enterprise.emergingIndustries', industries);
  const accepted = raw['consent.accepted'] === true;
  setPath(body, 'consent.accepted', accepted);
  setPath(body, 'consent.noticeVersion', consent.noticeVersion);
  if (accepted && consent.acceptedAt) setPath(body, 'consent.acceptedAt', consent.acceptedAt);
  // Optional and separate from the notice: sent only when ticked.
  if (raw['consent.publication'] === true) setPath(body, 'consent.publication', true);
  return body;
}

// ---- the JSON Schema check --------------------------------------------------------------

function decodePointer(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'));
}

function at(root: unknown, pointer: string): unknown {
  let node = root;
  for (const key of decodePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The schema of one field: `person.name` → properties.person.properties.name. */
export function schemaAt(schema: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const key of path.split('.')) {
    const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
    node = properties?.[key];
  }
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

export interface CheckContext {
  /** Paths whose control is a choice (select, checkbox): "please choose" instead of "required". */
  choices: ReadonlySet<string>;
  /** Number inputs holding something that is not a number. */
  badNumbers: ReadonlySet<string>;
}

function messageFor(
  error: OutputUnit,
  path: string,
  schema: Record<string, unknown>,
  body: unknown,
  ctx: CheckContext,
): Text {
  const label = fieldLabel(path);
  const limit = at(schema, error.keywordLocation);
  const n = typeof limit === 'number' ? limit : '';
  if (path.startsWith('consent.')) return CHECK_MESSAGES.consent;
  const value = at(body, `#/${path.replaceAll('.', '/')}`);
  const empty = value === undefined || value === '';
  switch (error.keyword) {
    case 'required':
      return fillText(ctx.choices.has(path) ? CHECK_MESSAGES.choose : CHECK_MESSAGES.required, { label });
    case 'minLength':
      return fillText(empty ? CHECK_MESSAGES.required : CHECK_MESSAGES.minLength, { label, n });
    case 'maxLength':
      return fillText(CHECK_MESSAGES.maxLength, { label, n });
    case 'pattern':
    case 'format': {
      const hint = PATTERN_HINTS[path];
      return hint
        ? fillText(CHECK_MESSAGES.patternHint, { label, hint })
        : fillText(CHECK_MESSAGES.pattern, { label });
    }
    case 'enum':
    case 'const':
      return fillText(CHECK_MESSAGES.enum, { label });
    case 'minimum':
    case 'exclusiveMinimum':
      return fillText(CHECK_MESSAGES.minimum, { label, n });
    case 'maximum':
    case 'exclusiveMaximum':
      return fillText(CHECK_MESSAGES.maximum, { label, n });
    case 'type':
      return fillText(limit === 'number' ? CHECK_MESSAGES.number : CHECK_MESSAGES.invalid, { label });
    case 'maxItems':
      return fillText(CHECK_MESSAGES.maxItems, { label, n });
    default:
      return fillText(CHECK_MESSAGES.invalid, { label });
  }
}

/** Keywords that only say "something below failed": their own error is reported deeper. */
const SUMMARY_KEYWORDS = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalProperties',
  '$ref',
  'allOf',
]);

// ---- the server's own checks of the code fields -------------------------------------------

const refusal = (result: CheckResult<unknown>): Text | undefined =>
  result.ok ? undefined : result.error.message;

/** The validators the API runs on these fields (filing.ts), with their refusal's zh/en text. */
const CODE_CHECKS: Record<string, (value: string) => Text | undefined> = {
  'person.idNumber': (v) => refusal(validateIdNumber(v)),
  'person.mobile': (v) => refusal(validateMobile(v)),
  'person.officePhone': (v) => refusal(validateOfficePhone(v)),
  'enterprise.uscc': (v) => refusal(validateUscc(v)),
  // either kind of number, as the API takes it
  'enterprise.contact.phone': (v) =>
    validateMobile(v).ok || validateOfficePhone(v).ok ? undefined : CHECK_MESSAGES.contactPhone,
};

/** The code fields of the body that are filled in and refused by the server's validator. */
export function checkCodes(body: Record<string, unknown>): FieldMessage[] {
  const messages: FieldMessage[] = [];
  for (const [path, check] of Object.entries(CODE_CHECKS)) {
    const value = at(body, `#/${path.replaceAll('.', '/')}`);
    if (typeof value !== 'string' || value === '') continue;
    const detail = check(value);
    if (detail)
      messages.push({ path, message: fillText(CHECK_MESSAGES.code, { label: fieldLabel(path), detail }) });
  }
  return messages;
}

/** The fields every filing has, in form order (the role, then every field not marked optional). */
export const REQUIRED_PATHS: readonly string[] = [
  'role',
  ...SECTIONS.flatMap((s) => s.fields)
    .filter((f) => !f.optional)
    .map((f) => f.path),
];

/**
 * The check before a programme is chosen, when there is no served schema yet: every required
 * field left empty, the code fields that are filled in, and the consent, all at once.
 */
export function checkRequired(body: Record<string, unknown>, ctx: CheckContext): FieldMessage[] {
  const found = new Map<string, Text>();
  for (const path of ctx.badNumbers)
    found.set(path, fillText(CHECK_MESSAGES.number, { label: fieldLabel(path) }));
  for (const path of REQUIRED_PATHS) {
    const value = at(body, `#/${path.replaceAll('.', '/')}`);
    if (found.has(path) || (value !== undefined && value !== '')) continue;
    const message = ctx.choices.has(path) ? CHECK_MESSAGES.choose : CHECK_MESSAGES.required;
    found.set(path, fillText(message, { label: fieldLabel(path) }));
  }
  for (const { path, message } of checkCodes(body)) if (!found.has(path)) found.set(path, message);
  if (at(body, '#/consent/accepted') !== true) found.set('consent.accepted', CHECK_MESSAGES.consent);
  return [...found].map(([path, message]) => ({ path, message }));
}

export function makeValidator(schema: Record<string, unknown>): Validator {
  return new Validator(schema as Schema, '2020-12', false);
}

/** Every failing field of the body, one message per field, in form order. */
export function checkBody(
  validator: Validator,
  schema: Record<string, unknown>,
  body: Record<string, unknown>,
  ctx: CheckContext,
): FieldMessage[] {
  const found = new Map<string, Text>();
  for (const path of ctx.badNumbers)
    found.set(path, fillText(CHECK_MESSAGES.number, { label: fieldLabel(path) }));
  const result = validator.validate(body);
  for (const error of result.errors) {
    if (SUMMARY_KEYWORDS.has(error.keyword)) continue;
    const segments = decodePointer(error.instanceLocation);
    if (error.keyword === 'required') {
      const property = /"([^"]+)"/.exec(error.error)?.[1];
      if (property === undefined) continue;
      segments.push(property);
    }
    // an array item's error belongs to the array's field
    const path = segments.filter((s) => !/^\d+$/.test(s)).join('.');
    if (found.has(path)) continue;
    found.set(path, messageFor(error, path, schema, body, ctx));
  }
  // The schema only says these are strings: the check digits and number formats are the validators'.
  for (const { path, message } of checkCodes(body)) if (!found.has(path)) found.set(path, message);
  // consent errors all land on its checkbox
  const messages: FieldMessage[] = [];
  const seen = new Set<string>();
  for (const [path, message] of found) {
    const target = path.startsWith('consent') ? 'consent.accepted' : path;
    if (seen.has(target)) continue;
    seen.add(target);
    messages.push({ path: target, message });
  }
  return messages;
}
