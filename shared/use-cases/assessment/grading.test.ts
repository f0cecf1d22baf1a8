// The grading pages against the in-memory store: GET shows a page and changes nothing; each
// page is decided once by its POST; 不合格 needs a reason and "确认淘汰"; the last page resumes
// the workflow; links are bound to their unit and expire.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../../domain/programs/index.ts';
import { newLinkToken } from '../workflow/links.ts';
import { readGradingForm } from './grades.ts';
import { gradePage, gradingPage } from './grading.ts';
import { memoryAssessmentStore } from './memory-store.ts';
import type { AssessmentPage, Grader } from './ports.ts';

const P = 'liaoning-cso';
const Y = '2026';
const U = '210100';
const NOW = new Date('2026-11-05T00:00:00Z');
const CITY: Grader = { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: U };
const ids = ['F0000000000001', 'F0000000000002', 'F0000000000003'];

async function setup(options: { reviewer?: Grader; expiresAt?: string; taskToken?: string } = {}) {
  const store = memoryAssessmentStore();
  const pages: AssessmentPage[] = [
    { programId: P, year: Y, unit: U, page: 1, members: ids.slice(0, 2).map((filingId) => member(filingId)) },
    { programId: P, year: Y, unit: U, page: 2, members: ids.slice(2).map((filingId) => member(filingId)) },
  ];
  await store.createUnit(
    {
      programId: P,
      year: Y,
      unit: U,
      status: 'open',
      members: 3,
      pageSize: 2,
      pageCount: 2,
      pagesDecided: 0,
      openedAt: NOW.toISOString(),
    },
    pages,
  );
  if (options.taskToken !== '') {
    await store.setUnitWait(P, Y, U, {
      taskToken: options.taskToken ?? 'token-1',
      escalated: false,
      deadline: 'x',
    });
  }
  const { token, hash } = newLinkToken();
  await store.putLink({
    tokenHash: hash,
    programId: P,
    year: Y,
    unit: U,
    stage: 'assessment',
    reviewer: options.reviewer ?? CITY,
    createdAt: NOW.toISOString(),
    expiresAt: options.expiresAt ?? '2026-12-13T00:00:00.000Z',
  });
  const resumed: { token: string; output: unknown }[] = [];
  let failCallback = false;
  const deps = {
    store,
    now: () => NOW,
    tasks: {
      succeed: async (taskToken: string, output: unknown) => {
        if (failCallback) throw Object.assign(new Error('gone'), { name: 'TaskTimedOut' });
        resumed.push({ token: taskToken, output });
      },
      fail: async () => {},
    },
  };
  return { store, token, deps, resumed, breakCallback: () => (failCallback = true) };
}

function member(filingId: string) {
  return { filingId, name: '张*', role: 'cso', enterprise: `企业${filingId.slice(-1)}` };
}

const form = (entries: Record<string, string>) => new URLSearchParams(entries);

describe('the grading page (GET)', () => {
  it('shows the first open page, masked, with every grade of the programme, and changes nothing', async () => {
    const { store, token, deps } = await setup();
    const before = JSON.stringify([...store.units.values(), ...store.pages.values()]);
    const page = await gradingPage(deps, token);
    expect(page.status).toBe(200);
    for (const label of ['优秀', '合格', '基本合格', '不合格', '确认淘汰', '张*', ids[0], ids[1]]) {
      expect(page.html).toContain(label);
    }
    expect(page.html).not.toContain(ids[2]);
    expect(page.html).toContain(`/assessment/${token}?page=2`);
    expect((await gradingPage(deps, token, '2')).html).toContain(ids[2]);
    expect(JSON.stringify([...store.units.values(), ...store.pages.values()])).toBe(before);
  });

  it('answers unknown tokens, pages out of range, other units and expired links with their own pages', async () => {
    const { token, deps } = await setup();
    expect((await gradingPage(deps, 'not-a-token')).status).toBe(404);
    expect((await gradingPage(deps, newLinkToken().token)).status).toBe(404);
    expect((await gradingPage(deps, token, '3')).status).toBe(404);
    expect((await gradingPage(deps, token, 'x')).status).toBe(404);
    const misbound = await setup({ reviewer: { ...CITY, unit: '210200' } });
    expect((await gradingPage(misbound.deps, misbound.token)).status).toBe(404);
    const expired = await setup({ expiresAt: '2026-11-01T00:00:00.000Z' });
    expect((await gradingPage(expired.deps, expired.token)).status).toBe(410);
    const failed = await setup();
    await failed.store.finishUnit(P, Y, U, { status: 'failed', at: 'x', error: 'AssessmentExpired' }, true);
    expect((await gradingPage(failed.deps, failed.token)).status).toBe(410);
  });
});

describe('grading a page (POST)', () => {
  it('refuses a page without every grade, or a 不合格 without reason and confirmation, and keeps the choices', async () => {
    const { store, token, deps } = await setup();
    const partial = await gradePage(deps, token, form({ page: '1', [`grade_${ids[0]}`]: 'qualified' }));
    expect(partial.status).toBe(422);
    expect(partial.html).toContain('还有 1 人未选');
    const unconfirmed = await gradePage(
      deps,
      token,
      form({
        page: '1',
        [`grade_${ids[0]}`]: 'unqualified',
        [`reason_${ids[0]}`]: '未履职',
        [`grade_${ids[1]}`]: 'excellent',
      }),
    );
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.html).toContain('确认淘汰');
    expect(unconfirmed.html).toMatch(new RegExp(`name="grade_${ids[1]}" value="excellent" required checked`));
    expect(unconfirmed.html).toContain('value="未履职"');
    expect((await store.getUnit(P, Y, U))?.pagesDecided).toBe(0);
  });

  it('records the first decision per page, and resumes the workflow with the last page', async () => {
    const { store, token, deps, resumed } = await setup();
    const first = await gradePage(
      deps,
      token,
      form({
        page: '1',
        [`grade_${ids[0]}`]: 'unqualified',
        [`reason_${ids[0]}`]: '  全年未履职  ',
        [`confirm_${ids[0]}`]: 'yes',
        [`grade_${ids[1]}`]: 'excellent',
      }),
    );
    expect(first.status).toBe(200);
    expect(first.html).toContain('1 人评为不合格');
    expect(first.html).toContain(`/assessment/${token}?page=2`);
    expect(resumed).toEqual([]);
    expect((await store.getPage(P, Y, U, 1))?.grades).toEqual({
      [ids[0] as string]: { grade: 'unqualified', reason: '全年未履职' },
      [ids[1] as string]: { grade: 'excellent' },
    });
    expect((await store.getPage(P, Y, U, 1))?.decidedBy).toEqual(CITY);
    // Again on the same page: the first decision stands; the GET says so too.
    expect(
      (
        await gradePage(
          deps,
          token,
          form({ page: '1', [`grade_${ids[0]}`]: 'qualified', [`grade_${ids[1]}`]: 'qualified' }),
        )
      ).status,
    ).toBe(409);
    expect((await gradingPage(deps, token, '1')).status).toBe(409);
    // Without a page number the form is taken for the first open page.
    expect((await gradingPage(deps, token)).html).toContain(ids[2]);
    const last = await gradePage(
      deps,
      token,
      form({ page: '2', [`grade_${ids[2]}`]: 'basically_qualified' }),
    );
    expect(last.status).toBe(200);
    expect(last.html).toContain('已全部提交');
    expect(resumed).toEqual([{ token: 'token-1', output: { gradedAt: NOW.toISOString() } }]);
    // The link is spent.
    expect((await gradingPage(deps, token)).status).toBe(409);
    expect((await gradePage(deps, token, form({ page: '2', [`grade_${ids[2]}`]: 'qualified' }))).status).toBe(
      409,
    );
  });

  it('keeps the grades when the wait cannot be resumed (it finds them when it re-opens)', async () => {
    const { store, token, deps, breakCallback } = await setup();
    breakCallback();
    await gradePage(deps, token, form({ page: '2', [`grade_${ids[2]}`]: 'qualified' }));
    const res = await gradePage(
      deps,
      token,
      form({ page: '1', [`grade_${ids[0]}`]: 'qualified', [`grade_${ids[1]}`]: 'qualified' }),
    );
    expect(res.status).toBe(200);
    expect((await store.getUnit(P, Y, U))?.pagesDecided).toBe(2);
  });

  it('answers "over" when the unit closed between reading the link and the write', async () => {
    const { store, token, deps } = await setup();
    const decide = store.decidePage.bind(store);
    store.decidePage = async (...args) => {
      // The expiry lands just before this POST's write.
      await store.finishUnit(P, Y, U, { status: 'failed', at: 'x', error: 'AssessmentExpired' }, true);
      return decide(...args);
    };
    const res = await gradePage(deps, token, form({ page: '2', [`grade_${ids[2]}`]: 'qualified' }));
    expect(res.status).toBe(409);
    expect(res.html).toContain('年度考核已结束');
    expect((await store.getPage(P, Y, U, 2))?.decidedAt).toBeUndefined();
  });
});

describe('readGradingForm', () => {
  const program = getProgram(P);
  const members = ids.slice(0, 1).map((filingId) => member(filingId));
  it('accepts only the grades the programme offers', () => {
    const only = {
      ...program,
      assessment: { ...program.assessment, grades: ['qualified', 'unqualified'] as const },
    };
    expect(readGradingForm(only as never, members, form({ [`grade_${ids[0]}`]: 'excellent' })).ok).toBe(
      false,
    );
    expect(readGradingForm(program, members, form({ [`grade_${ids[0]}`]: 'excellent' }))).toEqual({
      ok: true,
      grades: { [ids[0] as string]: { grade: 'excellent' } },
    });
  });

  it('drops a reason given with a passing grade, and needs both reason and confirmation for 不合格', () => {
    expect(
      readGradingForm(
        program,
        members,
        form({ [`grade_${ids[0]}`]: 'qualified', [`reason_${ids[0]}`]: '备注' }),
      ),
    ).toEqual({ ok: true, grades: { [ids[0] as string]: { grade: 'qualified' } } });
    const noReason = readGradingForm(
      program,
      members,
      form({ [`grade_${ids[0]}`]: 'unqualified', [`confirm_${ids[0]}`]: 'yes' }),
    );
    expect(noReason).toMatchObject({ ok: false, missing: [ids[0]] });
  });

  it('keeps a reason of up to 200 characters; refuses a longer one or one with invisible or control characters, never cutting it', () => {
    const unqualified = (reason: string) =>
      readGradingForm(
        program,
        members,
        form({
          [`grade_${ids[0]}`]: 'unqualified',
          [`reason_${ids[0]}`]: reason,
          [`confirm_${ids[0]}`]: 'yes',
        }),
      );
    const longest = `未履职\r\n${'职'.repeat(196)}`; // 200 characters once CRLF reads as one newline
    expect(unqualified(longest)).toEqual({
      ok: true,
      grades: { [ids[0] as string]: { grade: 'unqualified', reason: `未履职\n${'职'.repeat(196)}` } },
    });
    expect(unqualified(`${longest}职`)).toEqual({
      ok: false,
      error: '不合格的理由不得超过 200 个字符（现有 201 个）。',
      missing: [ids[0]],
    });
    expect(unqualified('x'.repeat(60_000))).toMatchObject({ ok: false, missing: [ids[0]] });
    for (const hidden of ['\u202E职履未', '未\u200B履职', '未履职\u0007', '未履\uFEFF职']) {
      const refused = unqualified(hidden);
      expect(refused, JSON.stringify(hidden)).toMatchObject({ ok: false, missing: [ids[0]] });
      expect(!refused.ok && refused.error).toContain('含有不可见或控制字符');
    }
  });
});
