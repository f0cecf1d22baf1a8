// Property-based fuzzing of every route of the route table (public, receipt, review-link and
// staff) against one real local runtime: malformed JSON, wrong types, huge strings, deep
// nesting, control, full-width and emoji characters, injection strings, broken codes, wrong or
// missing content types, wrong methods, bad path parameters, bad or missing receipt and staff
// tokens, mixed with valid filings under small changes so that some are accepted. Properties:
// no 5xx ever; every 4xx body has the documented shape; refusals name nothing; a staff route
// without a valid token is 401 and a receipt route never answers 2xx without the right
// receipt; and the table holds exactly what the accepted (2xx) requests wrote.
//
// Replay a failure: FUZZ_SEED=<seed> FUZZ_PATH=<path> (both printed on failure; the seed also
// at the start) npx vitest run --project e2e test/e2e/fuzz.test.ts. FUZZ_RUNS changes the
// number of batches (16 requests each).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, LOCAL_AUDIENCE, LOCAL_ISSUER, staffKeyFile } from '#infra/local/staff-auth.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { ROUTES } from '#shared/http/routes.ts';
import { recordMetrics } from '../../bench/lib/results.ts';
import { validFiling } from '../support/fixtures.ts';
import {
  type FuzzCall,
  type FuzzContext,
  type KnownFiling,
  planArb,
  resolvePlan,
} from '../support/fuzz-requests.ts';
import { capture, type Runtime, startRuntime } from '../support/runtime.ts';
import { type Answer, type ApiDriver, apiDriver, type ErrorBody } from './driver.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now()) | 0;
const PATH = process.env.FUZZ_PATH;
const BATCH = 16;
const RUNS = Number(process.env.FUZZ_RUNS ?? 640);
const GOAL = 10_000;

let runtime: Runtime;
let api: ApiDriver;
let n = 900_000;

const FORBIDDEN = { errors: [{ path: '', code: 'forbidden', message: { zh: '无权访问', en: 'forbidden' } }] };

/** Everything the fuzzer learned while it ran: what it sent, and what the server accepted. */
const seen = {
  /** Generated requests sent, their 5xx answers and all their statuses (before any failure). */
  requests: 0,
  serverErrors: 0,
  statuses: new Map<number, number>(),
  /** Once a batch failed, fast-check re-sends smaller ones to shrink it: counted apart. */
  shrinking: false,
  resentWhileShrinking: 0,
  serverErrorsWhileShrinking: 0,
  /** Filings the fuzzer may aim at: those seeded here, then each one a 201 created. */
  filings: [] as KnownFiling[],
  /** Filings a 2xx answer created or changed (submit, amend, withdraw, review decision). */
  touched: new Set<string>(),
  /** Filings a 2xx staff answer read in full (detail, reveal): their access is logged. */
  accessed: new Set<string>(),
  /** 2xx answers of the routes that write an access-log entry. */
  accessLogged: 0,
  /** City batches sent (review-link batch route, 2xx). */
  batchesSent: 0,
  /** Annual returns started (`<programme>#<year>`, 202). */
  assessments: new Set<string>(),
  /** Programmes into whose pool a 2xx import put people (their filings are in `touched`). */
  imported: new Set<string>(),
  /** `<programme>#<year>` of the closed years a 2xx report may have summarized (asOf's year − 1). */
  summarized: new Set<string>(),
  /** `<programme>#<year>` of the yearly plans a 2xx PUT set. */
  planned: new Set<string>(),
};
const links: { token: string; filingId: string }[] = [];
const staffTokens: { name: string; token: string }[] = [];
const badStaffTokens: { name: string; token: string }[] = [];
const staffSubjects = new Set<string>();
let workbook: Uint8Array;
let before: Record<string, unknown>[] = [];

/**
 * Units to aim at in each registered programme: its first two, and those without an official
 * code (Liaoning's 沈抚示范区).
 */
const UNITS = PROGRAMS.map((p) => ({
  programId: p.id,
  units: [...new Set([...p.reportingUnits.slice(0, 2), ...p.reportingUnits.filter((u) => !u.official)])].map(
    (u) => u.code,
  ),
}));

/**
 * Filings to aim at, made before the fuzzing, in every registered programme: each of its roles in
 * its first unit, and its first role in each of its other units above.
 */
const SEEDS: (readonly [programId: string, unit: string, role: string])[] = PROGRAMS.flatMap((p) => {
  const [first = '', ...others] = UNITS.find((u) => u.programId === p.id)?.units ?? [];
  return [
    ...p.roles.map((r) => [p.id, first, r.id] as const),
    ...others.map((unit) => [p.id, unit, p.roles[0]?.id ?? ''] as const),
  ];
});
const SEEDED = SEEDS.length;

/** Staff the fuzzer acts as (valid tokens of the local key set), named as their groups are. */
const STAFF: Record<string, StaffScope[]> = {
  ...Object.fromEntries(
    UNITS.flatMap(({ programId, units }) => [
      [`province-${programId}`, [{ role: 'province', programId }]],
      [`auditor-${programId}`, [{ role: 'auditor', programId }]],
      ...units.map((unit) => [`city-${programId}-${unit}`, [{ role: 'city', programId, unit }]]),
    ]),
  ),
  noGroups: [],
  cityAndAuditor: [
    { role: 'city', programId: 'liaoning-cso', unit: '210100' },
    { role: 'auditor', programId: 'liaoning-cso' },
  ],
};

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Tokens that must never pass the authorizer: expired, foreign, forged, malformed. */
async function forgedTokens(keyFile: string, localDir: string): Promise<{ name: string; token: string }[]> {
  const province = STAFF['province-liaoning-cso'] ?? [];
  const valid = await issueStaffToken(keyFile, {
    scopes: STAFF['city-liaoning-cso-210100'] ?? [],
    subject: 'fuzz-forger',
  });
  const [header = '', , signature = ''] = valid.split('.');
  const now = Math.floor(Date.now() / 1000);
  const provinceClaims = {
    sub: 'fuzz-forger',
    'cognito:groups': ['province-liaoning-cso'],
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    iat: now,
    exp: now + 3600,
  };
  const keys = JSON.parse(readFileSync(keyFile, 'utf8')) as {
    kid: string;
    privateJwk: Record<string, string>;
  };
  const key = await importJWK(keys.privateJwk, 'ES256');
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: keys.kid }).sign(key);
  const { iss: _iss, aud: _aud, exp: _exp, ...unbound } = provinceClaims;
  const tokens: Record<string, string> = {
    expired: await issueStaffToken(keyFile, { scopes: province, subject: 'fuzz-expired', expiresIn: '-1m' }),
    'another key set': await issueStaffToken(`${localDir}/fuzz-other-keys.json`, {
      scopes: province,
      subject: 'fuzz-other-key',
    }),
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(provinceClaims)}.`,
    'a city signature on province claims': `${header}.${b64(provinceClaims)}.${signature}`,
    'no signature': `${header}.${b64(provinceClaims)}`,
    'a cut signature': valid.slice(0, -3),
    'another issuer': await signed({ ...provinceClaims, iss: 'https://evil.example/' }),
    'another audience': await signed({ ...provinceClaims, aud: 'another-api' }),
    'no issuer or audience': await signed(unbound),
    HS256: await new SignJWT(provinceClaims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('secret-secret-secret-secret-secret')),
    null: 'null',
    'three dots': 'a.b.c',
    empty: '',
    'empty JSON parts': 'e30.e30.e30',
    'two tokens': `${valid} ${valid}`,
  };
  return Object.entries(tokens).map(([name, token]) => ({ name, token }));
}

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  const keyFile = staffKeyFile(runtime.localDir);
  for (const [name, scopes] of Object.entries(STAFF)) {
    staffTokens.push({ name, token: await issueStaffToken(keyFile, { scopes, subject: `fuzz-${name}` }) });
    staffSubjects.add(`fuzz-${name}`);
  }
  badStaffTokens.push(...(await forgedTokens(keyFile, runtime.localDir)));
  // Each seeded filing goes to city review, and its review link comes by mail.
  for (const [programId, unit, role] of SEEDS) {
    const filing = validFiling({ n: n++, unit, role });
    const res = await api.submit(programId, filing);
    if (res.status !== 201) throw new Error(`seeding answered ${res.status}: ${res.text}`);
    seen.filings.push({
      filingId: String(res.body.filingId),
      receiptToken: String(res.body.receiptToken),
      programId,
      unit,
      role,
    });
  }
  // The review link of each (the GET page names the filing; it changes nothing).
  const deadline = Date.now() + 30_000;
  while (links.length < seen.filings.length && Date.now() < deadline) {
    for (const mail of (await api.outbox()).filter((m) => m.kind === 'review_request')) {
      for (const link of mail.links) {
        const token = new URL(link).pathname.split('/')[2] ?? '';
        if (links.some((l) => l.token === token)) continue;
        const page = await api.reviewPage(link);
        const filing = seen.filings.find((f) => page.text.includes(f.filingId));
        if (page.status === 200 && filing) links.push({ token, filingId: filing.filingId });
      }
    }
    if (links.length < seen.filings.length) await new Promise((r) => setTimeout(r, 200));
  }
  if (links.length < seen.filings.length) throw new Error(`only ${links.length} review links arrived`);
  const template = await fetch(`${runtime.baseUrl}/staff/programs/liaoning-cso/imports/template`, {
    headers: {
      authorization: `Bearer ${staffTokens.find((t) => t.name === 'province-liaoning-cso')?.token}`,
    },
  });
  workbook = new Uint8Array(await template.arrayBuffer());
  await api.settled(30_000);
  before = await api.tableItems();
});

afterAll(async () => {
  if (seen.requests > 0) {
    const statuses = [...seen.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`)
      .join(', ');
    recordMetrics({
      'fuzz.requests': {
        value: seen.requests,
        unit: 'requests',
        goal: GOAL,
        better: 'higher',
        note: `the last e2e fuzz run (seed ${SEED}): generated requests to all ${ROUTES.length} routes of the route table and stray paths, ${BATCH} at a time, against one local runtime${seen.shrinking ? ` (it stopped at a failure; ${seen.resentWhileShrinking} more re-sent while shrinking it, ${seen.serverErrorsWhileShrinking} of them 5xx)` : ''}; ${seen.filings.length - SEEDED} filings accepted; answers ${statuses}`,
      },
      'fuzz.serverErrors': {
        value: seen.serverErrors,
        unit: 'responses',
        goal: 0,
        better: 'lower',
        note: `answers with a 5xx status among those requests (seed ${SEED})`,
      },
    });
  }
  await runtime?.stop();
});

const context = (): FuzzContext => ({
  baseUrl: runtime.baseUrl,
  filings: () => seen.filings,
  links: () => links,
  staffTokens,
  badStaffTokens,
  workbook,
  years: ['2025', '2026', '2021', '2020', '2027'],
  nextN: () => n++,
  withDocuments: (programId, filing) => api.withDocuments(programId, filing),
});

/** Sends one request: through the driver, or (bytes, or no content type) as a browser would. */
async function send(call: FuzzCall): Promise<Answer<unknown>> {
  if (call.body === undefined || typeof call.body === 'string') {
    return api.call<unknown>(call.method, call.path, {
      headers: call.headers,
      ...(call.body !== undefined ? { raw: call.body } : {}),
    });
  }
  const res = await fetch(`${runtime.baseUrl}${call.path}`, {
    method: call.method,
    headers: { origin: runtime.baseUrl, ...call.headers },
    body: call.body,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // pages, files and empty bodies stay text
  }
  // The same capture as the driver's, for the end-of-run personal-data scan.
  if (res.status >= 400) {
    capture(
      `responses-${process.pid}.log`,
      `${res.status} ${call.method} ${call.path.split('?')[0]}\n${text}\n`,
    );
  }
  return { status: res.status, headers: res.headers, body, text };
}

const CODE_FOR: Record<number, string> = {
  400: 'malformed_json',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** The documented error body, exactly: `{ errors: [{ path, code, message: { zh, en } }] }`. */
function shapeProblems(status: number, body: unknown): string[] {
  const problems: string[] = [];
  const errors = (body as ErrorBody | undefined)?.errors;
  if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'errors') {
    return [`the body is not { errors }: ${JSON.stringify(body)?.slice(0, 200)}`];
  }
  if (!Array.isArray(errors) || errors.length === 0) return ['errors is not a non-empty array'];
  for (const e of errors) {
    if (Object.keys(e).sort().join() !== 'code,message,path') problems.push(`error keys ${Object.keys(e)}`);
    if (typeof e.path !== 'string') problems.push('path is not a string');
    if (typeof e.code !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(e.code)) problems.push(`code ${e.code}`);
    const m = e.message as { zh?: unknown; en?: unknown } | undefined;
    if (
      !m ||
      Object.keys(m).sort().join() !== 'en,zh' ||
      typeof m.zh !== 'string' ||
      typeof m.en !== 'string' ||
      !m.zh ||
      !m.en
    ) {
      problems.push(`message ${JSON.stringify(m)}`);
    }
  }
  const code = CODE_FOR[status];
  if (code && errors.some((e) => e.code !== code)) problems.push(`a ${status} with code ${errors[0]?.code}`);
  return problems;
}

/** What is wrong with one answer (nothing, for a good one). */
function problemsOf(call: FuzzCall, res: Answer<unknown>): string[] {
  const problems: string[] = [];
  const route = call.route;
  const preflight = call.method === 'OPTIONS';
  if (res.status >= 500) problems.push('a server error');
  if (res.status >= 400 && res.status < 500 && call.method !== 'HEAD') {
    const type = res.headers.get('content-type') ?? '';
    if (route?.access === 'staff' && res.status === 401 && !preflight) {
      // The JWT authorizer answers before any handler runs, in API Gateway's words.
      if (JSON.stringify(res.body) !== '{"message":"Unauthorized"}') problems.push('401 body');
      if (res.headers.get('www-authenticate') !== 'Bearer') problems.push('401 without WWW-Authenticate');
    } else if (route?.access === 'review-link' && type.startsWith('text/html')) {
      // Review and grading links answer people with pages (invalid, expired, already handled).
      if (!/<html/i.test(res.text)) problems.push('an error page that is not a page');
    } else {
      if (!type.includes('application/json')) problems.push(`a ${res.status} as ${type}`);
      problems.push(...shapeProblems(res.status, res.body));
    }
  }
  if (res.status >= 400 && /\.ts:\d+|node_modules|\bat \S+ \(|stack/i.test(res.text)) {
    problems.push('the answer shows internals');
  }
  if (/root:x:0:0|"devDependencies"/.test(res.text)) problems.push('a file outside the site was served');
  if (res.status === 403 && JSON.stringify(res.body) !== JSON.stringify(FORBIDDEN)) {
    problems.push('a refusal that names something');
  }
  if (route?.access === 'staff' && !preflight && !call.staffValid && res.status !== 401) {
    problems.push('a staff route without a valid token answered other than 401');
  }
  if (route?.access === 'receipt' && !preflight) {
    if (res.status < 300 && !call.receiptRight) problems.push('2xx without the right receipt');
    if (res.status === 401 || res.status === 403) problems.push('a receipt refusal other than 404');
  }
  // Every answer a handler gives carries CORS for the site (and only for it) and the security headers.
  const handled = route !== undefined && !(route.access === 'staff' && res.status === 401 && !preflight);
  if (handled) {
    const allowed = res.headers.get('access-control-allow-origin');
    if (call.headers.origin === undefined && allowed !== runtime.baseUrl)
      problems.push(`CORS origin ${allowed}`);
    if (call.headers.origin !== undefined && allowed !== null)
      problems.push(`CORS for a foreign origin: ${allowed}`);
    if (!preflight && res.headers.get('x-content-type-options') !== 'nosniff') problems.push('no nosniff');
  }
  // A unit-scoped staff answer is about a unit of the programme (others are refused).
  if (route?.path.includes('{unit}') && res.status < 300 && !preflight) {
    const units = PROGRAMS.find((p) => p.id === call.params.programId)?.reportingUnits ?? [];
    if (!units.some((u) => u.code === call.params.unit))
      problems.push('2xx for a unit the programme does not have');
  }
  if (route?.id === 'reviewDecide' && res.status === 200 && !call.linkFilingId) {
    problems.push('a decision accepted on a link nobody was sent');
  }
  if (route?.id === 'returnSubmit' && res.status === 200)
    problems.push('a return accepted on a link nobody was sent');
  if (route?.id === 'submitFiling' && res.status === 201) {
    const created = res.body as { filingId?: unknown; receiptToken?: unknown };
    if (typeof created.filingId !== 'string' || !/^F[0-9A-Z]{13}$/.test(created.filingId)) {
      problems.push('201 without a filing id');
    }
    if (typeof created.receiptToken !== 'string') problems.push('201 without a receipt');
    if (!call.filing) problems.push('201 for a body that is not a filing');
  }
  return problems;
}

/** Notes what an accepted (2xx) answer may have written. */
function noteAccepted(call: FuzzCall, res: Answer<unknown>) {
  if (res.status < 200 || res.status >= 300 || call.method === 'OPTIONS') return;
  const id = call.params.filingId ?? '';
  switch (call.route?.id) {
    case 'submitFiling': {
      const created = res.body as { filingId: string; receiptToken: string };
      if (call.filing && !seen.filings.some((f) => f.filingId === created.filingId)) {
        seen.filings.push({ ...call.filing, filingId: created.filingId, receiptToken: created.receiptToken });
      }
      seen.touched.add(created.filingId);
      break;
    }
    case 'amendFiling':
    case 'withdrawFiling':
      seen.touched.add(id);
      break;
    case 'reviewDecide':
      if (call.linkFilingId) seen.touched.add(call.linkFilingId);
      break;
    case 'reviewSendBatch':
      seen.batchesSent++;
      break;
    case 'staffFiling':
    case 'staffReveal':
      seen.accessed.add(id);
      seen.accessLogged++;
      break;
    case 'staffCitySummary':
      seen.accessLogged++;
      break;
    case 'staffImport': {
      const report = res.body as { rows?: { filingId?: string; status?: string }[] };
      for (const row of report.rows ?? []) {
        if (row.filingId && (row.status === 'imported' || row.status === 'warned')) {
          seen.touched.add(row.filingId);
          seen.imported.add(call.params.programId ?? '');
        }
      }
      break;
    }
    case 'staffStartReturns':
      seen.assessments.add(`${call.params.programId}#${call.params.year}`);
      break;
    case 'staffSetPlan':
    case 'staffPlanUpload':
      seen.planned.add(`${call.params.programId}#${call.params.year}`);
      // One access entry per unit the plan names (none for an empty plan).
      seen.accessLogged += (res.body as { units?: unknown[] } | undefined)?.units?.length ?? 0;
      break;
    case 'staffSetSelection':
      // One access entry per unit whose nominees the selection takes in or leaves out.
      seen.accessLogged += (res.body as { logged?: unknown[] } | undefined)?.logged?.length ?? 0;
      break;
    case 'staffSelection':
      // A file export is logged under each unit it lists (the JSON answer is not).
      seen.accessLogged += Number(res.headers.get('x-access-logged') ?? 0);
      break;
    case 'staffReport': {
      // Any format: the asOf the path gives, or today's.
      const asOf = new URL(call.path, 'http://x').searchParams.get('asOf') ?? new Date().toISOString();
      if (/^\d{4}/.test(asOf))
        seen.summarized.add(`${call.params.programId}#${Number(asOf.slice(0, 4)) - 1}`);
      break;
    }
  }
}

describe('fuzzing every route of the route table', () => {
  it(`answers ${GOAL}+ generated requests without a 5xx, with documented errors and refusals`, async () => {
    console.log(
      `fuzz: seed ${SEED}${PATH ? ` path ${PATH}` : ''} — replay with FUZZ_SEED=${SEED} (and FUZZ_PATH from a failure)`,
    );
    const ctx = context();
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: BATCH, maxLength: BATCH }), async (plans) => {
        const calls = await Promise.all(plans.map((plan) => resolvePlan(plan, ctx)));
        const answers = await Promise.all(
          calls.map(async (call) => {
            if (seen.shrinking) seen.resentWhileShrinking++;
            else seen.requests++;
            try {
              return await send(call);
            } catch (error) {
              return { error: error as Error };
            }
          }),
        );
        const failures: string[] = [];
        for (const [i, call] of calls.entries()) {
          const res = answers[i];
          if (!res || 'error' in res) {
            failures.push(`${call.describe()}\n  → no answer: ${res?.error.message}`);
            continue;
          }
          if (seen.shrinking) {
            if (res.status >= 500) seen.serverErrorsWhileShrinking++;
          } else {
            seen.statuses.set(res.status, (seen.statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500) seen.serverErrors++;
          }
          noteAccepted(call, res);
          const problems = problemsOf(call, res);
          if (problems.length > 0) {
            failures.push(
              `${call.describe()}\n  → ${res.status} ${res.text.slice(0, 300)}\n  problems: ${problems.join('; ')}`,
            );
          }
        }
        if (failures.length > 0) {
          seen.shrinking = true;
          throw new Error(failures.join('\n\n'));
        }
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        ...(PATH ? { path: PATH } : {}),
        // Shrinking re-sends batches; the count and the table check below still hold.
        interruptAfterTimeLimit: 240_000,
      },
    );
    expect(seen.requests).toBeGreaterThanOrEqual(GOAL);
  }, 600_000);

  it('the table holds exactly what the accepted requests wrote, and each accepted filing is there', async () => {
    expect(seen.requests).toBeGreaterThan(0);
    await api.settled(60_000);
    const after = await api.tableItems();
    const key = (i: Record<string, unknown>) => `${i.pk}\u0000${i.sk}`;
    const was = new Map(before.map((i) => [key(i), JSON.stringify(i)]));
    const is = new Map(after.map((i) => [key(i), JSON.stringify(i)]));
    const changed = [
      ...after.filter((i) => was.get(key(i)) !== JSON.stringify(i)),
      ...before.filter((i) => !is.has(key(i))),
    ];
    const filingOf = new Map(seen.filings.map((f) => [f.filingId, f]));
    const touched = (id: unknown) => typeof id === 'string' && seen.touched.has(id);
    function explained(item: Record<string, unknown>): boolean {
      const pk = String(item.pk);
      const sk = String(item.sk);
      if (pk.startsWith('FILING#')) {
        const id = pk.slice('FILING#'.length);
        return sk.startsWith('ACCESS#')
          ? seen.accessed.has(id) && staffSubjects.has(String(item.subject))
          : touched(id);
      }
      if (pk.startsWith('PERSON#')) return touched(item.filingId);
      // An enterprise's member count (coverage) is changed by a touched filing of its programme.
      if (pk.startsWith('ENTERPRISE#') && sk === 'MEMBERS')
        return [...seen.touched].some((id) => filingOf.get(id)?.programId === pk.split('#')[1]);
      if (pk.startsWith('ENTERPRISE#')) return touched(item.filingId);
      if (pk.startsWith('COVERAGE#')) {
        const programId = pk.slice('COVERAGE#'.length);
        return [...seen.touched].some((id) => {
          const f = filingOf.get(id);
          return f?.programId === programId && f.unit === sk;
        });
      }
      if (pk.startsWith('COUNTERS#')) {
        const [, unit, role] = sk.split('#');
        const programId = pk.slice('COUNTERS#'.length);
        return (
          seen.imported.has(programId) ||
          [...seen.touched].some((id) => {
            const f = filingOf.get(id);
            return f?.programId === programId && f.unit === unit && f.role === role;
          })
        );
      }
      if (pk.startsWith('PLAN#')) return seen.planned.has(`${pk.slice('PLAN#'.length)}#${sk}`);
      if (pk.startsWith('COUNTERSUMMARY#'))
        return seen.summarized.has(`${pk.slice('COUNTERSUMMARY#'.length)}#${sk}`);
      if (pk.startsWith('LINK#')) {
        const target = item.target as { filingId?: string; batchId?: string } | undefined;
        if (sk === 'RETURN') return seen.assessments.size > 0;
        return touched(target?.filingId) || (target?.batchId !== undefined && seen.batchesSent > 0);
      }
      if (pk.startsWith('BATCH#')) return seen.batchesSent > 0;
      if (pk.startsWith('RETURN#')) return seen.assessments.has(pk.slice('RETURN#'.length));
      if (pk.startsWith('ACCESS#')) return staffSubjects.has(String(item.subject)) && seen.accessLogged > 0;
      // Queued mail (its id a hash) follows a touched filing, a batch, a return or a report
      // mailed on request; once the runtime has settled it has been sent, its content dropped.
      if (pk.startsWith('MAIL#'))
        return item.type === 'Mail' && typeof item.sentAt === 'string' && !('body' in item);
      return false;
    }
    const unexplained = changed.filter((i) => !explained(i));
    expect(
      unexplained.map((i) => JSON.stringify(i).slice(0, 300)),
      'items no accepted request explains',
    ).toEqual([]);
    // Each access-log entry is one accepted read, export or unmasking (and the filing's copy of it).
    const accessEntries = changed.filter((i) => String(i.pk).startsWith('ACCESS#'));
    expect(accessEntries.length).toBe(seen.accessLogged);
    expect(changed.filter((i) => String(i.sk).startsWith('ACCESS#')).length).toBe(
      accessEntries.filter((i) => i.filingId !== undefined).length,
    );
    // Every filing a 201 announced is stored, readable with its receipt, in its programme.
    const accepted = seen.filings.slice(SEEDED);
    // Enough accepted to make the check mean something (unless the fuzzing stopped at a failure).
    if (!seen.shrinking) expect(accepted.length, 'filings accepted').toBeGreaterThanOrEqual(10);
    const bodies = new Map(
      after
        .filter((i) => i.type === 'FilingBody')
        .map((i) => [String(i.filingId), i as Record<string, unknown>]),
    );
    for (const f of accepted) {
      expect(bodies.get(f.filingId)?.programId, f.filingId).toBe(f.programId);
      const status = await api.status(f.filingId, f.receiptToken);
      expect(status.status, f.filingId).toBe(200);
    }
    // And no filing exists that no 2xx announced.
    expect([...bodies.keys()].filter((id) => !filingOf.has(id) && !touched(id))).toEqual([]);
    console.log(
      `fuzz: ${seen.requests} requests, ${seen.serverErrors} 5xx, ${accepted.length} filings accepted, ` +
        `${changed.length} items written or changed, ${accessEntries.length} access entries for ${seen.accessLogged} logged reads, statuses ${JSON.stringify(Object.fromEntries(seen.statuses))}`,
    );
  }, 300_000);
});
