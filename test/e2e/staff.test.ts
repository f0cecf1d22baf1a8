// Staff access through the real local runtime: tokens from the local key set (as
// `npm run token` issues them) verified by the server as API Gateway's JWT authorizer would,
// and the whole matrix of role × endpoint × unit: every cross-unit or cross-programme access
// is 403 with a body that names nothing; masking everywhere; unmasking needs a reason and is
// in the audit log.
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;

const LIAONING = 'liaoning-cso';
const ANHUI = 'anhui-std-director';
/** Filings: two in Shenyang (210100), one in Dalian (210200), one in Hefei (Anhui, 340100). */
const filed: Record<
  'shenyangA' | 'shenyangB' | 'dalian' | 'hefei',
  { filingId: string; idNumber: string; mobile: string }
> = {} as never;

const tokens: Record<string, string> = {};
const actors: Record<string, StaffScope[]> = {
  cityShenyang: [{ role: 'city', programId: LIAONING, unit: '210100' }],
  cityDalian: [{ role: 'city', programId: LIAONING, unit: '210200' }],
  provinceLiaoning: [{ role: 'province', programId: LIAONING }],
  auditorLiaoning: [{ role: 'auditor', programId: LIAONING }],
  provinceAnhui: [{ role: 'province', programId: ANHUI }],
  cityHefei: [{ role: 'city', programId: ANHUI, unit: '340100' }],
  nobody: [],
};

beforeAll(async () => {
  runtime = await startRuntime({ LOCAL_WORKFLOWS: 'off' });
  api = apiDriver(runtime);
  const submit = async (programId: string, n: number, unit: string) => {
    const filing = validFiling({
      n,
      unit,
      ...(programId === ANHUI ? { role: 'director', region: unit } : {}),
    });
    const res = await api.submit(programId, filing);
    if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${res.text}`);
    return {
      filingId: String(res.body.filingId),
      idNumber: filing.person.idNumber,
      mobile: filing.person.mobile,
    };
  };
  filed.shenyangA = await submit(LIAONING, 81_001, '210100');
  filed.shenyangB = await submit(LIAONING, 81_002, '210100');
  filed.dalian = await submit(LIAONING, 81_003, '210200');
  filed.hefei = await submit(ANHUI, 81_004, '340100');
  const keys = staffKeyFile(runtime.localDir);
  for (const [name, scopes] of Object.entries(actors)) {
    tokens[name] = await issueStaffToken(keys, { scopes, subject: `staff-${name}` });
  }
});

afterAll(async () => {
  await runtime?.stop();
});

const as = (actor: string) => ({ authorization: `Bearer ${tokens[actor]}` });

/** An answer's headers as sent, one pair per header line (fetch would join repeated ones). */
function rawHeaders(path: string, headers: Record<string, string>): Promise<[string, string][]> {
  return new Promise((resolve, reject) => {
    get(`${runtime.baseUrl}${path}`, { headers }, (res) => {
      res.resume();
      const pairs: [string, string][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        pairs.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
      }
      res.on('end', () => resolve(pairs));
    }).on('error', reject);
  });
}

type Endpoint = { name: string; method: 'GET' | 'POST'; path: () => string; body?: unknown };

/** Every staff endpoint, aimed at a Shenyang (Liaoning 210100) target. */
const shenyangEndpoints: Endpoint[] = [
  { name: 'list unit', method: 'GET', path: () => `/staff/programs/${LIAONING}/filings?unit=210100` },
  { name: 'pool unit', method: 'GET', path: () => `/staff/programs/${LIAONING}/pool?unit=210100` },
  { name: 'detail', method: 'GET', path: () => `/staff/filings/${filed.shenyangA.filingId}` },
  {
    name: 'reveal',
    method: 'POST',
    path: () => `/staff/filings/${filed.shenyangA.filingId}/reveal`,
    body: { fields: ['mobile'], reason: '核实联系方式 matrix' },
  },
  { name: 'filing audit', method: 'GET', path: () => `/staff/filings/${filed.shenyangA.filingId}/audit` },
  { name: 'unit audit', method: 'GET', path: () => `/staff/programs/${LIAONING}/units/210100/audit` },
];

/** Who may do what on Shenyang's data (200), everyone else 403. */
const allowed: Record<string, string[]> = {
  cityShenyang: ['list unit', 'pool unit', 'detail', 'reveal'],
  provinceLiaoning: ['list unit', 'pool unit', 'detail', 'reveal', 'filing audit', 'unit audit'],
  auditorLiaoning: ['list unit', 'pool unit', 'detail', 'filing audit', 'unit audit'],
  cityDalian: [],
  provinceAnhui: [],
  cityHefei: [],
  nobody: [],
};

describe('the authorization matrix', () => {
  for (const [actor, may] of Object.entries(allowed)) {
    it(`${actor}: ${may.length ? may.join(', ') : 'nothing'} on Shenyang; 403 for the rest, naming nothing`, async () => {
      for (const endpoint of shenyangEndpoints) {
        const res = await api.call(endpoint.method, endpoint.path(), {
          headers: as(actor),
          ...(endpoint.body ? { body: endpoint.body } : {}),
        });
        const expected = may.includes(endpoint.name) ? 200 : 403;
        expect(res.status, `${actor} ${endpoint.name}`).toBe(expected);
        if (expected === 403) {
          expect(res.body).toEqual({
            errors: [{ path: '', code: 'forbidden', message: { zh: '无权访问', en: 'forbidden' } }],
          });
          for (const secret of [
            filed.shenyangA.idNumber,
            filed.shenyangA.mobile,
            '张伟',
            filed.shenyangA.filingId,
          ]) {
            expect(res.text).not.toContain(secret);
          }
        }
      }
    });
  }

  it('a city sees only its own unit when it lists without naming one; a province sees all its units', async () => {
    const city = await api.call<{ items: { filingId: string }[] }>(
      'GET',
      `/staff/programs/${LIAONING}/filings`,
      {
        headers: as('cityDalian'),
      },
    );
    expect(city.status).toBe(200);
    expect(city.body.items.map((i) => i.filingId)).toEqual([filed.dalian.filingId]);
    const province = await api.call<{ items: { filingId: string }[] }>(
      'GET',
      `/staff/programs/${LIAONING}/filings`,
      {
        headers: as('provinceLiaoning'),
      },
    );
    expect(province.body.items.map((i) => i.filingId).sort()).toEqual(
      [filed.shenyangA.filingId, filed.shenyangB.filingId, filed.dalian.filingId].sort(),
    );
    // Another programme's data is out of reach, listed or read.
    const cross = await api.call('GET', `/staff/programs/${ANHUI}/filings`, {
      headers: as('provinceLiaoning'),
    });
    expect(cross.status).toBe(403);
    const hefei = await api.call('GET', `/staff/filings/${filed.hefei.filingId}`, {
      headers: as('provinceLiaoning'),
    });
    expect(hefei.status).toBe(403);
  });

  it('answers 401 without a token, with a token from another key, or an expired one; 404 for an unknown filing', async () => {
    const path = `/staff/programs/${LIAONING}/filings`;
    expect((await api.call('GET', path)).status).toBe(401);
    const forged = await issueStaffToken(`${runtime.localDir}/other-keys.json`, {
      scopes: actors.provinceLiaoning ?? [],
    });
    expect((await api.call('GET', path, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(
      401,
    );
    const expired = await issueStaffToken(staffKeyFile(runtime.localDir), {
      scopes: actors.provinceLiaoning ?? [],
      expiresIn: '-1m',
    });
    expect((await api.call('GET', path, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(
      401,
    );
    const unknown = await api.call('GET', '/staff/filings/FNOSUCHFILING00', {
      headers: as('provinceLiaoning'),
    });
    expect(unknown.status).toBe(404);
  });
});

describe('masking, unmasking and the audit log', () => {
  it('masks ID numbers and phones in lists and details', async () => {
    const list = await api.call('GET', `/staff/programs/${LIAONING}/filings?unit=210100`, {
      headers: as('cityShenyang'),
    });
    const detail = await api.call('GET', `/staff/filings/${filed.shenyangB.filingId}`, {
      headers: as('cityShenyang'),
    });
    for (const res of [list, detail]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(filed.shenyangB.idNumber);
      expect(res.text).not.toContain(filed.shenyangB.mobile);
      expect(res.text).toContain(`${filed.shenyangB.idNumber.slice(0, 6)}********`);
    }
    expect((detail.body as { status: string }).status).toBe('submitted');
  });

  it('shows the documents through short-lived view links, and logs that they were issued', async () => {
    const detail = await api.call<{
      attachments: { kind: string; filename: string; servedAs: string; url: string; expiresAt: string }[];
    }>('GET', `/staff/filings/${filed.shenyangB.filingId}`, { headers: as('provinceLiaoning') });
    expect(detail.body.attachments.map((a) => a.kind).sort()).toEqual(['appointment', 'endorsement']);
    const first = detail.body.attachments[0];
    const doc = await fetch(first?.url ?? '');
    expect(doc.status).toBe(200);
    // The document comes as `<kind>.pdf`, a name the server chose (the uploaded one is text beside it).
    expect(first?.servedAs).toBe(`${first?.kind}.pdf`);
    expect(doc.headers.get('content-disposition')).toBe(
      `inline; filename="${first?.kind}.pdf"; filename*=UTF-8''${first?.kind}.pdf`,
    );
    expect(new TextDecoder().decode((await doc.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    expect(Date.parse(first?.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const audit = await api.call<{ lines: { kind: string; what: string; actorId?: string }[] }>(
      'GET',
      `/staff/filings/${filed.shenyangB.filingId}/audit`,
      { headers: as('auditorLiaoning') },
    );
    expect(audit.body.lines).toContainEqual(
      expect.objectContaining({
        kind: 'access',
        what: 'view:endorsement,appointment',
        actorId: 'staff-provinceLiaoning',
      }),
    );
  });

  it('filters by status and role, and pages by cursor', async () => {
    const none = await api.call<{ items: unknown[] }>(
      'GET',
      `/staff/programs/${LIAONING}/filings?unit=210100&status=in_pool`,
      { headers: as('cityShenyang') },
    );
    expect(none.body.items).toEqual([]);
    const first = await api.call<{ items: { filingId: string }[]; next?: string }>(
      'GET',
      `/staff/programs/${LIAONING}/filings?unit=210100&limit=1`,
      { headers: as('cityShenyang') },
    );
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next).toBeDefined();
    const second = await api.call<{ items: { filingId: string }[]; next?: string }>(
      'GET',
      `/staff/programs/${LIAONING}/filings?unit=210100&limit=1&cursor=${first.body.next}`,
      { headers: as('cityShenyang') },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.filingId).not.toBe(first.body.items[0]?.filingId);
    const bad = await api.call('GET', `/staff/programs/${LIAONING}/filings?status=nope&limit=0`, {
      headers: as('provinceLiaoning'),
    });
    expect(bad.status).toBe(422);
    expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      'limit',
      'status',
    ]);
  });

  it('unmasks only with a reason, and writes who, what and why to the audit log first', async () => {
    const path = `/staff/filings/${filed.shenyangB.filingId}/reveal`;
    const noReason = await api.call('POST', path, {
      headers: as('cityShenyang'),
      body: { fields: ['idNumber'] },
    });
    expect(noReason.status).toBe(422);
    const revealed = await api.call<{ idNumber: string }>('POST', path, {
      headers: as('cityShenyang'),
      body: { fields: ['idNumber'], reason: '核对身份 identity check' },
    });
    expect(revealed.status).toBe(200);
    expect(revealed.body.idNumber).toBe(filed.shenyangB.idNumber);
    const audit = await api.call<{
      lines: { kind: string; what: string; actorId?: string; reason?: string }[];
    }>('GET', `/staff/filings/${filed.shenyangB.filingId}/audit`, { headers: as('auditorLiaoning') });
    expect(audit.body.lines).toContainEqual(
      expect.objectContaining({
        kind: 'access',
        what: 'reveal:idNumber',
        actorId: 'staff-cityShenyang',
        reason: '核对身份 identity check',
      }),
    );
    expect(audit.body.lines).toContainEqual(expect.objectContaining({ kind: 'transition', what: 'submit' }));
    expect(audit.text).not.toContain(filed.shenyangB.idNumber);
    // The unit's log has it too, and exports as CSV (with a BOM for Excel).
    const csv = await fetch(`${runtime.baseUrl}/staff/programs/${LIAONING}/units/210100/audit?format=csv`, {
      headers: as('provinceLiaoning'),
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.startsWith('\uFEFF') || text.startsWith('时间')).toBe(true);
    expect(text).toContain('reveal:idNumber');
    expect(text).toContain(filed.shenyangA.filingId);
  });
});

describe('the city summary (附件2)', () => {
  it('exports a unit’s approved filings as XLSX and CSV, masked, and logs the export', async () => {
    // Shenyang's first filing is approved by the city (what 附件2 lists); the second is not.
    const repo = api.repository();
    const id = filed.shenyangA.filingId;
    const at = new Date().toISOString();
    await repo.transition({
      filingId: id,
      expected: { state: 'submitted', version: 1 },
      action: 'start_city_review',
      actor: { role: 'system' },
      at,
    });
    await repo.transition({
      filingId: id,
      expected: { state: 'city_review', version: 2 },
      action: 'approve',
      actor: { role: 'city', id: 'r1', unit: '210100' },
      at,
    });
    const xlsx = await fetch(
      `${runtime.baseUrl}/staff/programs/${LIAONING}/units/210100/summary?format=xlsx`,
      {
        headers: as('cityShenyang'),
      },
    );
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(xlsx.headers.get('x-row-count')).toBe('1');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).value).toBe('序号');
    expect(sheet?.rowCount).toBe(2);
    const cells = JSON.stringify(sheet?.getRow(2).values);
    expect(cells).toContain('张伟');
    expect(cells).not.toContain(filed.shenyangA.idNumber);
    expect(cells).not.toContain(filed.shenyangA.mobile);
    const csv = await fetch(`${runtime.baseUrl}/staff/programs/${LIAONING}/units/210100/summary?format=csv`, {
      headers: as('provinceLiaoning'),
    });
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    const text = bytes.toString('utf8');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(2);
    // Other units, auditors and bad formats are refused; the exports are in the unit's audit log.
    const other = await api.call('GET', `/staff/programs/${LIAONING}/units/210100/summary`, {
      headers: as('cityDalian'),
    });
    expect(other.status).toBe(403);
    const auditor = await api.call('GET', `/staff/programs/${LIAONING}/units/210100/summary`, {
      headers: as('auditorLiaoning'),
    });
    expect(auditor.status).toBe(403);
    const bad = await api.call('GET', `/staff/programs/${LIAONING}/units/210100/summary?format=pdf`, {
      headers: as('cityShenyang'),
    });
    expect(bad.status).toBe(422);
    const log = await api.call<{ lines: { kind: string; what: string; actorId?: string }[] }>(
      'GET',
      `/staff/programs/${LIAONING}/units/210100/audit`,
      { headers: as('auditorLiaoning') },
    );
    expect(log.body.lines.filter((l) => l.kind === 'access').map((l) => `${l.actorId} ${l.what}`)).toEqual(
      expect.arrayContaining(['staff-cityShenyang export:xlsx:1', 'staff-provinceLiaoning export:csv:1']),
    );
  });
});

describe('the target-progress report', () => {
  it('is computed for province staff and auditors as JSON, CSV or HTML with charts; cities are refused', async () => {
    const json = await api.call<{ kind: string; programId: string; totals: Record<string, number> }>(
      'GET',
      `/staff/programs/${LIAONING}/report`,
      { headers: as('provinceLiaoning') },
    );
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ kind: 'target-progress', programId: LIAONING });
    const html = await api.call('GET', `/staff/programs/${LIAONING}/report?format=html`, {
      headers: as('auditorLiaoning'),
    });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('<svg');
    // One policy on the wire, the page's, so the report's inline styles apply.
    const policies = (
      await rawHeaders(`/staff/programs/${LIAONING}/report?format=html`, as('auditorLiaoning'))
    )
      .filter(([name]) => name.toLowerCase() === 'content-security-policy')
      .map(([, value]) => value);
    expect(policies).toHaveLength(1);
    expect(policies[0]).toContain("style-src 'unsafe-inline'");
    expect(html.text).not.toMatch(/http-equiv="content-security-policy"/i);
    const csv = await fetch(`${runtime.baseUrl}/staff/programs/${LIAONING}/report?format=csv`, {
      headers: as('provinceLiaoning'),
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(
      (await api.call('GET', `/staff/programs/${LIAONING}/report`, { headers: as('cityShenyang') })).status,
    ).toBe(403);
    expect(
      (
        await api.call('GET', `/staff/programs/${LIAONING}/report?asOf=2999-01-01`, {
          headers: as('provinceLiaoning'),
        })
      ).status,
    ).toBe(422);
  });
});

describe('import of pool members over HTTP', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const post = (actor: string, body: Uint8Array, type = XLSX) =>
    fetch(
      `${runtime.baseUrl}/staff/programs/${LIAONING}/imports?fileName=${encodeURIComponent('名单.xlsx')}`,
      {
        method: 'POST',
        headers: { ...as(actor), 'content-type': type },
        body,
      },
    );

  it('imports a filled template for province staff, nothing twice, and refuses everyone else', async () => {
    const template = await fetch(`${runtime.baseUrl}/staff/programs/${LIAONING}/imports/template`, {
      headers: as('provinceLiaoning'),
    });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toBe(XLSX);
    const { importTemplate } = await import('#shared/use-cases/imports/import-sheet.ts');
    const { getProgram } = await import('#shared/domain/programs/index.ts');
    const rows = [82_001, 82_002, 82_003].map((n) => validFiling({ n, unit: '210200' }));
    const book = new Uint8Array(await importTemplate(getProgram(LIAONING), rows));
    const first = await post('provinceLiaoning', book);
    expect(first.status).toBe(200);
    const report = (await first.json()) as {
      imported: number;
      warned: number;
      refused: number;
      rows: unknown[];
    };
    expect(report.imported + report.warned).toBe(3);
    expect(report.refused).toBe(0);
    expect(JSON.stringify(report)).not.toContain(rows[0]?.person.idNumber);
    const again = (await (await post('provinceLiaoning', book)).json()) as {
      present: number;
      imported: number;
    };
    expect(again).toMatchObject({ present: 3, imported: 0 });
    const pool = await api.call<{ items: unknown[] }>('GET', `/staff/programs/${LIAONING}/pool?unit=210200`, {
      headers: as('cityDalian'),
    });
    expect(pool.body.items).toHaveLength(3);
    expect((await post('cityDalian', book)).status).toBe(403);
    expect((await post('auditorLiaoning', book)).status).toBe(403);
    expect((await post('provinceLiaoning', new TextEncoder().encode('not a workbook'))).status).toBe(422);
    expect((await post('provinceLiaoning', book, 'text/plain')).status).toBe(415);
  });
});
