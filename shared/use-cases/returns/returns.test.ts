// The annual return's use cases against an in-memory store and the in-memory filing
// repository (both keep their ports' contracts): pool members grouped by enterprise with the
// right address; links mailed in bounded batches, never twice; the return form's rules (a
// person of another enterprise refuses the whole form, nothing written; a second return 409;
// after the deadline 410); the city's acknowledgement bound to its unit; removals applied
// once, a person removed meanwhile skipped.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { initialUnitState, type UnitReturnState } from '#workflows/return-state.ts';
import { ACTOR_FOR, validFiling } from '../../../test/support/fixtures.ts';
import { MemoryFilingRepository } from '../../../test/support/memory-filing-repository.ts';
import { localHasher } from '../../data/keyed-hash.ts';
import { parseFiling } from '../../domain/filing.ts';
import { type Action, type FilingState, REASON_REQUIRED } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { EnterpriseNotice, ReturnNotifier, SummaryNotice } from '../../ports/returns.ts';
import { langOf, returnPostPage, returnPage as returnView } from '../../views/return-pages.ts';
import { hashLinkToken } from '../workflow/links.ts';
import { readReturnForm, unitResults } from './answers.ts';
import { memoryReturnStore } from './memory-store.ts';
import { openReturn, type ReturnPageDeps, submitReturn } from './pages.ts';
import { groupByEnterprise, returnSteps } from './steps.ts';

/** The page a link's GET answers: the use case's outcome rendered, as functions/returns/page.ts does. */
const returnPage = async (deps: ReturnPageDeps, token: string, lang?: string) =>
  returnView(await openReturn(deps, token), langOf(lang));
/** The page a link's POST answers, as functions/returns/submit.ts does. */
const postReturn = async (deps: ReturnPageDeps, token: string, form: URLSearchParams) =>
  returnPostPage(await submitReturn(deps, token, form), langOf(form.get('lang')));

const P = 'liaoning-cso';
const Y = '2026';
const U = '210100';
const liaoning = getProgram(P);
const anhui = getProgram('anhui-std-director');
const NOW = new Date('2026-11-01T00:00:00Z');

interface Person {
  id: string;
  uscc: string;
  state?: FilingState;
  contactEmail?: string | null;
  email?: string;
  createdAt?: string;
}

/** How each state a test names is reached through the lifecycle. */
const PATHS: Partial<Record<FilingState, Action[]>> = {
  in_pool: ['start_city_review', 'approve', 'include'],
  rejected: ['start_city_review', 'reject'],
  removed: ['start_city_review', 'approve', 'include', 'remove'],
};

/** Files the person's filing and walks it to its state (the pool by default: version 4). */
async function add(repo: MemoryFilingRepository, p: Person, n: number): Promise<void> {
  const input = validFiling({ n, unit: U });
  const { contactEmail: _dropped, ...enterprise } = input.enterprise;
  const filing = parseFiling({
    ...input,
    person: { ...input.person, ...(p.email ? { email: p.email } : {}) },
    enterprise: { ...enterprise, uscc: p.uscc, contactEmail: p.contactEmail ?? 'x@example.cn' },
  });
  if (p.contactEmail === null) delete (filing.enterprise as { contactEmail?: string }).contactEmail;
  if (p.email === '') (filing.person as { email: string }).email = '';
  const at = p.createdAt ?? `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`;
  await repo.create({ filingId: p.id, programId: P, filing, warnings: [], actor: { role: 'applicant' }, at });
  for (const [version, action] of (PATHS[p.state ?? 'in_pool'] ?? []).entries()) {
    const { state } = await repo.get(p.id);
    await repo.transition({
      filingId: p.id,
      expected: { state, version: version + 1 },
      action,
      actor: { role: ACTOR_FOR[action] },
      at,
      ...(REASON_REQUIRED.includes(action) ? { reason: '不符合条件' } : {}),
    });
  }
}

const A = '91210100MA0XYW122Q';
const B = '91350200776049653A';
const C = '92141127MA0KD1Y64A';

async function setup(people: Person[], batchSize = 2, now = () => NOW) {
  const repo = new MemoryFilingRepository(localHasher(new Uint8Array(randomBytes(32))));
  for (const [i, p] of people.entries()) await add(repo, p, 91_000 + i);
  // Only the writes of the test itself are asserted on.
  repo.transitions.length = 0;
  const store = memoryReturnStore({
    poolUnits: { [P]: [U] },
    unitFilings: { [`${P}#${U}`]: people.map((p) => p.id) },
  });
  const mails: EnterpriseNotice[] = [];
  const summaries: SummaryNotice[] = [];
  const notifier: ReturnNotifier = {
    enterprise: async (n) => {
      mails.push(n);
    },
    summary: async (n) => {
      summaries.push(n);
    },
    results: async () => {},
    failure: async () => {},
  };
  const succeeded: string[] = [];
  const tasks = {
    succeed: async (token: string) => {
      succeeded.push(token);
    },
    fail: async () => {},
  };
  const steps = returnSteps({
    repo,
    store,
    notifier,
    starter: {
      startProgram: async () => ({ execution: 'x', alreadyStarted: false }),
      startUnit: async () => {},
    },
    tasks,
    apiBaseUrl: 'https://api.example.cn',
    batchSize,
    now,
  });
  const pages = { store, tasks, now };
  const tokenOf = (link: string) => link.split('/').pop() as string;
  return { repo, store, mails, summaries, succeeded, steps, pages, tokenOf };
}

/** Opens the unit and sends every batch of links, as the workflow does. */
async function opened(s: Awaited<ReturnType<typeof setup>>) {
  let state: UnitReturnState = await s.steps.openUnit(initialUnitState(P, Y, U));
  let tasks = 0;
  while (state.more) {
    state = await s.steps.sendLinks(state);
    tasks++;
  }
  return { state, tasks };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe('grouping pool members by enterprise', () => {
  it('one enterprise per credit code; its link goes to the newest filing’s contact, else the officer’s own email', async () => {
    const s = await setup([
      { id: 'F1', uscc: A, contactEmail: 'old@a.cn', createdAt: '2025-01-01T00:00:00Z' },
      { id: 'F2', uscc: A, contactEmail: 'new@a.cn', createdAt: '2025-02-01T00:00:00Z' },
      { id: 'F3', uscc: B, contactEmail: null, email: 'officer@b.cn' },
      { id: 'F4', uscc: C, contactEmail: null, email: '' },
      { id: 'F5', uscc: C, state: 'rejected', contactEmail: 'never@c.cn' },
    ]);
    const records = [...s.repo.records.values()].filter((r) => r.state === 'in_pool');
    const groups = groupByEnterprise(P, Y, U, records);
    expect(
      groups.map((g) => [g.seq, g.uscc, g.members.map((m) => m.filingId), g.recipients, g.fallback]),
    ).toEqual([
      [1, A, ['F1', 'F2'], ['new@a.cn'], false],
      [2, B, ['F3'], ['officer@b.cn'], true],
      [3, C, ['F4'], [], false],
    ]);
    expect(groups[0]?.members[0]).toEqual({ filingId: 'F1', name: '张*', role: 'cso', position: '副总经理' });
  });
});

describe('opening a unit', () => {
  it('mails each reachable enterprise one link in batches, lists the unreachable, and never mails twice', async () => {
    const s = await setup([
      { id: 'F1', uscc: A },
      { id: 'F2', uscc: A },
      { id: 'F3', uscc: B },
      { id: 'F4', uscc: C, contactEmail: null, email: '' },
      { id: 'F5', uscc: C, state: 'removed' },
    ]);
    const { tasks } = await opened(s);
    expect(tasks).toBe(2); // 3 enterprises, 2 per task
    expect(s.mails.map((m) => [m.enterprise.uscc, m.kind, m.enterprise.members.length])).toEqual([
      [A, 'notify', 2],
      [B, 'notify', 1],
    ]);
    const unit = await s.store.getUnit(P, Y, U);
    expect(unit).toMatchObject({
      enterprises: 3,
      members: 4,
      status: 'collecting',
      deadline: '2026-11-22T00:00:00.000Z',
    });
    expect(unit?.unreachable).toEqual([
      { uscc: C, enterprise: expect.any(String), members: 1, unreachable: true },
    ]);
    // A retried batch finds the links sent.
    await s.steps.sendLinks({ ...initialUnitState(P, Y, U), enterprises: 3, sent: 0, more: true });
    expect(s.mails).toHaveLength(2);
    // Reminders go only to the enterprises that have not answered.
    const first = s.tokenOf(s.mails[0]?.link ?? '');
    expect(
      (
        await postReturn(
          s.pages,
          first,
          form({ inpost_F1: 'yes', result_F1: 'qualified', inpost_F2: 'yes', result_F2: 'qualified' }),
        )
      ).status,
    ).toBe(200);
    const next = await s.steps.nextReturnWait({ ...initialUnitState(P, Y, U), enterprises: 3 });
    expect(next).toMatchObject({
      next: 'remind',
      attempt: 1,
      sent: 0,
      wait: { kind: 'remind', timeoutSeconds: 6 * 86_400 },
    });
    let state = next;
    while (state.more) state = await s.steps.sendReminders(state);
    expect(s.mails.slice(2).map((m) => [m.enterprise.uscc, m.kind])).toEqual([[B, 'remind']]);
  });
});

describe('the enterprise’s return', () => {
  it('GET changes nothing; a valid return is kept once (409 after); the last one resumes the wait', async () => {
    const s = await setup([
      { id: 'F1', uscc: A },
      { id: 'F2', uscc: A },
    ]);
    await opened(s);
    await s.steps.awaitReturns({ ...initialUnitState(P, Y, U), enterprises: 1 }, 'TOKEN-1');
    const token = s.tokenOf(s.mails[0]?.link ?? '');
    const before = structuredClone([...s.store.enterprises.values()]);
    const page = await returnPage(s.pages, token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('张*');
    expect(page.html).toContain(`href="/return/${token}?lang=en"`);
    expect((await returnPage(s.pages, token, 'en')).html).toContain('Still in post?');
    expect([...s.store.enterprises.values()]).toEqual(before);

    const answer = {
      inpost_F1: 'yes',
      result_F1: 'excellent',
      nominate_F1: 'yes',
      reason_F1: '主持制定企业标准体系',
      inpost_F2: 'no',
    };
    const sent = await postReturn(s.pages, token, form(answer));
    expect(sent.status).toBe(200);
    expect(s.succeeded).toEqual(['TOKEN-1']);
    const stored = await s.store.getEnterprise(P, Y, U, 1);
    expect(stored?.answers).toEqual({
      F1: { inPost: true, result: 'excellent', nomination: { reason: '主持制定企业标准体系' } },
      F2: { inPost: false },
    });
    expect((await postReturn(s.pages, token, form(answer))).status).toBe(409);
    expect((await returnPage(s.pages, token)).status).toBe(409);
    expect((await s.store.getUnit(P, Y, U))?.answered).toBe(1);
  });

  it('refuses a form naming a person of another enterprise whole, writing nothing', async () => {
    const s = await setup([
      { id: 'F1', uscc: A },
      { id: 'F3', uscc: B },
    ]);
    await opened(s);
    const token = s.tokenOf(s.mails[0]?.link ?? '');
    const refused = await postReturn(
      s.pages,
      token,
      form({ inpost_F1: 'yes', result_F1: 'qualified', inpost_F3: 'no' }),
    );
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('不属于本企业的人员');
    expect((await s.store.getEnterprise(P, Y, U, 1))?.answeredAt).toBeUndefined();
    expect((await s.store.getEnterprise(P, Y, U, 2))?.answeredAt).toBeUndefined();
    expect((await s.store.getUnit(P, Y, U))?.answered).toBe(0);
  });

  it('asks for every person; nominations only for 优秀 with a reason of at most 200 characters', () => {
    const ent = { members: [{ filingId: 'F1', name: '张*', role: 'cso', position: 'x' }] };
    const issues = (fields: Record<string, string>) => {
      const read = readReturnForm(liaoning, ent, form(fields));
      return read.ok ? [] : read.issues.map((i) => i.code);
    };
    expect(issues({})).toEqual(['in_post_required']);
    expect(issues({ inpost_F1: 'yes' })).toEqual(['result_required']);
    expect(issues({ inpost_F1: 'yes', result_F1: 'qualified', nominate_F1: 'yes', reason_F1: 'x' })).toEqual([
      'nominee_not_excellent',
    ]);
    expect(issues({ inpost_F1: 'no', nominate_F1: 'yes', reason_F1: 'x' })).toEqual(['nominee_left']);
    expect(issues({ inpost_F1: 'yes', result_F1: 'excellent', nominate_F1: 'yes' })).toEqual(['required']);
    expect(
      issues({ inpost_F1: 'yes', result_F1: 'excellent', nominate_F1: 'yes', reason_F1: '好'.repeat(201) }),
    ).toEqual(['too_long']);
    expect(
      issues({ inpost_F1: 'yes', result_F1: 'excellent', nominate_F1: 'yes', reason_F1: '优\u202E秀' }),
    ).toEqual(['invisible_characters']);
    expect(
      issues({ inpost_F1: 'yes', result_F1: 'excellent', nominate_F1: 'yes', reason_F1: '好'.repeat(200) }),
    ).toEqual([]);
    // Anhui has no scale: still in post, and a nomination with a reason.
    const read = readReturnForm(
      anhui,
      ent,
      form({ inpost_F1: 'yes', result_F1: 'unqualified', nominate_F1: 'yes', reason_F1: '优秀' }),
    );
    expect(read).toEqual({ ok: true, answers: { F1: { inPost: true, nomination: { reason: '优秀' } } } });
  });

  it('answers 410 after the deadline, writing nothing', async () => {
    let now = NOW;
    const s = await setup([{ id: 'F1', uscc: A }], 2, () => now);
    await opened(s);
    const token = s.tokenOf(s.mails[0]?.link ?? '');
    now = new Date('2026-11-22T00:00:01Z');
    expect((await returnPage(s.pages, token)).status).toBe(410);
    expect(
      (await postReturn(s.pages, token, form({ inpost_F1: 'yes', result_F1: 'qualified' }))).status,
    ).toBe(410);
    expect((await s.store.getEnterprise(P, Y, U, 1))?.answeredAt).toBeUndefined();
  });
});

describe('the city’s acknowledgement', () => {
  async function reviewing() {
    const s = await setup([
      { id: 'F1', uscc: A },
      { id: 'F2', uscc: A },
      { id: 'F3', uscc: B },
      { id: 'F4', uscc: C },
    ]);
    const { state } = await opened(s);
    const tokenFor = (uscc: string) => s.tokenOf(s.mails.find((m) => m.enterprise.uscc === uscc)?.link ?? '');
    await postReturn(
      s.pages,
      tokenFor(A),
      form({ inpost_F1: 'yes', result_F1: 'unqualified', inpost_F2: 'no' }),
    );
    await postReturn(
      s.pages,
      tokenFor(B),
      form({ inpost_F3: 'yes', result_F3: 'excellent', nominate_F3: 'yes', reason_F3: '标准化成效显著' }),
    );
    const closed = await s.steps.closeCollection(state);
    await s.steps.openAcknowledgement(closed, 'ACK-1');
    return { s, closed, link: s.summaries[0]?.links[0] ?? '' };
  }

  it('lists removals, nominees and the follow-up; refuses another unit; removes once; skips a person removed meanwhile', async () => {
    const { s, closed, link } = await reviewing();
    expect(closed).toMatchObject({
      removals: 2,
      applied: 0,
      wait: { kind: 'notify', timeoutSeconds: 14 * 86_400 },
    });
    const unit = await s.store.getUnit(P, Y, U);
    expect(unit?.results?.followUp).toEqual([
      { uscc: C, enterprise: expect.any(String), members: 1, unreachable: false },
    ]);
    expect(unit?.results?.nominees.map((n) => [n.filingId, n.reason])).toEqual([['F3', '标准化成效显著']]);
    const token = s.tokenOf(link);
    const page = await returnPage(s.pages, token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('未报告企业，需跟进');
    expect(page.html).toContain('考核不合格（淘汰）');

    // The form names another unit: refused, nothing written.
    expect((await postReturn(s.pages, token, form({ unit: '210200', acknowledge: 'yes' }))).status).toBe(403);
    expect((await s.store.getUnit(P, Y, U))?.status).toBe('reviewing');
    // A city link that names another unit than its own opens nothing.
    const foreign = 'x'.repeat(43);
    await s.store.putLink({
      tokenHash: hashLinkToken(foreign),
      programId: P,
      year: Y,
      unit: U,
      kind: 'city',
      reviewer: { role: 'city', id: 'other@x.cn', unit: '210200' },
      createdAt: NOW.toISOString(),
      expiresAt: '2027-01-01T00:00:00Z',
    });
    expect((await returnPage(s.pages, foreign)).status).toBe(404);
    expect((await postReturn(s.pages, foreign, form({ unit: U, acknowledge: 'yes' }))).status).toBe(404);

    // F2 leaves the pool by another way before the acknowledgement is applied.
    await s.repo.transition({
      filingId: 'F2',
      expected: { state: 'in_pool', version: 4 },
      action: 'remove',
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
      reason: '本人撤回同意',
    });
    expect((await postReturn(s.pages, token, form({ unit: U, acknowledge: 'yes' }))).status).toBe(200);
    expect(s.succeeded).toContain('ACK-1');
    expect((await postReturn(s.pages, token, form({ unit: U, acknowledge: 'yes' }))).status).toBe(409);

    const applied = await s.steps.applyRemovals(closed);
    expect(applied).toMatchObject({ applied: 2, more: false });
    await s.steps.applyRemovals(closed); // a retried batch changes nothing
    const removals = s.repo.transitions.filter((t) => t.detail?.returnYear === Y);
    expect(removals).toEqual([
      expect.objectContaining({
        filingId: 'F1',
        action: 'remove',
        actor: { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: U },
        reason: '年度考核不合格（淘汰）',
        detail: { returnYear: Y, cause: 'unqualified', uscc: A },
      }),
    ]);
    expect((await s.store.getUnit(P, Y, U))?.outcomes).toEqual({ F1: 'removed', F2: 'skipped' });
    expect((await s.repo.get('F4')).state).toBe('in_pool'); // no return: follow-up, not removal
  });

  it('escalates to the province, then expires (nothing removed)', async () => {
    const { s, closed } = await reviewing();
    const escalated = await s.steps.nextAcknowledgementWait(closed);
    expect(escalated.wait).toEqual({ kind: 'escalate', timeoutSeconds: 21 * 86_400 });
    await s.steps.openAcknowledgement(escalated, 'ACK-2');
    expect(s.summaries.at(-1)).toMatchObject({ kind: 'escalate', recipients: liaoning.provinceReviewers });
    await expect(s.steps.nextAcknowledgementWait(escalated)).rejects.toThrow(/did not acknowledge/);
    expect((await s.store.getUnit(P, Y, U))?.status).toBe('failed');
    expect(s.repo.transitions).toEqual([]);
  });
});

describe('unit results', () => {
  it('count an enterprise with no answer as follow-up only', () => {
    const results = unitResults(U, []);
    expect(results).toMatchObject({ enterprises: 0, answered: 0, removals: [], followUp: [] });
  });
});
