// Generators for the e2e fuzzer (test/e2e/fuzz.test.ts). A generated request is a plan: plain
// data that fast-check can shrink and print, naming routes, filings, tokens and review links by
// index. The plan is resolved into a concrete request only when it is sent, against what the
// running runtime knows then (the filings accepted so far, fresh uploads for a filing body).
import fc from 'fast-check';
import { STATES } from '#shared/domain/lifecycle.ts';
import { getProgram, PROGRAMS } from '#shared/domain/programs/index.ts';
import { matchPath, ROUTES, type Route } from '#shared/http/routes.ts';
import { idNumberFor, usccFor, validFiling } from './fixtures.ts';

/** Every registered programme: a programme added by configuration is fuzzed with no change here. */
const PROGRAM_IDS: readonly string[] = PROGRAMS.map((p) => p.id);
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ---------------------------------------------------------------------------------------------
// Strings

/** Values the scan of the e2e run treats as personal data: never put them in a path or header. */
const LOOKS_PERSONAL = [
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/,
  /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/,
  /(?<![0-9A-Za-z])1[3-9]\d{9}(?!\d)/,
];
export const looksPersonal = (s: string) => LOOKS_PERSONAL.some((re) => re.test(s));

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE filings; --",
  '1 UNION SELECT pk, sk FROM standards',
  '" OR ""="',
  '{"$gt":""}',
  '{"$ne":null}',
  '{"$where":"sleep(1000)"}',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '....//....//etc/passwd',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  "javascript:alert('x')",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection string, sent as is
  '${jndi:ldap://127.0.0.1/a}',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'FILING#F0000000000000',
  'LINK#x',
  'COUNTERS#liaoning-cso',
  'attribute_exists(pk)',
  '%s%s%s%n',
  '\r\nSet-Cookie: a=b',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '',
  ' ',
  '\u0000',
  '\u202e\u0644\u0627',
  '\ufeff',
  'A'.repeat(300),
];

const EMOJI = ['😀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇨🇳', '𠮷野家', '🀄', '️', '\u{1F9D1}\u{200D}\u{1F4BB}'];

const charRange = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
const control = fc.oneof(charRange(0, 0x1f), charRange(0x7f, 0x9f));
const fullWidth = charRange(0xff01, 0xff5e);
const cjk = charRange(0x4e00, 0x9fff);
const surrogate = charRange(0xd800, 0xdfff);

/** Broken codes: credit codes, ID numbers and phones that are almost right. */
const brokenCode = fc.nat({ max: 5000 }).chain((n) => {
  const uscc = usccFor(n);
  const id = idNumberFor(n).idNumber;
  const swap = (s: string, i: number, c: string) => `${s.slice(0, i)}${c}${s.slice(i + 1)}`;
  const toFullWidth = (s: string) =>
    [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
  return fc.constantFrom(
    swap(uscc, 17, uscc[17] === '0' ? '1' : '0'),
    uscc.toLowerCase(),
    uscc.slice(0, 17),
    `${uscc}0`,
    swap(uscc, 9, 'I'),
    swap(uscc, 3, 'O'),
    toFullWidth(swap(uscc, 17, uscc[17] === '0' ? '1' : '0')),
    `${uscc.slice(0, 6)}-${uscc.slice(6)}`,
    swap(id, 17, id[17] === '0' ? '1' : '0'),
    swap(id, 10, '1').replace(/(\d{6})\d{4}1/, '$1199913'),
    id.slice(0, 15),
    `${id.slice(0, 17)}Y`,
    `${id.slice(0, 8)}X${id.slice(9)}`,
    toFullWidth(id.slice(0, 17)),
    '000000000000000000',
    '+86 1380000',
    '1380000123',
    '138-0000-12345',
    '123456789012',
    '10086',
    '(024)2345-6789',
    '024-2345678-123',
    '+86-0-0',
  );
});

/** Any troublesome string: injections, control, full-width, CJK, emoji, surrogates, broken codes. */
export const fuzzString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 2, arbitrary: brokenCode },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: control, maxLength: 10 }) },
    { weight: 1, arbitrary: fc.string({ unit: fullWidth, minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: cjk, minLength: 1, maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: surrogate, minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...INJECTIONS),
          fc.constantFrom(...EMOJI),
          fc.string({ unit: cjk, maxLength: 5 }),
        )
        .map((parts) => parts.join('')),
    },
  )
  .filter((s) => !looksPersonal(s));

/** A long string, mostly under the 64 KB body limit, sometimes over it. */
const hugeString = fc
  .tuple(
    fc.constantFrom('x', '标', '😀', '\u0000', '"'),
    fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 500, max: 15_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 22_000, max: 40_000 }) },
    ),
  )
  .map(([unit, count]) => unit.repeat(count));

/** Printable ASCII only (what a header or a token may carry), never personal-looking. */
const asciiText = (maxLength: number) =>
  fc.string({ unit: charRange(0x20, 0x7e), maxLength }).filter((s) => !looksPersonal(s));

// ---------------------------------------------------------------------------------------------
// JSON values

const fuzzScalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fuzzString },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 53, 1e308, -1e-308, 0.5) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Wrong types for any field: scalars, arrays, objects, operator objects. */
export const fuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fuzzScalar },
  { weight: 1, arbitrary: fc.array(fuzzScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fuzzString, fuzzScalar, { maxKeys: 4 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ $gt: '' }, { $ne: null }, { $regex: '.*' }, { __proto__: null }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

// ---------------------------------------------------------------------------------------------
// Plans

export type Param =
  | { kind: 'known'; i: number }
  | { kind: 'fuzz'; s: string; enc: 'component' | 'raw' }
  | { kind: 'broken'; s: string };

export type Auth =
  | { kind: 'none' }
  | { kind: 'staff'; i: number }
  | { kind: 'badStaff'; i: number }
  | {
      kind: 'receipt';
      how: 'right' | 'other' | 'flipped' | 'truncated' | 'longer' | 'random' | 'empty';
      scheme: string;
      place: 'header' | 'query' | 'both';
    }
  | { kind: 'raw'; s: string };

export type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'replace'; at: number; value: unknown };

export type Benign = 'idLower' | 'mobile86' | 'usccFullWidth' | 'padName' | 'freeText' | 'noOffice';

export type Body =
  | { kind: 'none' }
  | {
      kind: 'filing';
      program: number;
      unit: number;
      role: number;
      benign: { change: Benign; text: string }[];
      mutations: Mutation[];
      attach: 'upload' | 'fake' | 'none';
      idempotency: 'none' | 'shared' | 'fresh' | 'bad';
      shared: number;
    }
  | { kind: 'json'; value: unknown }
  | {
      kind: 'malformed';
      how: 'truncate' | 'insert' | 'trailing' | 'single-quotes' | 'bom' | 'text';
      at: number;
      s: string;
    }
  | { kind: 'deep'; depth: number; shape: 'array' | 'object' }
  | { kind: 'raw-json'; text: string }
  | { kind: 'huge'; s: string }
  | { kind: 'upload'; value: unknown }
  | { kind: 'reveal'; value: unknown }
  | { kind: 'resume'; value: unknown }
  | { kind: 'departure'; value: unknown }
  | { kind: 'form'; pairs: [string, string][] }
  | { kind: 'workbook'; op: 'as-is' | 'flip' | 'truncate'; at: number; byte: number }
  | { kind: 'bytes'; bytes: Uint8Array };

export interface Plan {
  /** Index into ROUTES, or a stray path outside the route table. */
  target: { route: number } | { stray: string };
  /** undefined: the route's own method. */
  method?: string;
  params: Record<string, Param>;
  query: [string, Param][];
  auth: Auth;
  /** 'auto': what the body kind calls for; 'none': no content-type at all. */
  contentType: string;
  body: Body;
  headers: [string, string][];
  foreignOrigin: boolean;
}

const ROUTE_PARAMS = ['programId', 'filingId', 'unit', 'year', 'token', 'batchId'] as const;

const param: fc.Arbitrary<Param> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('known' as const), i: fc.nat(50) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fuzz' as const),
      s: fc.oneof(fuzzString, asciiText(200)),
      enc: fc.constantFrom('component' as const, 'component' as const, 'raw' as const),
    }),
  },
  // Percent signs not followed by two hex digits, and encodings of invalid UTF-8.
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('broken' as const),
      s: fc.constantFrom('%', '%E0%A4%A', '%ZZ', 'a%2', '%C0%AF', '%FF', '%ED%A0%80', '%00', '%u0041'),
    }),
  },
);

const staffTokensCount = 16;
/** Who calls: on staff routes mostly staff, on receipt routes mostly a receipt, elsewhere anyone. */
const authFor = (route: Route | undefined): fc.Arbitrary<Auth> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: route?.access === 'staff' ? 12 : 2,
      arbitrary: fc.record({ kind: fc.constant('staff' as const), i: fc.nat(staffTokensCount) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('badStaff' as const), i: fc.nat(staffTokensCount) }),
    },
    {
      weight: route?.access === 'receipt' ? 10 : 2,
      arbitrary: fc.record({
        kind: fc.constant('receipt' as const),
        how: fc.constantFrom(
          'right' as const,
          'right' as const,
          'other' as const,
          'flipped' as const,
          'truncated' as const,
          'longer' as const,
          'random' as const,
          'empty' as const,
        ),
        scheme: fc.constantFrom(
          'Receipt',
          'Receipt',
          'receipt',
          'RECEIPT',
          'Bearer',
          '',
          'Receipt  ',
          'Basic',
        ),
        place: fc.constantFrom('header' as const, 'header' as const, 'query' as const, 'both' as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), s: asciiText(300) }) },
  );

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fuzzValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(fuzzString, fc.constantFrom('__proto__', 'constructor', 'extra', 'status', 'filingId')),
      value: fuzzValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fuzzValue }),
  },
);

const benign = fc.record({
  change: fc.constantFrom<Benign>('idLower', 'mobile86', 'usccFullWidth', 'padName', 'freeText', 'noOffice'),
  text: fc.oneof(
    fc.constantFrom(...INJECTIONS.filter((s) => s.length < 100)),
    fc.constantFrom(...EMOJI),
    fc.string({ unit: cjk, maxLength: 20 }),
  ),
});

const filingBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('filing' as const),
  // 0–2 the first registered programme, each higher value one of the others: every programme is
  // fuzzed, the first (Liaoning's, with the most roles and both review stages) most.
  program: fc.nat(PROGRAM_IDS.length + 1),
  unit: fc.nat(50),
  role: fc.nat(5),
  benign: fc.array(benign, { maxLength: 3 }),
  mutations: fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as Mutation[]) },
    { weight: 5, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) },
  ),
  attach: fc.constantFrom('upload' as const, 'upload' as const, 'fake' as const, 'none' as const),
  idempotency: fc.constantFrom(
    'none' as const,
    'none' as const,
    'shared' as const,
    'fresh' as const,
    'bad' as const,
  ),
  shared: fc.nat(3),
});

const malformed: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('malformed' as const),
  how: fc.constantFrom(
    'truncate' as const,
    'insert' as const,
    'trailing' as const,
    'single-quotes' as const,
    'bom' as const,
    'text' as const,
  ),
  at: fc.nat(),
  s: fc.oneof(fuzzString, fc.constantFrom('{', '}', ']', ',', ':', '"', '\\', 'NaN', '/*x*/', 'undefined')),
});

const rawJson: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('raw-json' as const),
  text: fc.constantFrom(
    '{"__proto__":{"admin":true},"role":"cso"}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"role":"cso","role":"director"}',
    '{"person":{"standardsWorkYears":1e999}}',
    '{"person":{"standardsWorkYears":-1e999}}',
    '[]',
    '""',
    '0',
    'null',
    'true',
    '"\\ud800"',
    '{"\\u0000":1}',
    '{"a":"\\u0000\\u001f\\u007f"}',
    '{"fields":{"$gt":""},"reason":{"$ne":null}}',
    '{"kind":{"$in":["appointment"]},"contentType":"application/pdf","size":1}',
  ),
});

const deep: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('deep' as const),
  depth: fc.oneof(fc.integer({ min: 10, max: 200 }), fc.integer({ min: 1_000, max: 12_000 })),
  shape: fc.constantFrom('array' as const, 'object' as const),
});

const jsonBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('json' as const),
  value: fc.oneof(fuzzValue, fc.dictionary(fuzzString, fuzzValue, { maxKeys: 8 })),
});

const uploadBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('upload' as const),
  value: fc.record(
    {
      kind: fc.oneof(fc.constantFrom('appointment', 'endorsement', 'photo'), fuzzString),
      contentType: fc.oneof(
        fc.constantFrom('application/pdf', 'image/jpeg', 'image/png', 'text/html', 'image/svg+xml'),
        fuzzString,
      ),
      size: fc.oneof(
        fc.integer({ min: -10, max: 6_000_000 }),
        fc.constantFrom(0, 5_242_880, 5_242_881, 1.5),
        fuzzValue,
      ),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

const revealBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('reveal' as const),
  value: fc.record(
    {
      fields: fc.oneof(
        fc.subarray(['idNumber', 'mobile', 'email', 'officePhone', 'name']),
        fc.array(fuzzString, { maxLength: 3 }),
        fuzzValue,
      ),
      reason: fc.oneof(fc.constantFrom('核实联系方式 fuzz', '核对身份 fuzz'), fuzzString, hugeString),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

const resumeBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('resume' as const),
  value: fc.record(
    {
      reason: fc.oneof(fc.constantFrom('流程故障后恢复 fuzz', '重新审核 fuzz'), fuzzString, hugeString),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

const formKey = fc.oneof(
  fc.constantFrom(
    'decision',
    'reason',
    'page',
    'confirm',
    'grade',
    'decision_',
    'grade_',
    'reason_',
    'confirm_',
  ),
  fc.constantFrom('decision_F', 'grade_F', 'reason_F', 'confirm_F'), // completed with a known filing id
  fuzzString,
);
const formValue = fc.oneof(
  fc.constantFrom(
    'approve',
    'reject',
    'request_changes',
    'include',
    'decline',
    'excellent',
    'qualified',
    'basically_qualified',
    'unqualified',
    'yes',
    '1',
    '0',
    '-1',
    '99999',
  ),
  fuzzString,
  hugeString,
);
const formBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('form' as const),
  pairs: fc.array(fc.tuple(formKey, formValue), { maxLength: 6 }),
});

const workbookBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('workbook' as const),
  op: fc.constantFrom('as-is' as const, 'flip' as const, 'flip' as const, 'truncate' as const),
  at: fc.nat(),
  byte: fc.nat(255),
});

const bytesBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('bytes' as const),
  bytes: fc.uint8Array({ maxLength: 300 }),
});

const hugeBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('huge' as const),
  s: fc
    .oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1_000, max: 60_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 65_000, max: 90_000 }) },
    )
    .map((n) => 'x'.repeat(n)),
});

/** A yearly plan: units known and made up, roles known and made up, counts in and out of range. */
const planBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('json' as const),
  value: fc.record(
    {
      units: fc.oneof(
        fc.array(
          fc.record(
            {
              unit: fc.oneof(fc.constantFrom('210100', '210200', '21-SF', '340100', '341882'), fuzzString),
              people: fc.oneof(
                fc.dictionary(
                  fc.oneof(fc.constantFrom('cso', 'director', 'specialist'), fuzzString),
                  fc.oneof(fc.integer({ min: -5, max: 200_000 }), fuzzValue),
                  { maxKeys: 4 },
                ),
                fuzzValue,
              ),
              enterprises: fc.oneof(fc.integer({ min: -5, max: 2_000_000 }), fuzzValue),
              extra: fuzzValue,
            },
            { requiredKeys: ['unit', 'people'] },
          ),
          { maxLength: 20 },
        ),
        fuzzValue,
      ),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

const departureBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('departure' as const),
  value: fc.record(
    {
      kind: fc.oneof(fc.constantFrom('left_post', 'consent_withdrawn'), fuzzString),
      leftOn: fc.oneof(fc.constantFrom('2026-01-31', '2999-12-31', '2026-02-30'), fuzzString),
      reason: fc.oneof(fc.constantFrom('resigned', 'retired', 'other'), fuzzString),
      note: fc.oneof(fuzzString, hugeString),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

const trainingBatchBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('json' as const),
  value: fc.record(
    {
      organizer: fc.oneof(fc.constantFrom('province', '210100', '340100', '999999', 'PROVINCE'), fuzzString),
      course: fc.oneof(fc.constantFrom('首席标准官培训班 fuzz'), fuzzString, hugeString),
      startDate: fc.oneof(fc.constantFrom('2021-10-20', '2022-02-30', '2999-01-01'), fuzzString),
      endDate: fc.oneof(fc.constantFrom('2021-10-22', '2021-10-19'), fuzzString),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

const selectionBody: fc.Arbitrary<Body> = fc.record({
  kind: fc.constant('json' as const),
  value: fc.record(
    {
      selected: fc.oneof(
        fc.array(fc.oneof(fc.constantFrom('F0000000000001', 'not-a-nominee', ''), fuzzString), {
          maxLength: 5,
        }),
        fuzzValue,
      ),
      extra: fuzzValue,
    },
    { requiredKeys: [] },
  ),
});

/** The body a route calls for, most of the time, and anything else some of the time. */
function bodyFor(route: Route | undefined): fc.Arbitrary<Body> {
  const other = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 2, arbitrary: jsonBody },
    { weight: 1, arbitrary: malformed },
    { weight: 1, arbitrary: formBody },
    { weight: 1, arbitrary: bytesBody },
    { weight: 1, arbitrary: hugeBody },
    { weight: 1, arbitrary: deep },
  );
  const natural: fc.Arbitrary<Body> | undefined =
    route?.body === 'FilingInput'
      ? fc.oneof(
          { weight: 8, arbitrary: filingBody },
          { weight: 2, arbitrary: malformed },
          { weight: 1, arbitrary: rawJson },
          { weight: 1, arbitrary: deep },
        )
      : route?.body === 'UploadRequest'
        ? fc.oneof({ weight: 4, arbitrary: uploadBody }, { weight: 1, arbitrary: rawJson })
        : route?.body === 'RevealRequest'
          ? fc.oneof({ weight: 4, arbitrary: revealBody }, { weight: 1, arbitrary: rawJson })
          : route?.body === 'ResumeRequest' || route?.body === 'RemovalRequest'
            ? fc.oneof({ weight: 4, arbitrary: resumeBody }, { weight: 1, arbitrary: rawJson })
            : route?.body === 'DepartureRequest'
              ? fc.oneof({ weight: 4, arbitrary: departureBody }, { weight: 1, arbitrary: rawJson })
              : route?.body === 'PlanRequest'
                ? fc.oneof({ weight: 4, arbitrary: planBody }, { weight: 1, arbitrary: rawJson })
                : route?.body === 'TrainingBatchRequest'
                  ? fc.oneof({ weight: 4, arbitrary: trainingBatchBody }, { weight: 1, arbitrary: rawJson })
                  : route?.body === 'SelectionRequest'
                    ? fc.oneof({ weight: 4, arbitrary: selectionBody }, { weight: 1, arbitrary: rawJson })
                    : route?.access === 'review-link' && route.method === 'POST'
                      ? formBody
                      : route?.id === 'staffImport' ||
                          route?.id === 'staffPlanUpload' ||
                          route?.id === 'staffTrainingPasses'
                        ? fc.oneof(
                            { weight: 3, arbitrary: workbookBody },
                            { weight: 1, arbitrary: bytesBody },
                          )
                        : undefined;
  return natural ? fc.oneof({ weight: 4, arbitrary: natural }, { weight: 1, arbitrary: other }) : other;
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=gbk',
  'application/vnd.api+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'text/plain',
  'text/html',
  'application/xml',
  XLSX_TYPE,
  'application/octet-stream',
  '',
  'json',
  '*/*',
  'application/json, text/plain',
];

const queryKey = (route: Route | undefined) =>
  fc.oneof(
    ...(route?.query?.length ? [{ weight: 6, arbitrary: fc.constantFrom(...route.query) }] : []),
    { weight: route?.access === 'receipt' ? 3 : 1, arbitrary: fc.constant('receipt') },
    {
      weight: 1,
      arbitrary: fc.oneof(fuzzString, fc.constantFrom('unit', 'status', 'limit', 'cursor', 'format')),
    },
  );

const STRAY_PATHS = [
  '/',
  '/index.html',
  '/admin',
  '/.env',
  '/.git/config',
  '/programs/',
  '//programs',
  '/filings',
  '/filings/',
  '/staff',
  '/staff/programs',
  '/review',
  '/review/',
  '/return/',
  '/openapi.yaml',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/site/../../package.json',
  '/programs/liaoning-cso/filings/extra',
  '/PROGRAMS',
  '/programs%2fliaoning-cso',
  '/%ZZ',
  '/%E0%A4%A',
];

/** Route indexes, submit four times over: filings are what most of the table holds. */
const ROUTE_WEIGHTS = ROUTES.flatMap((route, i) => (route.id === 'submitFiling' ? [i, i, i, i] : [i]));

/** One request plan: mostly routes of the table (each about equally, submit more), sometimes stray paths. */
export const planArb: fc.Arbitrary<Plan> = fc
  .oneof(
    { weight: 25, arbitrary: fc.constantFrom(...ROUTE_WEIGHTS).map((route) => ({ route })) },
    { weight: 1, arbitrary: fc.constantFrom(...STRAY_PATHS).map((stray) => ({ stray })) },
  )
  .chain((target) => {
    const route = 'route' in target ? ROUTES[target.route] : undefined;
    return fc.record({
      target: fc.constant(target),
      method: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS') },
      ),
      params: fc.record(Object.fromEntries(ROUTE_PARAMS.map((name) => [name, param]))) as fc.Arbitrary<
        Record<string, Param>
      >,
      query: fc.oneof(
        // What the route reads, with plausible values; or anything.
        ...(route?.query?.length
          ? [
              fc
                .subarray([...route.query])
                .chain((keys) =>
                  fc.tuple(
                    ...keys.map((key) =>
                      fc.tuple(
                        fc.constant(key),
                        fc.record({ kind: fc.constant('known' as const), i: fc.nat(50) }),
                      ),
                    ),
                  ),
                ) as fc.Arbitrary<[string, Param][]>,
            ]
          : []),
        fc.array(fc.tuple(queryKey(route), param), { maxLength: 4 }),
      ),
      auth: authFor(route),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant('auto') },
        { weight: 1, arbitrary: fc.constant('none') },
        { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      body: bodyFor(route),
      headers: fc.array(
        fc.tuple(
          fc.constantFrom(
            'accept',
            'accept-language',
            'x-forwarded-for',
            'cookie',
            'idempotency-key',
            'x-amz-date',
            'x-http-method-override',
            'referer',
          ),
          asciiText(200),
        ),
        { maxLength: 2 },
      ),
      foreignOrigin: fc.boolean(),
    });
  })
  .map((plan) => Object.assign(plan, { [fc.toStringMethod]: () => describePlan(plan) }));

function describePlan(plan: Plan): string {
  const short = (v: unknown) => {
    const text =
      typeof v === 'string'
        ? v
        : JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? `<${x.length} bytes>` : x));
    return (text ?? String(v)).length > 160 ? `${(text ?? '').slice(0, 160)}…(${(text ?? '').length})` : text;
  };
  const target = 'route' in plan.target ? ROUTES[plan.target.route]?.id : `stray ${plan.target.stray}`;
  return `${plan.method ?? 'own'} ${target} params=${short(plan.params)} query=${short(plan.query)} auth=${short(plan.auth)} ct=${plan.contentType} body=${short(plan.body)} headers=${short(plan.headers)}${plan.foreignOrigin ? ' foreign-origin' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Resolution

export interface KnownFiling {
  filingId: string;
  receiptToken: string;
  programId: string;
  unit: string;
  role: string;
}

export interface FuzzContext {
  baseUrl: string;
  filings(): readonly KnownFiling[];
  /** Tokens of real review links (from the outbox), and the filing each is about. */
  links(): readonly { token: string; filingId: string }[];
  /** Valid staff tokens and forged or broken ones, each with a name for failure reports. */
  staffTokens: readonly { name: string; token: string }[];
  badStaffTokens: readonly { name: string; token: string }[];
  workbook: Uint8Array;
  years: readonly string[];
  nextN(): number;
  /** The filing with freshly uploaded documents (as the site does before submitting). */
  withDocuments(programId: string, filing: object): Promise<object>;
}

export interface FuzzCall {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The route the server matches (its own rules), if any. */
  route?: Route;
  /** The decoded path parameters of that route. */
  params: Record<string, string>;
  /** A valid staff token was presented. */
  staffValid: boolean;
  /** The right receipt of the path's filing was presented (header or query). */
  receiptRight: boolean;
  /** A filing body's programme, unit and role, when the body is one. */
  filing?: { programId: string; unit: string; role: string };
  /** The review link (from the outbox) the path names, if any. */
  linkFilingId?: string;
  /** Who the request presents itself as, in words. */
  who: string;
  describe(): string;
}

const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length ? list[i % list.length] : undefined;

const flip = (token: string) => {
  const i = Math.floor(token.length / 2);
  return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
};

const randomToken = (seed: number) => Buffer.alloc(32, seed % 256).toString('base64url');

/** The leaves and objects of a JSON value, by path, for mutations. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (value !== null && typeof value === 'object') {
    out.push(prefix);
    for (const [k, v] of Object.entries(value))
      paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  } else out.push(prefix);
  return out;
}

function at(root: Record<string, unknown>, path: (string | number)[]) {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  return { parent: node as Record<string | number, unknown>, key: path[path.length - 1] };
}

function applyMutation(root: Record<string, unknown>, m: Mutation) {
  const all = paths(root).filter((p) => p.length > 0);
  const path = all[m.at % all.length];
  if (!path) return;
  const { parent, key } = at(root, path);
  if (key === undefined || parent === null || typeof parent !== 'object') return;
  // A copy: generated values may be shared constants (`{ $gt: '' }`), and a later mutation of
  // this body must not change them for every other run (nor make one contain itself).
  const value = 'value' in m ? structuredClone(m.value) : undefined;
  if (m.op === 'set' || m.op === 'replace') parent[key] = value;
  else if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else {
    const target = parent[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      Object.defineProperty(target, m.key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (Array.isArray(parent)) {
      // An extra element. A key such as "1380000123" defined on an array is an index: the array
      // became 1.4 billion long and the body could not be serialized (a harness failure, seed
      // 1300484594).
      parent.push(value);
    } else {
      Object.defineProperty(parent, m.key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}

function applyBenign(filing: ReturnType<typeof validFiling>, change: Benign, text: string) {
  const person = filing.person as Record<string, unknown> & typeof filing.person;
  if (change === 'idLower') person.idNumber = person.idNumber.toLowerCase();
  if (change === 'mobile86') person.mobile = `+86${person.mobile}`;
  if (change === 'usccFullWidth') {
    filing.enterprise.uscc = [...filing.enterprise.uscc]
      .map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
      .join('');
  }
  if (change === 'padName') person.name = ` ${person.name}\u3000`;
  if (change === 'freeText') person.achievements = `${person.achievements}${text}`;
  if (change === 'noOffice') delete person.officePhone;
}

/** Percent-encodes the UTF-8 of `s` (a lone surrogate becomes U+FFFD), keeping `keep` as is. */
function percentEncode(s: string, keep: RegExp): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function encodeParam(p: Param, known: string | undefined): string {
  if (p.kind === 'known') return encodeURIComponent(known ?? 'x');
  if (p.kind === 'broken') return p.s;
  // As typed (only what the URL parser would reject is encoded), or as one path segment.
  const encoded =
    p.enc === 'raw' ? percentEncode(p.s, /[\x21-\x7e]/) : percentEncode(p.s, /[A-Za-z0-9_.!~*'()-]/);
  return (p.enc === 'raw' ? encoded.replace(/[#?]/g, encodeURIComponent) : encoded) || '-';
}

/** What a `known` value of each path parameter or query key is. */
function knownValue(name: string, i: number, ctx: FuzzContext, path: Record<string, string>): string {
  const filing = pick(ctx.filings(), i);
  const program =
    path.programId && PROGRAM_IDS.includes(path.programId)
      ? getProgram(path.programId)
      : getProgram(pick(PROGRAM_IDS, i) ?? 'liaoning-cso');
  const date = (d: number) =>
    new Date(Date.UTC(2020, 0, 1) + (d % 2600) * 86_400_000).toISOString().slice(0, 10);
  switch (name) {
    case 'programId':
      return pick(PROGRAM_IDS, i) ?? '';
    case 'filingId':
      return filing?.filingId ?? 'F0000000000000';
    case 'unit':
      return pick(program.reportingUnits, i)?.code ?? '';
    case 'year':
      return pick(ctx.years, i) ?? '2025';
    case 'token':
      return i % 3 === 0 ? randomToken(i) : (pick(ctx.links(), i)?.token ?? randomToken(i));
    case 'status':
      return pick(STATES, i) ?? '';
    case 'role':
      return pick(program.roles, i)?.id ?? '';
    case 'from':
    case 'to':
    case 'asOf':
      return date(i * 97);
    case 'limit':
      return String([1, 2, 20, 100, 0, 101, -1][i % 7]);
    case 'format':
      return pick(['json', 'csv', 'xlsx', 'html', 'pdf', 'CSV'], i) ?? '';
    case 'page':
      return String(i % 4);
    case 'fileName':
      return pick(['名单.xlsx', '../../x.xlsx', 'a.csv'], i) ?? '';
    case 'batchId':
      return `B${String(i).padStart(12, '0')}`;
    case 'cursor': {
      // Cursors as the server makes them, some pointing into the right partition with a bad key.
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      // The first unit a caller lists, often: a cursor only continues its own partition.
      const unit = pick(program.reportingUnits, i % 2 === 0 ? 0 : i)?.code ?? '210100';
      const partition = `PROGRAM#${program.id}#UNIT#${unit}`;
      return (
        pick(
          [
            b64({ u: i % 20 }),
            b64({ u: 0, c: b64({ gsi1pk: partition }) }),
            b64({ u: 0, c: b64({ gsi1pk: partition, gsi1sk: 'x', pk: 'FILING#x', sk: 'BODY' }) }),
            b64({ u: -1 }),
            b64({ pk: `ACCESS#${program.id}#${unit}` }),
            'not-a-cursor',
          ],
          i,
        ) ?? ''
      );
    }
    case 'receipt':
      return filing?.receiptToken ?? '';
    default:
      return String(i);
  }
}

/** The route the local server (as API Gateway) matches for a method and path. */
export function serverRoute(
  method: string,
  pathname: string,
): { route?: Route; params: Record<string, string> } {
  const candidates: { route: Route; params: Record<string, string> }[] = [];
  for (const route of ROUTES) {
    let params: Record<string, string> | undefined;
    try {
      params = matchPath(route.path, pathname);
    } catch {
      params = undefined;
    }
    if (params) candidates.push({ route, params });
  }
  const match =
    candidates.find((c) => c.route.method === method) ?? (method === 'OPTIONS' ? candidates[0] : undefined);
  return match ?? { params: {} };
}

function jsonText(body: Body): string | undefined {
  if (
    body.kind === 'json' ||
    body.kind === 'upload' ||
    body.kind === 'reveal' ||
    body.kind === 'resume' ||
    body.kind === 'departure'
  )
    return JSON.stringify(body.value);
  if (body.kind === 'raw-json') return body.text;
  if (body.kind === 'huge') return JSON.stringify({ role: 'cso', person: { achievements: body.s } });
  if (body.kind === 'deep') {
    return body.shape === 'array'
      ? `${'['.repeat(body.depth)}1${']'.repeat(body.depth)}`
      : `${'{"a":'.repeat(body.depth)}1${'}'.repeat(body.depth)}`;
  }
  if (body.kind === 'malformed') {
    const valid = JSON.stringify(validFiling({ n: 1 }));
    const i = body.at % valid.length;
    switch (body.how) {
      case 'truncate':
        return valid.slice(0, Math.max(1, i));
      case 'insert':
        return `${valid.slice(0, i)}${body.s || '{'}${valid.slice(i)}`;
      case 'trailing':
        return `${valid}${body.s || ','}`;
      case 'single-quotes':
        return valid.replaceAll('"', "'");
      case 'bom':
        return `\ufeff${valid}`;
      default:
        return body.s || '{';
    }
  }
  return undefined;
}

/** Turns a plan into the request to send, against what the runtime knows now. */
export async function resolvePlan(plan: Plan, ctx: FuzzContext): Promise<FuzzCall> {
  const planned = 'route' in plan.target ? ROUTES[plan.target.route] : undefined;
  const method = plan.method ?? planned?.method ?? 'GET';
  // Path parameters: known values are resolved in order, the programme first (units follow it).
  const decoded: Record<string, string> = {};
  let pathname = plan.target && 'stray' in plan.target ? plan.target.stray : (planned?.path ?? '/');
  for (const name of ROUTE_PARAMS) {
    if (!pathname.includes(`{${name}}`)) continue;
    const p = plan.params[name] ?? { kind: 'known', i: 0 };
    const known = p.kind === 'known' ? knownValue(name, p.i, ctx, decoded) : undefined;
    if (known !== undefined) decoded[name] = known;
    pathname = pathname.replace(`{${name}}`, encodeParam(p, known));
  }
  // Never the runtime's inspection pages (some of them act: tick, send-batches).
  const normalized = new URL(pathname, ctx.baseUrl).pathname;
  if (normalized === '/_local' || normalized.startsWith('/_local/')) pathname = `/x${pathname}`;

  const query = new URLSearchParams();
  const rawQuery: string[] = [];
  for (const [key, p] of plan.query) {
    if (p.kind === 'known') query.append(key, knownValue(key, p.i, ctx, decoded));
    else if (p.kind === 'broken') rawQuery.push(`${encodeURIComponent(key.toWellFormed())}=${p.s}`);
    else query.append(key, p.s);
  }

  // The filing the path names (for receipts and review links).
  const target = ctx.filings().find((f) => f.filingId === decoded.filingId);
  const headers: Record<string, string> = {};
  let staffValid = false;
  let receiptRight = false;
  let who = 'nobody';
  const a = plan.auth;
  if (a.kind === 'staff' || a.kind === 'badStaff') {
    const staff = pick(a.kind === 'staff' ? ctx.staffTokens : ctx.badStaffTokens, a.i);
    headers.authorization = `Bearer ${staff?.token}`;
    staffValid = a.kind === 'staff';
    who = `${a.kind === 'staff' ? 'staff' : 'a forged or broken staff token'}: ${staff?.name}`;
  } else if (a.kind === 'raw') {
    headers.authorization = a.s;
    who = 'an odd authorization header';
  } else if (a.kind === 'receipt') {
    who = `a receipt (${a.how}, ${a.place}, scheme "${a.scheme}")`;
    const own = target ?? pick(ctx.filings(), 0);
    const other = ctx.filings().find((f) => f.filingId !== own?.filingId);
    const right = own?.receiptToken ?? '';
    const token = {
      right,
      other: other?.receiptToken ?? 'x',
      flipped: flip(right),
      truncated: right.slice(0, -1),
      longer: `${right}A`,
      random: randomToken(right.length),
      empty: '',
    }[a.how];
    const presented = a.how === 'right' && own !== undefined && own === target;
    if (a.place !== 'query') {
      headers.authorization = `${a.scheme}${a.scheme.endsWith(' ') ? '' : ' '}${token}`.trim();
      if (presented && /^receipt$/i.test(a.scheme.trim())) receiptRight = true;
    }
    if (a.place !== 'header') {
      query.append('receipt', token);
      if (presented) receiptRight = true;
    }
  }
  for (const [name, value] of plan.headers) headers[name] = value;
  if (plan.foreignOrigin) headers.origin = 'https://evil.example';

  // The body.
  let body: string | Uint8Array | undefined;
  let contentType: string | undefined;
  let filing: FuzzCall['filing'];
  const b = plan.body;
  if (b.kind === 'filing') {
    // The programme the path names, when it names one; else the body's own.
    const programId =
      PROGRAM_IDS.find((id) => id === decoded.programId) ??
      pick(PROGRAM_IDS, Math.max(0, b.program - 2)) ??
      '';
    const program = getProgram(programId);
    const unit = pick(program.reportingUnits, b.unit)?.code ?? '';
    const role = pick(program.roles, b.role)?.id ?? '';
    const n = ctx.nextN();
    // The fixture takes the notice version from the programme of the unit and role.
    let value = validFiling({ n, unit, role });
    for (const { change, text } of b.benign) applyBenign(value, change, text);
    if (b.attach === 'upload') value = (await ctx.withDocuments(programId, value)) as typeof value;
    if (b.attach === 'fake') {
      Object.assign(value, {
        attachments: program.requiredAttachments.map((kind, i) => ({
          kind,
          key: `uploads/${programId}/${'0'.repeat(25)}${i}`,
          contentType: 'application/pdf',
          filename: `${kind}.pdf`,
        })),
      });
    }
    const root = structuredClone(value) as unknown as Record<string, unknown>;
    for (const m of b.mutations) applyMutation(root, m);
    body = JSON.stringify(root);
    contentType = 'application/json';
    filing = { programId, unit, role };
    if (b.idempotency !== 'none') {
      headers['idempotency-key'] = {
        shared: `fuzz-shared-key-${b.shared}`,
        fresh: `fuzz-${n}-${Date.now()}`,
        bad: 'short',
      }[b.idempotency];
    }
  } else if (b.kind === 'form') {
    const filingId = target?.filingId ?? pick(ctx.filings(), 0)?.filingId ?? '';
    const pairs = b.pairs.map(([k, v]): [string, string] => [
      k.endsWith('_F') ? `${k.slice(0, -1)}${filingId}` : k,
      v,
    ]);
    body = new URLSearchParams(pairs).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else if (b.kind === 'workbook') {
    const bytes = new Uint8Array(ctx.workbook);
    if (b.op === 'flip') bytes[b.at % bytes.length] = b.byte;
    body = b.op === 'truncate' ? bytes.slice(0, b.at % bytes.length) : bytes;
    contentType = XLSX_TYPE;
  } else if (b.kind === 'bytes') {
    body = b.bytes;
    contentType = 'application/octet-stream';
  } else if (b.kind !== 'none') {
    body = jsonText(b);
    contentType = 'application/json';
  }
  if (plan.contentType === 'none') contentType = undefined;
  else if (plan.contentType !== 'auto') contentType = plan.contentType;
  if (method === 'GET' || method === 'HEAD') body = undefined;
  if (body !== undefined) {
    if (contentType !== undefined) headers['content-type'] = contentType;
    // Without a content type a text body goes as bytes (fetch would label a string text/plain).
    else if (typeof body === 'string') body = new TextEncoder().encode(body);
  }

  // A known `receipt` query value may happen to be the right one for the path's filing.
  if (target && query.getAll('receipt').includes(target.receiptToken)) receiptRight = true;
  const search = [query.toString(), ...rawQuery].filter(Boolean).join('&');
  const path = `${pathname}${search ? `?${search}` : ''}`;
  const serverPath = new URL(path, ctx.baseUrl).pathname;
  const { route, params } = serverRoute(method, serverPath);
  const linkFilingId = ctx.links().find((l) => l.token === params.token)?.filingId;
  const bodyText = typeof body === 'string' ? body : body ? `<${body.length} bytes>` : '';
  return {
    method,
    path,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(route ? { route } : {}),
    params,
    staffValid,
    receiptRight,
    ...(filing ? { filing } : {}),
    ...(linkFilingId ? { linkFilingId } : {}),
    who,
    describe: () =>
      `${method} ${path.length > 300 ? `${path.slice(0, 300)}…` : path}\n  as ${who}\n  headers: ${JSON.stringify(
        Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v]),
        ),
      )}\n  body: ${bodyText.length > 400 ? `${bodyText.slice(0, 400)}…(${bodyText.length} chars)` : bodyText}`,
  };
}
