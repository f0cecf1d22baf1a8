// The annual assessment: the real ASL (workflows/annual-assessment.asl.json and
// unit-assessment.asl.json) with the real handlers on the local engine and DynamoDB Local,
// driven as people drive it: province staff start the year, each unit's reviewer grades from
// the link in the email in the outbox, the local clock is advanced for reminders, escalation
// and expiry. Pool members are put in the pool through the repository (the review workflow
// has its own suite). Pages hold 2 members here (ASSESSMENT_PAGE_SIZE), so a unit of 3 has
// two pages on one link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { sumCounters } from '#shared/data/counter-item.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { StaffScope } from '#shared/domain/staff.ts';
import { type ApiDriver, apiDriver, type OutboxItem } from '../e2e/driver.ts';
import { validFiling } from '../support/fixtures.ts';
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
  runtime = await startRuntime({ ASSESSMENT_PAGE_SIZE: '2' });
  api = apiDriver(runtime);
  const keys = staffKeyFile(runtime.localDir);
  for (const [name, scopes] of Object.entries(actors)) {
    tokens[name] = await issueStaffToken(keys, { scopes, subject: `staff-${name}` });
  }
});

afterAll(async () => {
  await runtime?.stop();
});

/** A filing moved through the lifecycle by the repository: `in_pool` unless told to stop earlier. */
async function member(programId: string, unit: string, stopAt: 'submitted' | 'in_pool' = 'in_pool') {
  const repo = api.repository();
  const k = n++;
  const filing = parseFiling(
    validFiling(programId === ANHUI ? { n: k, unit, role: 'director', region: unit } : { n: k, unit }),
  );
  const at = () => new Date().toISOString();
  const created = await repo.create({
    filingId: newFilingId(),
    programId,
    filing,
    warnings: [],
    actor: { role: 'applicant' },
    at: at(),
  });
  if (stopAt === 'submitted') return created.filingId;
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
  return created.filingId;
}

async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
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
  api.call('POST', `/staff/programs/${programId}/assessments/${year}`, { headers: as(actor) });

const results = (programId: string, year: string, actor: string) =>
  api.call<ResultsBody>('GET', `/staff/programs/${programId}/assessments/${year}`, { headers: as(actor) });

interface ResultsBody {
  status: string;
  units: { unit: string; status: string; error?: string; results?: Record<string, unknown> }[];
  totals: { members: number; graded: Record<string, number>; removed: number; skipped: number };
  outstanding: { filingId: string; name: string; unit: string }[];
  unfinished: string[];
}

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

describe('the annual assessment', () => {
  it('grades two units from the emailed links: 不合格 is removed after confirmation, 优秀 is listed masked', async () => {
    const [a1, a2, a3] = [
      await member(LIAONING, '210100'),
      await member(LIAONING, '210100'),
      await member(LIAONING, '210100'),
    ] as [string, string, string];
    const notInPool = await member(LIAONING, '210100', 'submitted');
    const [b1, b2] = [await member(LIAONING, '210200'), await member(LIAONING, '210200')] as [string, string];
    const before = { shenyang: await counts(LIAONING, '210100'), dalian: await counts(LIAONING, '210200') };
    expect(before.shenyang).toEqual({ in_pool: 3, removed: 0 });

    // Only the province starts it; a second start is harmless; the year must make sense.
    expect((await start(LIAONING, YEAR, 'city')).status).toBe(403);
    expect((await start(LIAONING, '2999', 'province')).status).toBe(422);
    const first = await start(LIAONING, YEAR, 'province');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'started', execution: `${LIAONING}-${YEAR}` });
    // At once, before the execution's first step has run: Step Functions answers with the same execution.
    const second = await start(LIAONING, YEAR, 'province');
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ execution: `${LIAONING}-${YEAR}` });

    const shenyangMail = await mailTo('assessment_request', 'review-210100@liaoning-cso.example.cn');
    const dalianMail = await mailTo('assessment_request', 'review-210200@liaoning-cso.example.cn');
    await api.settled();
    // One parent, one child per unit with pool members; nothing else.
    const names = (await api.executions())
      .map((e) => e.name)
      .filter((x) => x.startsWith(`${LIAONING}-${YEAR}`));
    expect(names.sort()).toEqual([
      `${LIAONING}-${YEAR}`,
      `${LIAONING}-${YEAR}-210100`,
      `${LIAONING}-${YEAR}-210200`,
    ]);
    expect((await api.outbox()).filter((m) => m.kind === 'assessment_request')).toHaveLength(2);
    expect(shenyangMail.subject).toContain('3 人');
    // Later, the year's record answers.
    expect((await start(LIAONING, YEAR, 'province')).body).toMatchObject({ status: 'already_started' });
    expect((await api.executions()).filter((e) => e.name === `${LIAONING}-${YEAR}`)).toHaveLength(1);

    const link = linkOf(shenyangMail);
    // GET shows a page and changes nothing (a mail scanner opens it first); the batch is paged
    // (2 per page) on one link.
    await api.settled();
    const untouched = await api.tableItems();
    const page1 = await api.reviewPage(link);
    await api.call('GET', `${new URL(link).pathname}?page=2`);
    await api.settled();
    expect(await api.tableItems()).toEqual(untouched);
    expect(page1.status).toBe(200);
    // The token is in the URL: it must never leave in a Referer (the header sent once).
    expect(page1.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page1.text).toContain('第 1 页');
    expect(page1.text).toContain(a1);
    expect(page1.text).toContain(a2);
    expect(page1.text).not.toContain(a3);
    expect(page1.text).not.toContain(notInPool);
    expect(page1.text).toContain('张*');
    expect(page1.text).not.toContain('张伟');
    const page2 = await api.call('GET', `${new URL(link).pathname}?page=2`);
    expect(page2.status).toBe(200);
    expect(page2.text).toContain(a3);

    // 不合格 needs a reason and the explicit confirmation; nothing is recorded without them.
    const unconfirmed = await api.decide(link, {
      page: '1',
      [`grade_${a1}`]: 'unqualified',
      [`reason_${a1}`]: '全年未履行首席标准官职责',
      [`grade_${a2}`]: 'excellent',
    });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('确认淘汰');
    const graded1 = await api.decide(link, {
      page: '1',
      [`grade_${a1}`]: 'unqualified',
      [`reason_${a1}`]: '全年未履行首席标准官职责',
      [`confirm_${a1}`]: 'yes',
      [`grade_${a2}`]: 'excellent',
    });
    expect(graded1.status).toBe(200);
    expect(graded1.text).toContain('已提交第 1 页');
    // Nothing moves before the whole unit is graded.
    expect((await api.repository().get(a1)).state).toBe('in_pool');
    // The same page again: the first decision stands.
    expect(
      (await api.decide(link, { page: '1', [`grade_${a1}`]: 'qualified', [`grade_${a2}`]: 'qualified' }))
        .status,
    ).toBe(409);
    expect((await api.decide(link, { page: '2', [`grade_${a3}`]: 'qualified' })).status).toBe(200);
    expect(
      (
        await api.decide(linkOf(dalianMail), {
          page: '1',
          [`grade_${b1}`]: 'basically_qualified',
          [`grade_${b2}`]: 'qualified',
        })
      ).status,
    ).toBe(200);

    await eventually(async () => (await execution(`${LIAONING}-${YEAR}`))?.status === 'SUCCEEDED');
    for (const unit of ['210100', '210200']) {
      expect((await execution(`${LIAONING}-${YEAR}-${unit}`))?.status).toBe('SUCCEEDED');
    }

    // Every grade is one lifecycle event, by the city, with the grade in reason and detail.
    const repo = api.repository();
    expect((await repo.get(a1)).state).toBe('removed');
    for (const id of [a2, a3, b1, b2]) expect((await repo.get(id)).state).toBe('in_pool');
    const removal = (await repo.history(a1)).at(-1);
    expect(removal).toMatchObject({
      action: 'remove',
      from: 'in_pool',
      to: 'removed',
      actor: { role: 'city', unit: '210100' },
      reason: `年度考核 ${YEAR}：不合格（全年未履行首席标准官职责）`,
      detail: { assessmentYear: YEAR, grade: 'unqualified' },
    });
    expect((await repo.history(a2)).at(-1)).toMatchObject({
      action: 'assess',
      reason: `年度考核 ${YEAR}：优秀`,
      detail: { assessmentYear: YEAR, grade: 'excellent' },
    });
    expect((await repo.history(b1)).at(-1)).toMatchObject({ reason: `年度考核 ${YEAR}：基本合格` });
    for (const id of [a1, a2, a3, b1, b2]) {
      const assessed = (await repo.history(id)).filter((e) => e.action === 'assess' || e.action === 'remove');
      expect(assessed, id).toHaveLength(1);
    }
    expect((await repo.get(notInPool)).state).toBe('submitted');

    // Counters follow: one removal in Shenyang, none in Dalian.
    expect(await counts(LIAONING, '210100')).toEqual({ in_pool: 2, removed: 1 });
    expect(await counts(LIAONING, '210200')).toEqual(before.dalian);

    // Results per unit and programme, stored and readable by the province and auditors only.
    expect((await results(LIAONING, YEAR, 'city')).status).toBe(403);
    expect((await results(LIAONING, YEAR, 'auditor')).status).toBe(200);
    const read = await results(LIAONING, YEAR, 'province');
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('closed');
    expect(read.body.totals).toEqual({
      members: 5,
      graded: { excellent: 1, qualified: 2, basically_qualified: 1, unqualified: 1 },
      removed: 1,
      skipped: 0,
    });
    expect(read.body.units.map((u) => [u.unit, u.status])).toEqual([
      ['210100', 'done'],
      ['210200', 'done'],
    ]);
    expect(read.body.units[0]?.results).toMatchObject({ members: 3, removed: 1 });
    expect(read.body.outstanding).toEqual([
      expect.objectContaining({ filingId: a2, name: '张*', unit: '210100' }),
    ]);
    expect(read.body.unfinished).toEqual([]);
    const summary = await mailTo('assessment_summary', 'review-province@liaoning-cso.example.cn');
    expect(summary.subject).toContain(`${YEAR} 年度考核结果`);

    // The link is spent: the page and the form both say so.
    expect((await api.reviewPage(link)).status).toBe(409);
    expect((await api.decide(link, { page: '2', [`grade_${a3}`]: 'excellent' })).status).toBe(409);
    // A started year's third start still changes nothing.
    expect((await start(LIAONING, YEAR, 'province')).body).toMatchObject({ status: 'closed' });
  });

  it('reminds the city, escalates to the province who grades, and expires a unit nobody grades', async () => {
    const graded = await member(ANHUI, '340100');
    const forgotten = await member(ANHUI, '340200');
    expect((await start(ANHUI, YEAR, 'anhuiProvince')).status).toBe(202);
    const hefei = 'review-340100@anhui-std-director.example.cn';
    const province = 'review-province@anhui-std-director.example.cn';
    const request = await mailTo('assessment_request', hefei);
    await mailTo('assessment_request', 'review-340200@anhui-std-director.example.cn');
    await api.settled();

    // dueDays 21: reminders a week before and the day before the due day, then the province.
    expect((await api.tick('14d')).status).toBe(200);
    await mailTo('assessment_reminder', hefei);
    await api.settled();
    await api.tick('6d');
    await eventually(
      async () =>
        (await api.outbox()).filter((m) => m.kind === 'assessment_reminder' && m.to.includes(hefei)).length >=
        2,
    );
    await api.settled();
    await api.tick('1d');
    let escalation: OutboxItem | undefined;
    await eventually(async () => {
      const mails = (await api.outbox()).filter(
        (m) => m.kind === 'assessment_escalation' && m.to.includes(province),
      );
      escalation = mails.find((m) => m.subject.includes('合肥'));
      return mails.length >= 2 && escalation !== undefined;
    });
    const escalated = linkOf(escalation as OutboxItem);
    const pageView = await api.reviewPage(escalated);
    expect(pageView.text).toContain('已转交省局处理');
    expect((await api.decide(escalated, { page: '1', [`grade_${graded}`]: 'qualified' })).status).toBe(200);
    await eventually(async () => (await execution(`${ANHUI}-${YEAR}-340100`))?.status === 'SUCCEEDED');
    expect((await api.repository().history(graded)).at(-1)).toMatchObject({
      action: 'assess',
      actor: { role: 'province' },
      reason: `年度考核 ${YEAR}：合格`,
    });
    // The city's own link still works until the unit is graded; now it is spent.
    expect((await api.reviewPage(linkOf(request))).status).toBe(409);

    // Nobody grades 340200: after the province's time it expires, is recorded and alerted.
    await api.settled();
    await api.tick('21d');
    await eventually(async () => (await execution(`${ANHUI}-${YEAR}-340200`))?.status === 'FAILED');
    await eventually(async () => (await execution(`${ANHUI}-${YEAR}`))?.status === 'SUCCEEDED');
    await api.waitForMail('assessment_failure');
    expect((await api.repository().get(forgotten)).state).toBe('in_pool');
    const read = await results(ANHUI, YEAR, 'anhuiProvince');
    expect(read.body.units).toEqual([
      expect.objectContaining({ unit: '340100', status: 'done' }),
      expect.objectContaining({ unit: '340200', status: 'failed', error: 'AssessmentExpired' }),
    ]);
    expect(read.body.totals.graded.qualified).toBe(1);
    const forgottenLink = linkOf(
      await mailTo('assessment_request', 'review-340200@anhui-std-director.example.cn'),
    );
    expect((await api.reviewPage(forgottenLink)).status).toBe(410);
  });
});
