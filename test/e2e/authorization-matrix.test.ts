// The authorization matrix, exhaustively, through the real local runtime: every staff route of
// the route table × every kind of caller (city staff of the unit, of another unit, of another
// programme; province staff of the programme and of the other one; auditors of each; a token
// with no usable group; expired, foreign-key and missing tokens) against a table written here
// by hand from the permission rules (not computed by `authorize`). A staff route added to the
// table without a row here fails the first test. Then the receipt-token rules of every
// receipt route: the right token in the header or the query, another filing's token, a
// flipped, malformed or missing one; every refusal is the same 404 that reveals nothing, and
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { ROUTES, type Route } from '#shared/http/routes.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type Answer, type ApiDriver, apiDriver } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;

const LIAONING = 'liaoning-cso';
const ANHUI = 'anhui-std-director';
/** The target of every unit-scoped request: Shenyang (Liaoning 210100). */
const UNIT = '210100';
/** An annual-return year that may be started (the policy's year to this year). */
const YEAR = '2025';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Who calls. `scopes` undefined: no valid token at all (401 whatever the route). */
interface Actor {
  scopes?: StaffScope[];
  token: 'valid' | 'expired' | 'other-key' | 'none';
}

const ACTORS = {
  citySameUnit: { scopes: [{ role: 'city', programId: LIAONING, unit: UNIT }], token: 'valid' },
  cityOtherUnit: { scopes: [{ role: 'city', programId: LIAONING, unit: '210200' }], token: 'valid' },
  cityOtherProgramme: { scopes: [{ role: 'city', programId: ANHUI, unit: '340100' }], token: 'valid' },
  province: { scopes: [{ role: 'province', programId: LIAONING }], token: 'valid' },
  provinceOtherProgramme: { scopes: [{ role: 'province', programId: ANHUI }], token: 'valid' },
  auditor: { scopes: [{ role: 'auditor', programId: LIAONING }], token: 'valid' },
  auditorOtherProgramme: { scopes: [{ role: 'auditor', programId: ANHUI }], token: 'valid' },
  noGroups: { scopes: [], token: 'valid' },
  // A group naming a unit that is not the programme's (`city-liaoning-cso-340100`): no scope.
  groupOfForeignUnit: { scopes: [{ role: 'city', programId: LIAONING, unit: '340100' }], token: 'valid' },
  expired: { scopes: [{ role: 'province', programId: LIAONING }], token: 'expired' },
  otherKey: { scopes: [{ role: 'province', programId: LIAONING }], token: 'other-key' },
  noToken: { token: 'none' },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof ACTORS;
const ACTOR_NAMES = Object.keys(ACTORS) as ActorName[];

/** One request to a route, and who gets its success answer; every other valid token gets 403. */
interface Case {
  name: string;
  query?: string;
  body?:
    | 'reveal'
    | 'resume'
    | 'remove'
    | 'xlsx'
    | 'plan'
    | 'batchOfUnit'
    | 'batchOfProvince'
    | 'passList'
    | 'planXlsx'
    | 'selection';
  allowed: ActorName[];
  /** What an allowed caller gets, when not the route's success (authorized, then refused by state). */
  status?: number;
}

// Written from the rules, not from the code: city staff act on their own unit (list, read,
// reveal, export), province staff on all of their programme (everything, including import and
// opening the annual return), auditors read and audit their programme but never unmask, export
// or import. Nobody reaches another programme.
const MATRIX: Record<string, Case[]> = {
  staffListFilings: [
    { name: 'one unit', query: `?unit=${UNIT}`, allowed: ['citySameUnit', 'province', 'auditor'] },
    {
      name: 'the caller’s own units',
      allowed: ['citySameUnit', 'cityOtherUnit', 'province', 'auditor'],
    },
  ],
  staffPool: [
    { name: 'one unit', query: `?unit=${UNIT}`, allowed: ['citySameUnit', 'province', 'auditor'] },
    {
      name: 'the caller’s own units',
      allowed: ['citySameUnit', 'cityOtherUnit', 'province', 'auditor'],
    },
  ],
  staffFiling: [{ name: 'a Shenyang filing', allowed: ['citySameUnit', 'province', 'auditor'] }],
  staffReveal: [{ name: 'a Shenyang filing', body: 'reveal', allowed: ['citySameUnit', 'province'] }],
  // Its workflow has not failed: the province is let in and told there is nothing to restart.
  staffResumeReview: [{ name: 'a Shenyang filing', body: 'resume', allowed: ['province'], status: 409 }],
  // Not in the pool yet: the province is let in and told there is no member to remove.
  staffRemoveMember: [{ name: 'a Shenyang filing', body: 'remove', allowed: ['province'], status: 409 }],
  staffFilingAudit: [{ name: 'a Shenyang filing', allowed: ['province', 'auditor'] }],
  staffUnitAudit: [{ name: 'Shenyang', allowed: ['province', 'auditor'] }],
  staffCitySummary: [{ name: 'Shenyang', query: '?format=csv', allowed: ['citySameUnit', 'province'] }],
  staffStartReturns: [{ name: 'Liaoning', allowed: ['province'] }],
  // City staff read their own unit's returns (any unit of the programme: each sees only its own).
  staffReturns: [{ name: 'Liaoning', allowed: ['citySameUnit', 'cityOtherUnit', 'province', 'auditor'] }],
  // 优秀评选: the province reads every unit's nominees and selects; auditors read the list too.
  staffReturnNominees: [{ name: 'Liaoning', allowed: ['province'] }],
  staffSetSelection: [{ name: 'Liaoning', body: 'selection', allowed: ['province'] }],
  staffSelection: [{ name: 'Liaoning', allowed: ['province', 'auditor'] }],
  staffReport: [{ name: 'Liaoning', allowed: ['province', 'auditor'] }],
  // The dashboard answers for the caller's units: a city its own, the province and auditors all.
  staffDashboard: [{ name: 'Liaoning', allowed: ['citySameUnit', 'cityOtherUnit', 'province', 'auditor'] }],
  // The yearly plans: province staff set them, and read them with auditors (as the report).
  staffGetPlan: [{ name: 'Liaoning', allowed: ['province', 'auditor'] }],
  staffSetPlan: [{ name: 'Liaoning', body: 'plan', allowed: ['province'] }],
  staffPlanTemplate: [{ name: 'Liaoning', allowed: ['province'] }],
  staffPlanUpload: [{ name: 'Liaoning', body: 'planXlsx', allowed: ['province'] }],
  staffImportTemplate: [{ name: 'Liaoning', allowed: ['province'] }],
  staffImport: [{ name: 'Liaoning', body: 'xlsx', allowed: ['province'] }],
  // Training: batches hold no personal data, so every staff role of the programme lists them; the
  // province records any batch, a city only its own bureau's, and uploads that batch's pass list.
  staffTrainingBatches: [
    { name: 'Liaoning', allowed: ['citySameUnit', 'cityOtherUnit', 'province', 'auditor'] },
  ],
  staffRecordTrainingBatch: [
    { name: 'a Shenyang batch', body: 'batchOfUnit', allowed: ['citySameUnit', 'province'] },
    { name: 'a province batch', body: 'batchOfProvince', allowed: ['province'] },
  ],
  staffTrainingTemplate: [{ name: 'Liaoning', allowed: ['citySameUnit', 'cityOtherUnit', 'province'] }],
  staffTrainingPasses: [
    { name: 'a Shenyang batch', body: 'passList', allowed: ['citySameUnit', 'province'] },
  ],
};

const FORBIDDEN = { errors: [{ path: '', code: 'forbidden', message: { zh: '无权访问', en: 'forbidden' } }] };
const NOT_FOUND = { errors: [{ path: '', code: 'not_found', message: { zh: '未找到', en: 'not found' } }] };

/** The answer the table gives `actor` for a case (derived here, never by `authorize`). */
function expectedStatus(actor: ActorName, route: Route, c: Case): number {
  if (ACTORS[actor].token !== 'valid') return 401;
  return c.allowed.includes(actor) ? (c.status ?? route.success) : 403;
}

const tokens = {} as Record<ActorName, string | undefined>;
let shenyang: { filingId: string; idNumber: string; mobile: string };
let workbook: Uint8Array;
let passList: Uint8Array;
let planWorkbook: Uint8Array;
let batchId: string;

interface Created {
  filingId: string;
  receiptToken: string;
}
const receipts = {} as Record<'a' | 'b' | 'w1' | 'w2' | 'w3', Created & { n: number }>;

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  const submit = async (n: number, unit: string) => {
    const filing = validFiling({ n, unit });
    const res = await api.submit(LIAONING, filing);
    if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${res.text}`);
    return { ...(res.body as unknown as Created), n, filing };
  };
  const s = await submit(83_001, UNIT);
  shenyang = { filingId: s.filingId, idNumber: s.filing.person.idNumber, mobile: s.filing.person.mobile };
  await submit(83_002, '210200');
  for (const [key, n] of [
    ['a', 83_010],
    ['b', 83_011],
    ['w1', 83_012],
    ['w2', 83_013],
    ['w3', 83_014],
  ] as const) {
    receipts[key] = await submit(n, UNIT);
  }

  const keys = staffKeyFile(runtime.localDir);
  for (const name of ACTOR_NAMES) {
    const actor: Actor = ACTORS[name];
    const scopes = actor.scopes ?? [];
    const subject = `matrix-${name}`;
    if (actor.token === 'valid') tokens[name] = await issueStaffToken(keys, { scopes, subject });
    if (actor.token === 'expired')
      tokens[name] = await issueStaffToken(keys, { scopes, subject, expiresIn: '-1m' });
    if (actor.token === 'other-key')
      tokens[name] = await issueStaffToken(`${runtime.localDir}/another-key-set.json`, { scopes, subject });
  }

  const { importTemplate } = await import('#shared/use-cases/imports/import-sheet.ts');
  const { getProgram } = await import('#shared/domain/programs/index.ts');
  workbook = new Uint8Array(
    await importTemplate(getProgram(LIAONING), [validFiling({ n: 83_100, unit: '210300' })]),
  );

  const { planTemplate } = await import('#shared/use-cases/plans/plan-sheet.ts');
  planWorkbook = new Uint8Array(
    await planTemplate(getProgram(LIAONING), {
      programId: LIAONING,
      year: YEAR,
      units: [{ unit: UNIT, people: { cso: 2 } }],
      setAt: null,
      setBy: null,
    }),
  );
  const { passListTemplate } = await import('#shared/use-cases/imports/pass-list-sheet.ts');
  passList = new Uint8Array(
    await passListTemplate(getProgram(LIAONING), [
      {
        name: '李娜',
        idNumber: validFiling({ n: 83_101 }).person.idNumber,
        certificateNumber: 'SY-MATRIX-1',
      },
    ]),
  );
  const batch = await api.call('POST', `/staff/programs/${LIAONING}/training/batches`, {
    headers: { authorization: `Bearer ${tokens.province}` },
    body: {
      organizer: UNIT,
      course: '沈阳市首席标准官培训班',
      startDate: '2022-06-01',
      endDate: '2022-06-03',
    },
  });
  if (batch.status !== 201) throw new Error(`training batch answered ${batch.status}: ${batch.text}`);
  batchId = String((batch.body as { batchId: string }).batchId);

  // The year's annual return exists (its results answer 200 to those who may read them).
  const started = await api.call('POST', `/staff/programs/${LIAONING}/returns/${YEAR}`, {
    headers: { authorization: `Bearer ${tokens.province}` },
  });
  if (started.status !== 202) throw new Error(`annual return start answered ${started.status}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await api.call('GET', `/staff/programs/${LIAONING}/returns/${YEAR}`, {
      headers: { authorization: `Bearer ${tokens.province}` },
    });
    if (res.status === 200) break;
    if (Date.now() > deadline) throw new Error(`annual return results answered ${res.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await api.settled(30_000);
});

afterAll(async () => {
  await runtime?.stop();
});

const STAFF_ROUTES = ROUTES.filter((r) => r.access === 'staff');

/** The route's path with this matrix's target filled in. */
function pathOf(route: Route): string {
  const params: Record<string, string> = {
    programId: LIAONING,
    unit: UNIT,
    filingId: shenyang.filingId,
    year: YEAR,
    batchId,
  };
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no matrix value for the path parameter ${name} of ${route.id}`);
    return value;
  });
}

async function send(actor: ActorName, route: Route, c: Case): Promise<Answer<unknown>> {
  const token = tokens[actor];
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const path = `${pathOf(route)}${c.query ?? ''}`;
  if (c.body === 'xlsx' || c.body === 'passList' || c.body === 'planXlsx') {
    // A binary body: the driver sends text, so this one goes as the site's upload would.
    const res = await fetch(`${runtime.baseUrl}${path}`, {
      method: route.method,
      headers: { ...headers, origin: runtime.baseUrl, 'content-type': XLSX },
      body: c.body === 'passList' ? passList : c.body === 'planXlsx' ? planWorkbook : workbook,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body, text };
  }
  return api.call<unknown>(route.method, path, {
    headers,
    ...(c.body === 'reveal'
      ? { body: { fields: ['mobile'], reason: '核实联系方式 authorization matrix' } }
      : c.body === 'resume'
        ? { body: { reason: '恢复审核 authorization matrix' } }
        : c.body === 'remove'
          ? { body: { reason: '移出人才库 authorization matrix' } }
          : c.body === 'plan'
            ? { body: { units: [{ unit: UNIT, people: { cso: 3 }, enterprises: 2 }] } }
            : c.body === 'selection'
              ? { body: { selected: [] } }
              : c.body === 'batchOfUnit' || c.body === 'batchOfProvince'
                ? {
                    body: {
                      organizer: c.body === 'batchOfUnit' ? UNIT : 'province',
                      course: '首席标准官培训班',
                      startDate: '2022-06-01',
                      endDate: '2022-06-03',
                    },
                  }
                : {}),
  });
}

describe('the staff authorization matrix', () => {
  it('has a row for every staff route of the route table, and none for a route that does not exist', () => {
    expect(STAFF_ROUTES.length).toBeGreaterThanOrEqual(22);
    expect(Object.keys(MATRIX).sort()).toEqual(STAFF_ROUTES.map((r) => r.id).sort());
    for (const cases of Object.values(MATRIX)) {
      for (const c of cases) for (const a of c.allowed) expect(ACTORS[a].token).toBe('valid');
    }
  });

  for (const route of STAFF_ROUTES) {
    it(`${route.method} ${route.path}: every caller gets the answer of the table`, async () => {
      const cases = MATRIX[route.id] ?? [];
      expect(cases.length, `no matrix row for ${route.id}`).toBeGreaterThan(0);
      const got: string[] = [];
      const want: string[] = [];
      for (const c of cases) {
        for (const actor of ACTOR_NAMES) {
          const res = await send(actor, route, c);
          const expected = expectedStatus(actor, route, c);
          want.push(`${c.name} × ${actor}: ${expected}`);
          got.push(`${c.name} × ${actor}: ${res.status}`);
          if (res.status === 403) {
            // A refusal names nothing: not the filing, not its unit, not the person.
            expect(res.body, `${route.id} ${actor}`).toEqual(FORBIDDEN);
          }
          if (res.status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
          if (res.status >= 400) {
            for (const secret of [shenyang.filingId, shenyang.idNumber, shenyang.mobile, '张伟', UNIT]) {
              expect(res.text, `${route.id} ${actor}`).not.toContain(secret);
            }
          }
        }
      }
      expect(got).toEqual(want);
    });
  }

  it('walks the whole matrix: routes × callers', () => {
    const cells = Object.values(MATRIX).reduce((sum, cases) => sum + cases.length, 0) * ACTOR_NAMES.length;
    expect(ACTOR_NAMES).toHaveLength(12);
    expect(cells).toBe(29 * 12);
  });

  it('another programme’s filing is out of reach of this programme’s staff, even the province', async () => {
    const filing = validFiling({ n: 83_200, unit: '340100', role: 'director', region: '340100' });
    const res = await api.submit(ANHUI, filing);
    expect(res.status).toBe(201);
    const hefei = String(res.body.filingId);
    for (const actor of ['province', 'auditor', 'citySameUnit'] as const) {
      for (const path of [`/staff/filings/${hefei}`, `/staff/filings/${hefei}/audit`]) {
        const answer = await api.call('GET', path, { headers: { authorization: `Bearer ${tokens[actor]}` } });
        expect(answer.status, `${actor} ${path}`).toBe(403);
        expect(answer.body).toEqual(FORBIDDEN);
      }
    }
    const answer = await api.call('GET', `/staff/filings/${hefei}`, {
      headers: { authorization: `Bearer ${tokens.provinceOtherProgramme}` },
    });
    expect(answer.status).toBe(200);
  });
});

describe('receipt tokens on the public routes', () => {
  const RECEIPT_ROUTES = ROUTES.filter((r) => r.access === 'receipt');
  /** What the right token gets on a filing under city review, route by route. */
  const RIGHT: Record<string, { status: number; code?: string }> = {
    getFiling: { status: 200 },
    amendFiling: { status: 409, code: 'invalid_state' }, // nothing to amend unless changes were requested
    withdrawFiling: { status: 200 },
    // Not a member yet: nothing to report as left (a withdrawn consent would withdraw it).
    reportDeparture: { status: 409, code: 'not_in_pool' },
  };

  it('every receipt route of the route table is covered', () => {
    expect(Object.keys(RIGHT).sort()).toEqual(RECEIPT_ROUTES.map((r) => r.id).sort());
  });

  type Presented = { header?: string; query?: string };
  const flip = (token: string) => `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;

  /** Ways of presenting a token that must all be refused with the same 404. */
  function refusals(own: Created, other: Created): [string, Presented][] {
    return [
      ['no token', {}],
      ['another filing’s token, header', { header: `Receipt ${other.receiptToken}` }],
      ['another filing’s token, query', { query: other.receiptToken }],
      ['one character flipped', { header: `Receipt ${flip(own.receiptToken)}` }],
      ['truncated', { header: `Receipt ${own.receiptToken.slice(0, -1)}` }],
      ['one character more', { header: `Receipt ${own.receiptToken}A` }],
      ['malformed', { header: 'Receipt not/a+token==' }],
      ['empty query', { query: '' }],
      ['very long', { query: 'A'.repeat(4_000) }],
      ['the right token under another scheme', { header: `Bearer ${own.receiptToken}` }],
      ['the right token without a scheme', { header: own.receiptToken }],
      ['a wrong header wins over the right query', { header: 'Receipt wrong', query: own.receiptToken }],
    ];
  }

  async function request(route: Route, filingId: string, presented: Presented, body?: object) {
    const path = route.path.replace('{filingId}', filingId);
    const query = presented.query !== undefined ? `?receipt=${encodeURIComponent(presented.query)}` : '';
    return api.call(route.method, `${path}${query}`, {
      headers: presented.header !== undefined ? { authorization: presented.header } : {},
      ...(body ? { body } : {}),
    });
  }

  let amendBody: object;
  const routeOf = (id: string) => RECEIPT_ROUTES.find((r) => r.id === id) as Route;

  beforeAll(async () => {
    amendBody = await api.withDocuments(LIAONING, validFiling({ n: receipts.a.n }));
  });

  const LEFT = { kind: 'left_post', leftOn: '2026-01-31', reason: 'resigned' };

  for (const id of ['getFiling', 'amendFiling', 'withdrawFiling', 'reportDeparture']) {
    it(`${id}: a wrong, malformed or missing token is the 404 of an unknown filing, and changes nothing`, async () => {
      const route = routeOf(id);
      const { a, b } = receipts;
      const before = await api.status(a.filingId, a.receiptToken);
      expect(before.status).toBe(200);
      const body = id === 'amendFiling' ? amendBody : id === 'reportDeparture' ? LEFT : undefined;
      // The unknown filing's answer: what every refusal must look like.
      const unknown = await request(route, 'F0000000000000', { header: `Receipt ${a.receiptToken}` }, body);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual(NOT_FOUND);
      const badId = await request(route, 'not-an-id!', { header: `Receipt ${a.receiptToken}` }, body);
      expect(badId.status).toBe(404);
      for (const [what, presented] of refusals(a, b)) {
        const res = await request(route, a.filingId, presented, body);
        expect(res.status, what).toBe(404);
        expect(res.text, what).toBe(unknown.text);
        expect(res.text).not.toContain(a.filingId);
      }
      const after = await api.status(a.filingId, a.receiptToken);
      expect(after.body).toEqual(before.body);
    });
  }

  it('the right token, in the header or the query, gets each route’s own answer', async () => {
    const { a, b, w1, w2, w3 } = receipts;
    const right = (c: Created): [string, Created, Presented][] => [
      ['header', c, { header: `Receipt ${c.receiptToken}` }],
      ['header, lower-case scheme', c, { header: `receipt ${c.receiptToken}` }],
      ['query', c, { query: c.receiptToken }],
      ['header, with a wrong query', c, { header: `Receipt ${c.receiptToken}`, query: 'wrong' }],
    ];
    for (const [how, c, presented] of [...right(a), ...right(b)]) {
      const get = await request(routeOf('getFiling'), c.filingId, presented);
      expect(get.status, how).toBe(RIGHT.getFiling?.status);
      expect(get.body.filingId).toBe(c.filingId);
      const amend = await request(routeOf('amendFiling'), c.filingId, presented, amendBody);
      expect(amend.status, how).toBe(RIGHT.amendFiling?.status);
      expect((amend.body as { errors: { code: string }[] }).errors[0]?.code).toBe(RIGHT.amendFiling?.code);
      const left = await request(routeOf('reportDeparture'), c.filingId, presented, LEFT);
      expect(left.status, how).toBe(RIGHT.reportDeparture?.status);
      expect((left.body as { errors: { code: string }[] }).errors[0]?.code).toBe(RIGHT.reportDeparture?.code);
    }
    // Withdrawing is final: one filing per way of presenting the token.
    for (const [how, c, presented] of [
      ['header', w1, { header: `Receipt ${w1.receiptToken}` }],
      ['query', w2, { query: w2.receiptToken }],
      ['header, with a wrong query', w3, { header: `Receipt ${w3.receiptToken}`, query: 'wrong' }],
    ] as [string, Created, Presented][]) {
      const res = await request(routeOf('withdrawFiling'), c.filingId, presented);
      expect(res.status, how).toBe(RIGHT.withdrawFiling?.status);
      expect(res.body.status).toBe('withdrawn');
    }
  });
});
