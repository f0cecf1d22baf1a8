// The yearly plans through the real local runtime: province staff PUT a year's plans, read them
// back, and the target-progress report of that year shows each unit against its plan; bad
// input is a 422 naming the fields, and the write is in the units' access log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;
const LIAONING = 'liaoning-cso';
const YEAR = String(new Date().getUTCFullYear());
const tokens: Record<string, string> = {};
const actors: Record<string, StaffScope[]> = {
  province: [{ role: 'province', programId: LIAONING }],
  auditor: [{ role: 'auditor', programId: LIAONING }],
  city: [{ role: 'city', programId: LIAONING, unit: '210100' }],
};
const as = (actor: string) => ({ authorization: `Bearer ${tokens[actor]}` });

beforeAll(async () => {
  runtime = await startRuntime({ LOCAL_WORKFLOWS: 'off' });
  api = apiDriver(runtime);
  const keys = staffKeyFile(runtime.localDir);
  for (const [name, scopes] of Object.entries(actors)) {
    tokens[name] = await issueStaffToken(keys, { scopes, subject: `plans-${name}` });
  }
});

afterAll(async () => {
  await runtime?.stop();
});

describe('yearly plans over HTTP', () => {
  it('a province PUT is read back and shown in the report of the year', async () => {
    const path = `/staff/programs/${LIAONING}/plans/${YEAR}`;
    const put = await api.call('PUT', path, {
      headers: as('province'),
      body: {
        units: [
          { unit: '210200', people: { director: 4 } },
          { unit: '210100', people: { cso: 12, specialist: 30 }, enterprises: 20 },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ programId: LIAONING, year: YEAR, setBy: 'plans-province' });
    const read = await api.call<{ units: unknown[] }>('GET', path, { headers: as('auditor') });
    expect(read.status).toBe(200);
    expect(read.body.units).toEqual([
      { unit: '210100', people: { cso: 12, specialist: 30 }, enterprises: 20 },
      { unit: '210200', people: { director: 4 } },
    ]);
    const report = await api.call<{
      plan: { year: string; units: { unit: string; people: { planned: number } }[] };
    }>('GET', `/staff/programs/${LIAONING}/report`, { headers: as('province') });
    expect(report.status).toBe(200);
    expect(report.body.plan.year).toBe(YEAR);
    expect(report.body.plan.units.map((u) => [u.unit, u.people.planned])).toEqual([
      ['210100', 42],
      ['210200', 4],
    ]);
    const html = await api.call('GET', `/staff/programs/${LIAONING}/report?format=html`, {
      headers: as('auditor'),
    });
    expect(html.text).toContain(`${YEAR} 年度发展计划`);
    // The write is in each named unit's access log.
    const log = await api.call<{ lines: { kind: string; what?: string; actorId?: string }[] }>(
      'GET',
      `/staff/programs/${LIAONING}/units/210200/audit`,
      { headers: as('auditor') },
    );
    expect(log.body.lines.filter((l) => l.kind === 'access').map((l) => `${l.actorId} ${l.what}`)).toContain(
      `plans-province plan:${YEAR}`,
    );
  });

  it('answers 422 naming every bad field, 403 to others, and changes nothing', async () => {
    const path = `/staff/programs/${LIAONING}/plans/${YEAR}`;
    const before = await api.call('GET', path, { headers: as('province') });
    const bad = await api.call<{
      errors: { path: string; code: string; message: { zh: string; en: string } }[];
    }>('PUT', path, {
      headers: as('province'),
      body: {
        units: [
          { unit: '340100', people: { cso: 1 } },
          { unit: '210100', people: { lead: 2, cso: -1 } },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.path)).toContain('units.1.people.cso');
    const semantic = await api.call<{ errors: { path: string; code: string; message: { zh: string } }[] }>(
      'PUT',
      path,
      {
        headers: as('province'),
        body: {
          units: [
            { unit: '340100', people: { cso: 1 } },
            { unit: '210100', people: { lead: 2 } },
          ],
        },
      },
    );
    expect(semantic.status).toBe(422);
    expect(semantic.body.errors.map((e) => [e.path, e.code])).toEqual([
      ['units.0.unit', 'unknown_unit'],
      ['units.1.people.lead', 'unknown_role'],
    ]);
    expect(semantic.body.errors[0]?.message.zh).toContain('340100');
    const year = await api.call<{ errors: { path: string }[] }>(
      'PUT',
      `/staff/programs/${LIAONING}/plans/20x6`,
      {
        headers: as('province'),
        body: { units: [] },
      },
    );
    expect(year.status).toBe(422);
    expect(year.body.errors[0]?.path).toBe('year');
    for (const who of ['auditor', 'city']) {
      const res = await api.call('PUT', path, { headers: as(who), body: { units: [] } });
      expect(res.status, who).toBe(403);
    }
    expect((await api.call('GET', path, { headers: as('province') })).body).toEqual(before.body);
  });
});
