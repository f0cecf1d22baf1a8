// The checks a reviewer relies on, through the API of the local runtime: a second active 首席标准官 in one
// enterprise and a credit code registered outside the chosen unit are accepted with warnings kept on the filing;
// a last-character typo in a credit code is refused on the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccFor, validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver, type ErrorBody } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;
let n = 93_000;
const next = () => n++;

interface Created {
  filingId: string;
  receiptToken: string;
  warnings: { path: string; code: string; message: { zh: string } }[];
}

beforeAll(async () => {
  runtime = await startRuntime({ LOCAL_WORKFLOWS: 'off' });
  api = apiDriver(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

async function submit(filing: ReturnType<typeof validFiling>, programId = 'liaoning-cso') {
  const res = await api.submit(programId, filing);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as unknown as Created;
}

const codes = (created: Created) => created.warnings.map((w) => w.code);

describe('checks reviewers rely on', () => {
  it('warns of a second active CSO in the enterprise on online submission, and keeps the warning', async () => {
    const uscc = usccFor(next());
    const first = validFiling({ n: next() });
    first.enterprise.uscc = uscc;
    expect(codes(await submit(first))).not.toContain('role_count_unusual');
    const second = validFiling({ n: next() });
    second.enterprise.uscc = uscc;
    const created = await submit(second);
    const warning = created.warnings.find((w) => w.code === 'role_count_unusual');
    expect(warning?.path).toBe('role');
    expect(warning?.message.zh).toContain('首席标准官');
    const status = await api.status(created.filingId, created.receiptToken);
    expect(status.body.warnings).toEqual(created.warnings);
    // A specialist in the same enterprise is no unusual number.
    const specialist = validFiling({ n: next(), role: 'specialist' });
    specialist.enterprise.uscc = uscc;
    expect(codes(await submit(specialist))).not.toContain('role_count_unusual');
  });

  it('warns when the credit code was registered in another city than the chosen unit', async () => {
    const created = await submit(validFiling({ n: next(), unit: '210100', region: '210200' }));
    const warning = created.warnings.find((w) => w.code === 'unit_region_mismatch');
    expect(warning?.path).toBe('enterprise.reportingUnit');
    expect(warning?.message.zh).toContain('大连市');
    expect(codes(await submit(validFiling({ n: next(), unit: '21-SF', region: '210200' })))).not.toContain(
      'unit_region_mismatch',
    );
  });

  it('refuses a last-character typo in the credit code on the code, and accepts the Fujian legacy code with its warning', async () => {
    const typo = validFiling({ n: next() });
    typo.enterprise.uscc = '91350200776049653B';
    const refused = await api.submit('liaoning-cso', typo);
    expect(refused.status).toBe(422);
    expect((refused.body as unknown as ErrorBody).errors.map((e) => [e.path, e.code])).toContainEqual([
      'enterprise.uscc',
      'uscc_check_digit',
    ]);
    const legacy = validFiling({ n: next() });
    legacy.enterprise.uscc = '91350203M0001QKT19';
    expect(codes(await submit(legacy))).toContain('uscc_legacy_check_digit');
  });
});
