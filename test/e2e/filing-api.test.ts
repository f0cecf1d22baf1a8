// The public filing API through the real local runtime over HTTP: create, read with and
// without the receipt, idempotent retries, every bad-input case (and that it wrote nothing),
// amend and withdraw rules, CORS and security headers on every answer, OpenAPI and docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProgram, PROGRAMS } from '#shared/domain/programs/index.ts';
import { ROUTES } from '#shared/http/routes.ts';
import { idNumberFor, validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver, type ErrorBody } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;
let n = 50_000;
const next = () => n++;

interface Created {
  filingId: string;
  receiptToken: string;
  status: string;
  warnings: { code: string }[];
  statusUrl: string;
}

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

function expectErrorShape(body: unknown) {
  const { errors } = body as ErrorBody;
  expect(Array.isArray(errors)).toBe(true);
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(typeof e.path).toBe('string');
    expect(e.code).toMatch(/^[a-z_0-9-]+$/);
    expect(e.message.zh.length).toBeGreaterThan(0);
    expect(e.message.en.length).toBeGreaterThan(0);
  }
}

async function expectNothingWritten(action: () => Promise<unknown>) {
  await api.settled();
  const before = await api.tableItems();
  await action();
  await api.settled();
  expect(await api.tableItems()).toEqual(before);
}

describe('programs', () => {
  it('lists the programs and gives the facts the form needs', async () => {
    const list = await api.programs();
    expect(list.status).toBe(200);
    const ids = (list.body.programs as { id: string }[]).map((p) => p.id);
    expect(ids).toEqual(PROGRAMS.map((p) => p.id));
    const facts = await api.program('liaoning-cso');
    expect(facts.status).toBe(200);
    const units = facts.body.reportingUnits as { code: string; official: boolean }[];
    expect(units).toHaveLength(15);
    expect(units.find((u) => u.code === '21-SF')?.official).toBe(false);
    expect((facts.body.filingSchema as { type: string }).type).toBe('object');
    // The notice the form shows is the programme's current one (its version is stored with the consent).
    expect((facts.body.privacyNotice as { version: string }).version).toBe(
      getProgram('liaoning-cso').privacyNotice.version,
    );
    expect(JSON.stringify(facts.body)).not.toContain('@liaoning-cso.example.cn'); // reviewer contacts stay internal
  });

  it('answers 404 for an unknown program', async () => {
    const res = await api.program('nowhere');
    expect(res.status).toBe(404);
    expectErrorShape(res.body);
  });
});

describe('submit and read', () => {
  it('creates a filing and shows it only to the holder of the receipt', async () => {
    const filing = validFiling({ n: next() });
    const res = await api.submit('liaoning-cso', filing);
    expect(res.status).toBe(201);
    const created = res.body as unknown as Created;
    expect(created.filingId).toMatch(/^F[0-9A-Z]{13}$/);
    expect(created.status).toBe('submitted');
    expect(created.statusUrl).toBe(`/filings/${created.filingId}`);
    expect(res.headers.get('location')).toBe(created.statusUrl);

    const status = await api.status(created.filingId, created.receiptToken);
    expect(status.status).toBe(200);
    expect(status.body.status).toBe('submitted');
    const summary = status.body.summary as Record<string, string>;
    expect(summary.idNumber).toBe(
      `${filing.person.idNumber.slice(0, 6)}********${filing.person.idNumber.slice(-4)}`,
    );
    expect(summary.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(summary.name).toBe('张*');
    expect(status.text).not.toContain(filing.person.idNumber);
    expect(status.text).not.toContain(filing.person.mobile);
    expect(status.text).not.toContain(filing.person.email);
    expect((status.body.history as { action: string }[]).map((h) => h.action)).toEqual(['submit']);

    expect((await api.statusByQuery(created.filingId, created.receiptToken)).status).toBe(200);
  });

  it('answers 404, not 403, without or with a wrong receipt, and for unknown filings', async () => {
    const created = (await api.submit('liaoning-cso', validFiling({ n: next() }))).body as unknown as Created;
    const missing = await api.status(created.filingId);
    const wrong = await api.status(created.filingId, `${created.receiptToken.slice(0, -2)}xx`);
    const unknown = await api.status('F0000000000000', created.receiptToken);
    for (const res of [missing, wrong, unknown]) {
      expect(res.status).toBe(404);
      expectErrorShape(res.body);
    }
    expect(missing.text).toBe(unknown.text);
    expect(wrong.text).toBe(unknown.text);
  });

  it('keeps soft-rule warnings on the filing for the reviewer', async () => {
    const filing = validFiling({ n: next(), role: 'specialist' });
    filing.person.education = 'secondary';
    filing.person.titleLevel = 'junior';
    const res = await api.submit('liaoning-cso', filing);
    expect(res.status).toBe(201);
    const created = res.body as unknown as Created;
    // The training certificate of the fixture is on no pass list: the reviewer is told that too.
    expect(created.warnings.map((w) => w.code).sort()).toEqual([
      'rule_specialist-qualification',
      'training_not_on_roster',
    ]);
    const status = await api.status(created.filingId, created.receiptToken);
    expect(status.body.warnings).toEqual(created.warnings);
  });

  it('applies Anhui’s hard rule with field-level errors', async () => {
    const filing = validFiling({ n: next(), role: 'director', unit: '340100', region: '340100' });
    filing.person.standardsWorkYears = 2;
    const res = await api.submit('anhui-std-director', filing);
    expect(res.status).toBe(422);
    expect((res.body as unknown as ErrorBody).errors.map((e) => e.path)).toContain(
      'person.standardsWorkYears',
    );
  });
});

describe('idempotency', () => {
  it('returns the same answer for the same key and body, and creates nothing more', async () => {
    const filing = validFiling({ n: next() });
    const key = `key-${crypto.randomUUID()}`;
    const first = await api.submit('liaoning-cso', filing, key);
    expect(first.status).toBe(201);
    await api.settled();
    const items = await api.tableItems();
    const again = await api.submit('liaoning-cso', filing, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    await api.settled();
    expect(await api.tableItems()).toEqual(items);
  });

  it('answers 409 for the same key with another body, writing nothing', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const filing = validFiling({ n: next() });
    expect((await api.submit('liaoning-cso', filing, key)).status).toBe(201);
    const other = { ...filing, person: { ...filing.person, major: '化学工程' } };
    await expectNothingWritten(async () => {
      const res = await api.submit('liaoning-cso', other, key);
      expect(res.status).toBe(409);
      expect((res.body as unknown as ErrorBody).errors[0]?.code).toBe('idempotency_key_reused');
    });
  });

  it('makes concurrent double clicks one filing', async () => {
    const filing = validFiling({ n: next() });
    const key = `key-${crypto.randomUUID()}`;
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => api.submit('liaoning-cso', filing, key)));
    const ids = new Set(
      answers.filter((a) => a.status === 201).map((a) => (a.body as unknown as Created).filingId),
    );
    expect(ids.size).toBe(1);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const bodies = (await api.tableItems()).filter(
      (i) => i.type === 'FilingBody' && ids.has(String(i.filingId)),
    );
    expect(bodies).toHaveLength(1);
  });
});

describe('bad input changes nothing', () => {
  it('400 for malformed JSON', async () => {
    await expectNothingWritten(async () => {
      const res = await api.call('POST', '/programs/liaoning-cso/filings', {
        raw: '{"role": "cso",',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expectErrorShape(res.body);
      expect((res.body as unknown as ErrorBody).errors[0]?.code).toBe('malformed_json');
    });
  });

  it('415 for a body that is not JSON', async () => {
    await expectNothingWritten(async () => {
      const res = await api.call('POST', '/programs/liaoning-cso/filings', {
        raw: JSON.stringify(validFiling({ n: next() })),
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(415);
      expectErrorShape(res.body);
    });
  });

  it('413 for a body over 64 KB', async () => {
    const filing = validFiling({ n: next() });
    filing.person.achievements = '标'.repeat(30_000);
    await expectNothingWritten(async () => {
      const res = await api.submit('liaoning-cso', filing);
      expect(res.status).toBe(413);
      expectErrorShape(res.body);
    });
  });

  it('404 for an unknown program', async () => {
    await expectNothingWritten(async () => {
      const res = await api.submit('nowhere', validFiling({ n: next() }));
      expect(res.status).toBe(404);
      expectErrorShape(res.body);
    });
  });

  it('422 listing every failing field at once, unknown properties by path', async () => {
    const filing = validFiling({ n: next() }) as unknown as Record<string, Record<string, unknown>>;
    const person = filing.person as Record<string, unknown>;
    const enterprise = filing.enterprise as Record<string, unknown>;
    person.idNumber = '340524198001010013';
    person.mobile = '12345';
    person.email = 'not-an-email';
    person.ethnicity = '汉';
    enterprise.uscc = '91350200776149653A';
    delete person.name;
    (filing as Record<string, unknown>).extra = true;
    await expectNothingWritten(async () => {
      const res = await api.submit('liaoning-cso', filing);
      expect(res.status).toBe(422);
      expectErrorShape(res.body);
      const byPath = Object.fromEntries((res.body as unknown as ErrorBody).errors.map((e) => [e.path, e]));
      expect(Object.keys(byPath).sort()).toEqual(
        [
          'enterprise.uscc',
          'extra',
          'person.email',
          'person.ethnicity',
          'person.idNumber',
          'person.mobile',
          'person.name',
        ].sort(),
      );
      expect(byPath['person.idNumber']?.code).toBe('id_check_digit');
      expect(byPath['person.ethnicity']?.code).toBe('unknown_field');
      expect(byPath['person.name']?.code).toBe('required');
      expect(byPath['enterprise.uscc']?.message.zh).toContain('统一社会信用代码');
    });
  });

  it('422 for rule violations: unit outside the program, ID not matching the declared sex', async () => {
    const filing = validFiling({ n: next(), unit: '340100' });
    filing.person.sex = filing.person.sex === 'male' ? 'female' : 'male';
    await expectNothingWritten(async () => {
      const res = await api.submit('liaoning-cso', filing);
      expect(res.status).toBe(422);
      const paths = (res.body as unknown as ErrorBody).errors.map((e) => e.path).sort();
      expect(paths).toEqual(['enterprise.reportingUnit', 'person.sex']);
    });
  });

  it('422 for consent to a privacy notice other than the one shown now', async () => {
    const filing = validFiling({ n: next() });
    filing.consent.noticeVersion = '2025-01';
    await expectNothingWritten(async () => {
      const res = await api.submit('liaoning-cso', filing);
      expect(res.status).toBe(422);
      const errors = (res.body as unknown as ErrorBody).errors;
      expect(errors.map((e) => [e.path, e.code])).toEqual([
        ['consent.noticeVersion', 'notice_version_outdated'],
      ]);
    });
  });

  it('409 for a second active filing of the same person', async () => {
    const n1 = next();
    expect((await api.submit('liaoning-cso', validFiling({ n: n1 }))).status).toBe(201);
    const again = validFiling({ n: n1 });
    again.enterprise.name = '另一家企业有限公司';
    await expectNothingWritten(async () => {
      const res = await api.submit('liaoning-cso', again);
      expect(res.status).toBe(409);
      expect((res.body as unknown as ErrorBody).errors[0]?.code).toBe('duplicate_person');
    });
  });

  it('404 for a method the route does not have', async () => {
    const res = await api.call('DELETE', '/programs/liaoning-cso');
    expect(res.status).toBe(404);
  });
});

describe('amend and withdraw', () => {
  async function created(): Promise<Created & { n: number }> {
    const nn = next();
    const res = await api.submit('liaoning-cso', validFiling({ n: nn }));
    expect(res.status).toBe(201);
    return { ...(res.body as unknown as Created), n: nn };
  }

  it('refuses an amendment unless changes were requested', async () => {
    const c = await created();
    await expectNothingWritten(async () => {
      const res = await api.amend(c.filingId, c.receiptToken, validFiling({ n: c.n }));
      expect(res.status).toBe(409);
      expect((res.body as unknown as ErrorBody).errors[0]?.code).toBe('invalid_state');
    });
  });

  it('takes an amendment after the city asked for changes and sends it back to review', async () => {
    const c = await created();
    const repo = api.repository();
    const at = new Date().toISOString();
    await repo.transition({
      filingId: c.filingId,
      expected: { state: 'submitted', version: 1 },
      action: 'start_city_review',
      actor: { role: 'system' },
      at,
    });
    await repo.transition({
      filingId: c.filingId,
      expected: { state: 'city_review', version: 2 },
      action: 'request_changes',
      actor: { role: 'city', id: 'reviewer', unit: '210100' },
      at,
      reason: '请补充聘任文件编号',
    });
    const amended = validFiling({ n: c.n });
    amended.person.appointment.documentNumber = '企聘〔2025〕8号';
    const bad = { ...amended, person: { ...amended.person, mobile: '123' } };
    expect((await api.amend(c.filingId, c.receiptToken, bad)).status).toBe(422);
    const res = await api.amend(c.filingId, c.receiptToken, amended);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('city_review');
    expect(res.body.comments).toEqual([
      expect.objectContaining({ action: 'request_changes', text: '请补充聘任文件编号' }),
    ]);
    expect((await api.amend(c.filingId, c.receiptToken, amended)).status).toBe(409);
    expect((await api.amend(c.filingId, 'wrong-token', amended)).status).toBe(404);
  });

  it('withdraws a filing that is not final, once', async () => {
    const c = await created();
    expect((await api.withdraw(c.filingId, 'nope')).status).toBe(404);
    const res = await api.withdraw(c.filingId, c.receiptToken);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    const again = await api.withdraw(c.filingId, c.receiptToken);
    expect(again.status).toBe(409);
    // The person may file again once the filing is withdrawn.
    expect((await api.submit('liaoning-cso', validFiling({ n: c.n }))).status).toBe(201);
  });
});

describe('headers on every answer', () => {
  it('sends CORS for the configured origin and security headers, errors included', async () => {
    const answers = [
      await api.programs(),
      await api.program('nowhere'),
      await api.submit('liaoning-cso', { role: 'cso' }),
      await api.call('POST', '/programs/liaoning-cso/filings', {
        raw: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ];
    for (const res of answers) {
      expect(res.headers.get('access-control-allow-origin')).toBe(runtime.baseUrl);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toContain('max-age');
    }
    const foreign = await apiDriver(runtime, 'https://evil.example').programs();
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a CORS preflight for the submit route', async () => {
    const res = await fetch(`${runtime.baseUrl}/programs/liaoning-cso/filings`, {
      method: 'OPTIONS',
      headers: {
        origin: runtime.baseUrl,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe(runtime.baseUrl);
    expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
  });
});

describe('API documentation', () => {
  it('serves OpenAPI 3.1 covering every route, and a rendered reference page', async () => {
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    // Every route of the route table, each path once.
    expect(Object.keys(paths).sort()).toEqual([...new Set(ROUTES.map((r) => r.path))].sort());
    expect(Object.keys(paths)).toContain('/review/{token}/batch');
    expect(paths['/staff/filings/{filingId}/reveal']?.post).toMatchObject({ security: [{ staff: [] }] });
    expect(paths['/programs/{programId}/filings']?.post).toMatchObject({ operationId: 'submitFiling' });
    const page = await api.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('<script src="docs/assets/swagger-ui.js"></script>');
    const script = await api.call('GET', '/docs/assets/swagger-ui.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});

describe('logs', () => {
  it('never print an ID number, phone or e-mail of any filing of this run', async () => {
    const filing = validFiling({ n: next() });
    await api.submit('liaoning-cso', filing);
    await api.submit('liaoning-cso', { ...filing, person: { ...filing.person, idNumber: 'bad' } });
    const output = runtime.output();
    expect(output).toContain('"message":"request"');
    for (const k of [50_000, n - 1]) {
      const { idNumber } = idNumberFor(k);
      expect(output).not.toContain(idNumber);
    }
    expect(output).not.toContain(filing.person.mobile);
    expect(output).not.toContain(filing.person.email);
  });
});
