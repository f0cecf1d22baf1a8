// The annual return (激励考核, by the enterprise): the real ASL (workflows/annual-return.asl.json
// and unit-return.asl.json) with the real handlers on the local engine and DynamoDB Local,
// driven as people drive it: province staff open the year, each enterprise answers from the
// link in its email in the outbox, the city bureau acknowledges its unit's summary from its
// link, the local clock is advanced for reminders, the deadline and the escalation. Pool
// members are put in the pool through the repository (the review workflow has its own suite).
// Batches hold 2 enterprises here (RETURN_BATCH_SIZE), so mailing and removals loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { sumCounters } from '#shared/data/counter-item.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { type ApiDriver, apiDriver, type OutboxItem } from '../e2e/driver.ts';
import { usccFor, validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

const LIAONING = 'liaoning-cso';
const ANHUI = 'anhui-std-director';
const YEAR = String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear());

let runtime: Runtime;
let api: ApiDriver;
let n = 700_000;
const tokens: Record<string, string> = {};
const actors: Record<string, StaffScope[]> = {
  province: [{ role: 'province', programId: LIAONING }],
  auditor: [{ role: 'auditor', programId: LIAONING }],
  city: [{ role: 'city', programId: LIAONING, unit: '210100' }],
  anhuiProvince: [{ role: 'province', programId: ANHUI }],
};
const as = (actor: string) => ({ authorization: `Bearer ${tokens[actor]}` });

beforeAll(async () => {
  runtime = await startRuntime({ RETURN_BATCH_SIZE: '2' });
  api = apiDriver(runtime);
  const keys = staffKeyFile(runtime.localDir);
  for (const [name, scopes] of Object.entries(actors)) {
    tokens[name] = await issueStaffToken(keys, { scopes, subject: `staff-${name}` });
  }
});

afterAll(async () => {
  await runtime?.stop();
});

/**
 * A filing put in the pool through the repository, of the enterprise `uscc` (its contact
 * `contactEmail`; `null`: a filing stored before the field existed).
 */
async function member(
  programId: string,
  unit: string,
  uscc: string,
  contactEmail: string | null,
  person: { name?: string; publication?: boolean } = {},
) {
  const repo = api.repository();
  const k = n++;
  const parsed = parseFiling(
    validFiling(programId === ANHUI ? { n: k, unit, role: 'director', region: unit } : { n: k, unit }),
  );
  const filing = {
    ...parsed,
    person: { ...parsed.person, ...(person.name ? { name: person.name } : {}) },
    enterprise: { ...parsed.enterprise, uscc, name: `企业${uscc.slice(-4)}` },
    consent: {
      ...parsed.consent,
      ...(person.publication !== undefined ? { publication: person.publication } : {}),
    },
  };
  if (contactEmail === null) delete (filing.enterprise as { contactEmail?: string }).contactEmail;
  else filing.enterprise.contactEmail = contactEmail;
  const at = () => new Date().toISOString();
  const created = await repo.create({
    filingId: newFilingId(),
    programId,
    filing,
    warnings: [],
    actor: { role: 'applicant' },
    at: at(),
  });
  let version = created.version;
  let state = created.state;
  const steps = [
    ['start_city_review', 'system'],
    ['approve', 'city'],
    ['include', 'province'],
  ] as const;
  for (const [action, role] of steps) {
    const event = await repo.transition({
      filingId: created.filingId,
      expected: { state, version },
      action,
      actor: { role },
      at: at(),
    });
    version = event.version;
    state = event.to;
  }
  return { id: created.filingId, email: filing.person.email };
}

async function eventually(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

/** The newest mail of `kind` to `address`, once it is there. */
async function mailTo(kind: string, address: string, after = ''): Promise<OutboxItem> {
  let found: OutboxItem | undefined;
  await eventually(async () => {
    found = (await api.outbox()).find((m) => m.kind === kind && m.to.includes(address) && m.at > after);
    return found !== undefined;
  });
  if (!found) throw new Error(`no ${kind} to ${address}`);
  return found;
}

const linkOf = (mail: OutboxItem) => {
  const [link] = mail.links;
  if (!link) throw new Error(`no link in ${mail.kind}`);
  return link;
};

const execution = async (name: string) => (await api.executions()).find((e) => e.name === name);

const start = (programId: string, year: string, actor: string) =>
  api.call('POST', `/staff/programs/${programId}/returns/${year}`, { headers: as(actor) });

const results = (programId: string, year: string, actor: string) =>
  api.call<ResultsBody>('GET', `/staff/programs/${programId}/returns/${year}`, { headers: as(actor) });

interface ResultsBody {
  status: string;
  units: {
    unit: string;
    status: string;
    answered: { uscc: string }[];
    unanswered: { uscc: string; unreachable: boolean }[];
    removals: { filingId: string; cause: string; outcome?: string }[];
    nominees: { filingId: string; name: string; reason: string }[];
  }[];
}

const form = (link: string, fields: Record<string, string>) => api.decide(link, fields);

/** Current counts of a programme's unit (summed over the yearly counter items, all roles). */
async function counts(programId: string, unit: string) {
  const items = (await api.tableItems()).filter((i) => i.pk === `COUNTERS#${programId}`);
  const totals = { in_pool: 0, removed: 0 };
  for (const [key, c] of sumCounters(items)) {
    if (!key.startsWith(`${unit}#`)) continue;
    totals.in_pool += c.in_pool;
    totals.removed += c.removed;
  }
  return totals;
}

const byUnit = (body: ResultsBody, unit: string) => body.units.find((u) => u.unit === unit);

describe('the annual return', () => {
  it('each enterprise answers once from its link; the city acknowledges; 不合格 and left the post leave the pool; no answer is only followed up', async () => {
    const [A, B, C, D] = [usccFor(710_001), usccFor(710_002), usccFor(710_003), usccFor(710_004, '210200')];
    const a1 = await member(LIAONING, '210100', A, 'hr@a.example.cn');
    const a2 = await member(LIAONING, '210100', A, 'hr@a.example.cn');
    const b1 = await member(LIAONING, '210100', B, 'boss@b.example.cn');
    const b2 = await member(LIAONING, '210100', B, 'boss@b.example.cn');
    // An older filing without the enterprise contact's address: the link goes to the officer.
    const c1 = await member(LIAONING, '210100', C, null);
    const d1 = await member(LIAONING, '210200', D, 'office@d.example.cn');
    const before = await counts(LIAONING, '210100');

    // Only the province opens it; the year must make sense; a second start is harmless.
    expect((await start(LIAONING, YEAR, 'city')).status).toBe(403);
    expect((await start(LIAONING, '2999', 'province')).status).toBe(422);
    const first = await start(LIAONING, YEAR, 'province');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'started', execution: `${LIAONING}-${YEAR}` });
    expect((await start(LIAONING, YEAR, 'province')).body).toMatchObject({
      execution: `${LIAONING}-${YEAR}`,
    });

    const mailA = await mailTo('return_request', 'hr@a.example.cn');
    const mailB = await mailTo('return_request', 'boss@b.example.cn');
    const mailC = await mailTo('return_request', c1.email);
    const mailD = await mailTo('return_request', 'office@d.example.cn');
    await api.settled();
    // One mail per enterprise (four enterprises, two per batch), one parent and one child per unit.
    expect((await api.outbox()).filter((m) => m.kind === 'return_request')).toHaveLength(4);
    expect(mailA.subject).toContain('年度报告');
    const names = (await api.executions())
      .map((e) => e.name)
      .filter((x) => x.startsWith(`${LIAONING}-${YEAR}`));
    expect(names.sort()).toEqual([
      `${LIAONING}-${YEAR}`,
      `${LIAONING}-${YEAR}-210100`,
      `${LIAONING}-${YEAR}-210200`,
    ]);

    // GET shows the form and changes nothing (a mail scanner opens it first).
    const untouched = await api.tableItems();
    const pageA = await api.reviewPage(linkOf(mailA));
    await api.call('GET', `${new URL(linkOf(mailA)).pathname}?lang=en`);
    await api.settled();
    expect(await api.tableItems()).toEqual(untouched);
    expect(pageA.status).toBe(200);
    expect(pageA.headers.get('referrer-policy')).toBe('no-referrer');
    expect(pageA.headers.get('content-security-policy')?.split(',')).toHaveLength(1);
    expect(pageA.text).toContain(a1.id);
    expect(pageA.text).toContain(a2.id);
    expect(pageA.text).not.toContain(b1.id);
    expect(pageA.text).toContain('张*');
    expect(pageA.text).not.toContain('张伟');

    // A return naming a person of another enterprise is refused whole: nothing written.
    const foreign = await form(linkOf(mailB), {
      [`inpost_${b1.id}`]: 'yes',
      [`result_${b1.id}`]: 'qualified',
      [`inpost_${b2.id}`]: 'yes',
      [`result_${b2.id}`]: 'qualified',
      [`inpost_${a1.id}`]: 'no',
    });
    expect(foreign.status).toBe(422);
    await api.settled();
    expect(await api.tableItems()).toEqual(untouched);

    const answerA = {
      [`inpost_${a1.id}`]: 'yes',
      [`result_${a1.id}`]: 'excellent',
      [`nominate_${a1.id}`]: 'yes',
      [`reason_${a1.id}`]: '主持制定企业标准体系，成效显著',
      [`inpost_${a2.id}`]: 'no',
    };
    expect((await form(linkOf(mailA), answerA)).status).toBe(200);
    // The same return again: the first one stands.
    expect(
      (
        await form(linkOf(mailA), {
          ...answerA,
          [`inpost_${a2.id}`]: 'yes',
          [`result_${a2.id}`]: 'qualified',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await form(linkOf(mailB), {
          [`inpost_${b1.id}`]: 'yes',
          [`result_${b1.id}`]: 'unqualified',
          [`inpost_${b2.id}`]: 'yes',
          [`result_${b2.id}`]: 'qualified',
        })
      ).status,
    ).toBe(200);
    // Nothing leaves the pool before the city acknowledges.
    expect((await api.repository().get(a2.id)).state).toBe('in_pool');

    // Dalian's only enterprise answers: its collection closes at once and its city is asked to acknowledge.
    expect(
      (await form(linkOf(mailD), { [`inpost_${d1.id}`]: 'yes', [`result_${d1.id}`]: 'qualified' })).status,
    ).toBe(200);
    const dalianSummary = await mailTo('return_summary', 'review-210200@liaoning-cso.example.cn');
    await api.settled();

    // Shenyang waits for C: reminders on days 14 and 20 go to C only, then the deadline on day 21.
    await api.tick('14d');
    await mailTo('return_reminder', c1.email);
    await api.settled();
    await api.tick('6d');
    await eventually(
      async () => (await api.outbox()).filter((m) => m.kind === 'return_reminder').length >= 2,
    );
    expect(
      (await api.outbox()).filter((m) => m.kind === 'return_reminder').every((m) => m.to.includes(c1.email)),
    ).toBe(true);
    await api.settled();
    await api.tick('1d');
    const shenyangSummary = await mailTo('return_summary', 'review-210100@liaoning-cso.example.cn');
    await api.settled();
    // After the deadline C's link takes nothing.
    expect(
      (await form(linkOf(mailC), { [`inpost_${c1.id}`]: 'yes', [`result_${c1.id}`]: 'qualified' })).status,
    ).toBe(410);

    // The city's summary: removals, the follow-up list, the nominee.
    const summaryPage = await api.reviewPage(linkOf(shenyangSummary));
    expect(summaryPage.status).toBe(200);
    expect(summaryPage.text).toContain('未报告企业，需跟进');
    expect(summaryPage.text).toContain(C);
    expect(summaryPage.text).toContain('主持制定企业标准体系');
    // One city's link cannot acknowledge another unit's returns.
    expect((await form(linkOf(dalianSummary), { unit: '210100', acknowledge: 'yes' })).status).toBe(403);
    expect((await form(linkOf(shenyangSummary), { unit: '210200', acknowledge: 'yes' })).status).toBe(403);
    const stillReviewing = await results(LIAONING, YEAR, 'province');
    expect(stillReviewing.body.units.map((u) => [u.unit, u.status])).toEqual([
      ['210100', 'reviewing'],
      ['210200', 'reviewing'],
    ]);

    // a2 leaves the pool by another way before the acknowledgement: skipped, not a failure.
    const repo = api.repository();
    const a2Now = await repo.get(a2.id);
    await repo.transition({
      filingId: a2.id,
      expected: { state: a2Now.state, version: a2Now.version },
      action: 'remove',
      actor: { role: 'province', id: 'staff-province' },
      at: new Date().toISOString(),
      reason: '本人撤回同意',
    });
    expect((await form(linkOf(shenyangSummary), { unit: '210100', acknowledge: 'yes' })).status).toBe(200);
    expect((await form(linkOf(shenyangSummary), { unit: '210100', acknowledge: 'yes' })).status).toBe(409);
    expect((await form(linkOf(dalianSummary), { unit: '210200', acknowledge: 'yes' })).status).toBe(200);
    await eventually(async () => (await execution(`${LIAONING}-${YEAR}`))?.status === 'SUCCEEDED');
    for (const unit of ['210100', '210200'])
      expect((await execution(`${LIAONING}-${YEAR}-${unit}`))?.status).toBe('SUCCEEDED');

    // 不合格 is one removal by the acknowledging city, with its reason and detail.
    expect((await repo.get(b1.id)).state).toBe('removed');
    expect((await repo.history(b1.id)).at(-1)).toMatchObject({
      action: 'remove',
      from: 'in_pool',
      to: 'removed',
      actor: { role: 'city', unit: '210100', id: 'review-210100@liaoning-cso.example.cn' },
      reason: '年度考核不合格（淘汰）',
      detail: { returnYear: YEAR, cause: 'unqualified', uscc: B },
    });
    expect((await repo.history(a2.id)).at(-1)).toMatchObject({ reason: '本人撤回同意' });
    for (const id of [a1.id, b2.id, c1.id, d1.id]) expect((await repo.get(id)).state).toBe('in_pool');
    expect(await counts(LIAONING, '210100')).toEqual({
      in_pool: before.in_pool - 2,
      removed: before.removed + 2,
    });

    // Where it stands: province and auditors every unit, the city its own.
    expect((await results(LIAONING, YEAR, 'auditor')).status).toBe(200);
    const read = await results(LIAONING, YEAR, 'province');
    expect(read.body.status).toBe('closed');
    const shenyang = byUnit(read.body, '210100');
    expect(shenyang?.status).toBe('done');
    expect(shenyang?.answered.map((e) => e.uscc).sort()).toEqual([A, B].sort());
    expect(shenyang?.unanswered).toEqual([expect.objectContaining({ uscc: C, unreachable: false })]);
    expect(shenyang?.removals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ filingId: a2.id, cause: 'left', outcome: 'skipped' }),
        expect.objectContaining({ filingId: b1.id, cause: 'unqualified', outcome: 'removed' }),
      ]),
    );
    expect(shenyang?.nominees).toEqual([
      expect.objectContaining({ filingId: a1.id, name: '张*', reason: '主持制定企业标准体系，成效显著' }),
    ]);
    const city = await results(LIAONING, YEAR, 'city');
    expect(city.status).toBe(200);
    expect(city.body.units.map((u) => u.unit)).toEqual(['210100']);
    await mailTo('return_results', 'review-province@liaoning-cso.example.cn');
    expect((await start(LIAONING, YEAR, 'province')).body).toMatchObject({ status: 'closed' });
  });

  it('Anhui: still in post and a nomination only; the province acknowledges after the city lets it pass', async () => {
    const E = usccFor(720_001, '340100');
    const director = await member(ANHUI, '340100', E, 'office@e.example.cn');
    expect((await start(ANHUI, YEAR, 'anhuiProvince')).status).toBe(202);
    const mail = await mailTo('return_request', 'office@e.example.cn');
    const page = await api.reviewPage(linkOf(mail));
    expect(page.text).toContain('是否仍在岗');
    expect(page.text).not.toContain(`result_${director.id}`);
    expect(
      (
        await form(linkOf(mail), {
          [`inpost_${director.id}`]: 'yes',
          [`nominate_${director.id}`]: 'yes',
          [`reason_${director.id}`]: '企业标准化工作成效突出',
        })
      ).status,
    ).toBe(200);
    await mailTo('return_summary', 'review-340100@anhui-std-director.example.cn');
    await api.settled();
    // The city lets its 14 days pass: the province gets the summary and acknowledges it.
    await api.tick('14d');
    const escalation = await mailTo('return_escalation', 'review-province@anhui-std-director.example.cn');
    expect((await api.reviewPage(linkOf(escalation))).text).toContain('已转交省局处理');
    expect((await form(linkOf(escalation), { unit: '340100', acknowledge: 'yes' })).status).toBe(200);
    await eventually(async () => (await execution(`${ANHUI}-${YEAR}`))?.status === 'SUCCEEDED');
    expect((await api.repository().get(director.id)).state).toBe('in_pool');
    const read = await results(ANHUI, YEAR, 'anhuiProvince');
    expect(byUnit(read.body, '340100')).toMatchObject({
      status: 'done',
      removals: [],
      nominees: [expect.objectContaining({ filingId: director.id, reason: '企业标准化工作成效突出' })],
    });
  });
});

describe('优秀评选', () => {
  it('the province selects among the nominees; the list names only who consented to publication', async () => {
    // A year of its own, so the other tests' returns are not this one's.
    const year = String(Number(YEAR) - 1);
    const E = usccFor(730_001);
    const consenting = await member(LIAONING, '210100', E, 'hr@sel.example.cn', {
      name: '赵敏',
      publication: true,
    });
    const silent = await member(LIAONING, '210100', E, 'hr@sel.example.cn', { name: '钱多多' });
    const notNominated = await member(LIAONING, '210100', E, 'hr@sel.example.cn', {
      name: '孙立',
      publication: true,
    });
    expect((await start(LIAONING, year, 'province')).status).toBe(202);
    const mail = await mailTo('return_request', 'hr@sel.example.cn');
    const answered = await form(linkOf(mail), {
      [`inpost_${consenting.id}`]: 'yes',
      [`result_${consenting.id}`]: 'excellent',
      [`nominate_${consenting.id}`]: 'yes',
      [`reason_${consenting.id}`]: '牵头制定行业标准',
      [`inpost_${silent.id}`]: 'yes',
      [`result_${silent.id}`]: 'excellent',
      [`nominate_${silent.id}`]: 'yes',
      [`reason_${silent.id}`]: '企业标准体系建设成效显著',
      [`inpost_${notNominated.id}`]: 'yes',
      [`result_${notNominated.id}`]: 'qualified',
    });
    expect(answered.status).toBe(200);
    await api.settled();

    const path = `/staff/programs/${LIAONING}/returns/${year}`;
    const nominees = await api.call<{ nominees: { filingId: string; name: string; selected: boolean }[] }>(
      'GET',
      `${path}/nominees`,
      { headers: as('province') },
    );
    expect(nominees.status).toBe(200);
    expect(nominees.body.nominees.map((x) => [x.filingId, x.name, x.selected]).sort()).toEqual(
      [
        [consenting.id, '赵*', false],
        [silent.id, '钱**', false],
      ].sort(),
    );

    // A member who was not nominated cannot be selected; city staff cannot select.
    const refused = await api.call('PUT', `${path}/selection`, {
      headers: as('province'),
      body: { selected: [consenting.id, notNominated.id] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ errors: [{ path: 'selected.1', code: 'not_nominee' }] });
    const byCity = await api.call('PUT', `${path}/selection`, {
      headers: as('city'),
      body: { selected: [consenting.id] },
    });
    expect(byCity.status).toBe(403);
    expect((await api.call('GET', `${path}/selection`, { headers: as('city') })).status).toBe(403);
    const empty = await api.call<{ entries: unknown[] }>('GET', `${path}/selection`, {
      headers: as('province'),
    });
    expect(empty.body.entries).toEqual([]);

    for (let i = 0; i < 2; i++) {
      const put = await api.call('PUT', `${path}/selection`, {
        headers: as('province'),
        body: { selected: [consenting.id, silent.id] },
      });
      expect(put.status).toBe(200);
    }
    const list = await api.call<{ entries: { name: string; published: boolean; enterprise: string }[] }>(
      'GET',
      `${path}/selection`,
      { headers: as('auditor') },
    );
    expect(list.status).toBe(200);
    expect(list.body.entries.map((e) => [e.name, e.published, e.enterprise])).toEqual([
      ['赵敏', true, `企业${E.slice(-4)}`],
      ['钱**', false, `企业${E.slice(-4)}`],
    ]);
    expect(list.text).not.toContain('钱多多');
    const csv = await api.call('GET', `${path}/selection?format=csv`, { headers: as('province') });
    expect(csv.status).toBe(200);
    expect(csv.text.replace(/^\uFEFF/, '')).toContain('赵敏');
    expect(csv.text).not.toContain('钱多多');
  });
});
