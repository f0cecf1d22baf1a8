// The workflow steps and the review pages in-process against DynamoDB Local: the real
// repository and review store, a notifier that records what it would send, and task
// callbacks that record how each waiting task was answered.
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReviewStore } from '#shared/data/review-store.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { FilingState } from '#shared/domain/lifecycle.ts';
import { maskEmail, maskName, maskPhone } from '#shared/domain/masking.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import type {
  ApplicantNotice,
  BatchNotice,
  FailureNotice,
  Notifier,
  ReviewNotice,
} from '#shared/ports/notifier.ts';
import type { Decision, ReviewStore } from '#shared/ports/reviews.ts';
import type { TaskCallbacks } from '#shared/ports/workflow.ts';
import { hashLinkToken, LINK_TOKEN_PATTERN, newLinkToken } from '#shared/use-cases/workflow/links.ts';
import { amendmentWait, cityWait, provinceWait } from '#shared/use-cases/workflow/plan.ts';
import {
  type BatchDeps,
  decideBatch,
  decideFiling,
  findReviewLink,
  openReview,
  type ReviewDeps,
  sendBatch,
  sendBatchFromLink as sendBatchNow,
} from '#shared/use-cases/workflow/review.ts';
import { type WorkflowDeps, workflowSteps } from '#shared/use-cases/workflow/steps.ts';
import {
  batchDecisionPage,
  batchSentPage,
  filingDecisionPage,
  refusalPage,
  reviewPage as reviewView,
} from '#shared/views/review-pages.ts';
import { type FilingWorkflowState, initialState } from '#workflows/filing-state.ts';
import { attachmentRefs, fakeAttachmentLinks } from '../support/attachments.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

// The pages as the handlers answer them (functions/review/*.ts): the use case's outcome, rendered.
const reviewPage = async (deps: ReviewDeps, token: string) => reviewView(await openReview(deps, token));
async function decideReview(deps: ReviewDeps, token: string, form: URLSearchParams) {
  const found = await findReviewLink(deps, token);
  if (found.kind === 'filing_link')
    return filingDecisionPage(await decideFiling(deps, token, found.link, form));
  if (found.kind === 'batch_link') return batchDecisionPage(await decideBatch(deps, token, found.link, form));
  return refusalPage(found);
}
const sendBatchFromLink = async (deps: BatchDeps, token: string) =>
  batchSentPage(await sendBatchNow(deps, token));

const program = getProgram('liaoning-cso');
const API = 'https://api.example.cn';
const SITE = 'https://site.example.cn';
const DAY = 86_400_000;
// Real time (whole seconds): the link items' TTL must lie in the future for DynamoDB.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const later = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const cityContact = (unit: string) =>
  program.reportingUnits.find((u) => u.code === unit)?.reviewer.contacts ?? [];
const LINK_URL = new RegExp(`^${API}/review/[A-Za-z0-9_-]{43}$`);

class RecordingNotifier implements Notifier {
  readonly reviews: ReviewNotice[] = [];
  readonly applicants: ApplicantNotice[] = [];
  readonly batches: BatchNotice[] = [];
  readonly failures: FailureNotice[] = [];
  async review(notice: ReviewNotice) {
    this.reviews.push(notice);
  }
  async applicant(notice: ApplicantNotice) {
    this.applicants.push(notice);
  }
  async batch(notice: BatchNotice) {
    this.batches.push(notice);
  }
  async failure(notice: FailureNotice) {
    this.failures.push(notice);
  }
}

class RecordingTasks implements TaskCallbacks {
  readonly succeeded: { token: string; output: unknown }[] = [];
  readonly failed: { token: string; error: string; cause: string }[] = [];
  /** Set to make SendTaskSuccess fail (the token is no longer waiting). */
  succeedError: Error | undefined;
  async succeed(token: string, output: unknown) {
    if (this.succeedError) throw this.succeedError;
    this.succeeded.push({ token, output });
  }
  async fail(token: string, error: string, cause: string) {
    this.failed.push({ token, error, cause });
  }
}

interface Ctx {
  env: Env;
  reviews: ReviewStore;
  notifier: RecordingNotifier;
  tasks: RecordingTasks;
  deps: WorkflowDeps & ReviewDeps;
  links: ReturnType<typeof fakeAttachmentLinks>;
  steps: ReturnType<typeof workflowSteps>;
}

function context(env: Env, now: () => Date = () => NOW): Ctx {
  const reviews = createReviewStore(env.doc, env.tableName);
  const notifier = new RecordingNotifier();
  const tasks = new RecordingTasks();
  const links = fakeAttachmentLinks();
  const deps: WorkflowDeps & ReviewDeps = {
    repo: env.repo,
    reviews,
    notifier,
    tasks,
    apiBaseUrl: API,
    siteBaseUrl: SITE,
    statusLink: async (filingId) => `${SITE}/status.html#f=${filingId}&r=receipt`,
    attachments: links,
    now,
  };
  return { env, reviews, notifier, tasks, deps, links, steps: workflowSteps(deps) };
}

let n = 620_000;

/** A filing as submitted; its clear ID number and mobile for "never shown" checks. */
async function submitted(ctx: Ctx, unit = '210100') {
  const filingId = newFilingId();
  const k = n++;
  // As submit stores them: the documents under the filing.
  const attachments = attachmentRefs(program.id, k).map((a) => ({
    ...a,
    key: `filings/${filingId}/${a.kind}-${a.key.split('/').at(-1)}`,
  }));
  const filing = parseFiling({ ...validFiling({ n: k, unit }), attachments });
  await ctx.env.repo.create({
    filingId,
    programId: program.id,
    filing,
    warnings: [],
    actor: { role: 'applicant' },
    at: NOW.toISOString(),
  });
  return {
    filingId,
    state: initialState(filingId, program.id),
    idNumber: filing.person.idNumber,
    mobile: filing.person.mobile,
    email: filing.person.email,
  };
}

/** A filing in city review, with the state startReview returned (its received notice set aside). */
async function inCityReview(ctx: Ctx, unit = '210100') {
  const s = await submitted(ctx, unit);
  const state = await ctx.steps.startReview(s.state);
  ctx.notifier.applicants.length = 0;
  return { ...s, state };
}

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);

/** A filing in city review with its wait open: the reviewer's token from the (recorded) mail. */
async function withCityLink(ctx: Ctx, unit = '210100', taskToken = `sfn-${n}`) {
  const s = await inCityReview(ctx, unit);
  await ctx.steps.openReview(s.state, taskToken);
  const link = ctx.notifier.reviews.at(-1)?.links[0] ?? '';
  return { ...s, link, token: tokenOf(link), taskToken };
}

async function stateOf(ctx: Ctx, filingId: string): Promise<FilingState> {
  return (await ctx.env.repo.get(filingId)).state;
}

async function actions(ctx: Ctx, filingId: string): Promise<string[]> {
  return (await ctx.env.repo.history(filingId)).map((e) => e.action);
}

const withDecision = (state: FilingWorkflowState, decision: Decision): FilingWorkflowState => ({
  ...state,
  decision,
});

const cityDecision = (decision: Decision['decision'], reason?: string): Decision => ({
  decision,
  ...(reason ? { reason } : {}),
  actor: { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: '210100' },
  at: NOW.toISOString(),
});

const provinceDecision = (decision: Decision['decision'], reason?: string): Decision => ({
  decision,
  ...(reason ? { reason } : {}),
  actor: { role: 'province', id: 'review-province@liaoning-cso.example.cn' },
  at: NOW.toISOString(),
});

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

/** The table's items in a stable order, for "nothing changed" checks. */
async function snapshot(env: Env) {
  const items = await scanAll(env.doc, env.tableName);
  return items
    .map((item) => ({ key: `${String(item.pk)}|${String(item.sk)}`, item }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

let env: Env;
let ctx: Ctx;

beforeAll(async () => {
  env = await freshTable();
});

beforeEach(() => {
  ctx = context(env);
});

describe('startReview', () => {
  it('moves a submitted filing to city review once and plans the first notice', async () => {
    const s = await submitted(ctx);
    const first = await ctx.steps.startReview(s.state);
    expect(first).toEqual({
      filingId: s.filingId,
      programId: program.id,
      round: 0,
      stage: 'city',
      attempt: 0,
      wait: cityWait(program, 0),
    });
    expect(first.wait).toEqual({ timeoutSeconds: 3 * 86_400, kind: 'notify' });
    expect(await stateOf(ctx, s.filingId)).toBe('city_review');
    // The applicant is told the filing arrived, with the status link and the city's deadline.
    expect(ctx.notifier.applicants).toHaveLength(1);
    expect(ctx.notifier.applicants[0]).toMatchObject({
      outcome: 'received',
      cityDeadline: later(14 * DAY),
      statusLink: `${SITE}/status.html#f=${s.filingId}&r=receipt`,
      record: { filingId: s.filingId },
    });
    // A retried (or restarted) step finds the filing already there, and tells nobody again.
    expect(await ctx.steps.startReview(s.state)).toEqual(first);
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review']);
    expect(ctx.notifier.applicants.map((a) => a.outcome)).toEqual(['received']);
    const [, start] = await ctx.env.repo.history(s.filingId);
    expect(start).toMatchObject({ actor: { role: 'system' }, at: NOW.toISOString() });
  });

  it('after an amendment: the next round, without a transition (the filing is back in city review)', async () => {
    const s = await inCityReview(ctx);
    const amended = {
      ...s.state,
      stage: 'amend' as const,
      attempt: 2,
      wait: amendmentWait(program),
      decision: {
        decision: 'amended' as const,
        actor: { role: 'applicant' as const },
        at: NOW.toISOString(),
      },
    };
    ctx.notifier.applicants.length = 0;
    const next = await ctx.steps.startReview(amended);
    // No second received notice for an amendment.
    expect(ctx.notifier.applicants).toEqual([]);
    expect(next).toEqual({ ...s.state, round: 1, stage: 'city', attempt: 0, wait: cityWait(program, 0) });
    expect(next.decision).toBeUndefined();
    expect(await ctx.steps.startReview({ ...amended, round: 1 })).toMatchObject({ round: 2 });
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review']);
  });

  it('a withdrawn filing ends the workflow with FilingWithdrawn', async () => {
    const s = await submitted(ctx);
    await ctx.env.repo.transition({
      filingId: s.filingId,
      expected: { state: 'submitted', version: 1 },
      action: 'withdraw',
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const error = await rejectionOf(ctx.steps.startReview(s.state));
    expect(error.name).toBe('FilingWithdrawn');
    expect(error.message).toContain(s.filingId);
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'withdraw']);
  });
});

describe('openReview', () => {
  it("opens the task with the token, one link per contact (hash only), and mails the unit's reviewers", async () => {
    const s = await inCityReview(ctx);
    await ctx.steps.openReview(s.state, 'sfn-token-open');
    expect(await ctx.reviews.getTask(s.filingId)).toEqual({
      filingId: s.filingId,
      programId: program.id,
      unit: '210100',
      stage: 'city',
      seq: 'city#0',
      taskToken: 'sfn-token-open',
      escalated: false,
      deadline: later(3 * DAY),
    });
    expect(ctx.notifier.reviews).toHaveLength(1);
    const notice = ctx.notifier.reviews[0];
    expect(notice?.kind).toBe('notify');
    expect(notice?.record.filingId).toBe(s.filingId);
    expect(notice?.recipients).toEqual(cityContact('210100'));
    expect(notice?.links).toHaveLength(cityContact('210100').length);
    // The mail states the city's own deadline (14 days); the links expire when the whole city
    // stage (with the escalation) is over.
    expect(notice?.deadline).toBe(later(14 * DAY));
    expect(notice?.linkExpiresAt).toBe(later(35 * DAY));
    expect(notice?.at).toBe(NOW.toISOString());
    const items = (await scanAll(env.doc, env.tableName)).filter((i) => i.type === 'ReviewLink');
    for (const [i, link] of (notice?.links ?? []).entries()) {
      expect(link).toMatch(LINK_URL);
      const token = tokenOf(link);
      expect(LINK_TOKEN_PATTERN.test(token)).toBe(true);
      const item = items.find((it) => it.pk === `LINK#${hashLinkToken(token)}`);
      expect(item).toMatchObject({
        tokenHash: hashLinkToken(token),
        programId: program.id,
        stage: 'city',
        seq: 'city#0',
        target: { filingId: s.filingId },
        reviewer: { role: 'city', id: cityContact('210100')[i]?.email, unit: '210100' },
        createdAt: NOW.toISOString(),
      });
      expect(JSON.stringify(items)).not.toContain(token);
    }
    expect(ctx.tasks.succeeded).toEqual([]);
  });

  it('the escalation goes to the province reviewers, with province links', async () => {
    const s = await inCityReview(ctx, '210300');
    const escalation = { ...s.state, attempt: 3, wait: cityWait(program, 3) ?? s.state.wait };
    expect(escalation.wait.kind).toBe('escalate');
    await ctx.steps.openReview(escalation, 'sfn-token-escalated');
    expect(await ctx.reviews.getTask(s.filingId)).toMatchObject({
      escalated: true,
      taskToken: 'sfn-token-escalated',
      deadline: later(21 * DAY),
      unit: '210300',
    });
    const notice = ctx.notifier.reviews[0];
    expect(notice?.kind).toBe('escalate');
    expect(notice?.recipients).toEqual(program.provinceReviewers);
    expect(notice?.deadline).toBe(later(21 * DAY));
    expect(notice?.linkExpiresAt).toBe(later(21 * DAY));
    const link = await ctx.reviews.getLink(hashLinkToken(tokenOf(notice?.links[0] ?? '')));
    expect(link?.reviewer).toEqual({ role: 'province', id: program.provinceReviewers[0]?.email });
  });

  it('a reminder keeps the step, replaces the token and mails the same reviewers again', async () => {
    const s = await inCityReview(ctx);
    await ctx.steps.openReview(s.state, 'sfn-1');
    const remind = { ...s.state, attempt: 1, wait: cityWait(program, 1) ?? s.state.wait };
    await ctx.steps.openReview(remind, 'sfn-2');
    expect(ctx.notifier.reviews.map((r) => r.kind)).toEqual(['notify', 'remind']);
    // Opened at the start of the reminder wait (day 3 in real time): 11 of the 14 days are left.
    expect(ctx.notifier.reviews[1]?.deadline).toBe(later(11 * DAY));
    expect(ctx.notifier.reviews[1]?.linkExpiresAt).toBe(later(32 * DAY));
    expect(await ctx.reviews.getTask(s.filingId)).toMatchObject({ seq: 'city#0', taskToken: 'sfn-2' });
    expect(ctx.notifier.reviews[1]?.links[0]).not.toBe(ctx.notifier.reviews[0]?.links[0]);
  });

  it('a decision recorded while the wait re-opened is delivered to the new token, with no mail', async () => {
    const s = await inCityReview(ctx);
    await ctx.steps.openReview(s.state, 'sfn-before-reminder');
    const decision = cityDecision('approve');
    await ctx.reviews.decide(s.filingId, 'city#0', decision);
    const before = await snapshot(env);
    const remind = { ...s.state, attempt: 1, wait: cityWait(program, 1) ?? s.state.wait };
    await ctx.steps.openReview(remind, 'sfn-after-reminder');
    expect(ctx.tasks.succeeded).toEqual([{ token: 'sfn-after-reminder', output: decision }]);
    expect(ctx.notifier.reviews).toHaveLength(1);
    const after = await snapshot(env);
    expect(after.filter((i) => i.item.type === 'ReviewLink')).toHaveLength(
      before.filter((i) => i.item.type === 'ReviewLink').length,
    );
  });

  it('refuses a withdrawn filing', async () => {
    const s = await inCityReview(ctx);
    await ctx.env.repo.transition({
      filingId: s.filingId,
      expected: { state: 'city_review', version: 2 },
      action: 'withdraw',
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    expect((await rejectionOf(ctx.steps.openReview(s.state, 't'))).name).toBe('FilingWithdrawn');
    expect(ctx.notifier.reviews).toEqual([]);
    expect(await ctx.reviews.getTask(s.filingId)).toBeUndefined();
  });
});

describe('nextWait', () => {
  it('reminders, then the escalation, then ReviewExpired with the task marked expired', async () => {
    const s = await inCityReview(ctx);
    await ctx.steps.openReview(s.state, 'sfn-wait');
    const timedOut = { ...s.state, error: { Error: 'States.Timeout' } };
    const second = await ctx.steps.nextWait(timedOut);
    expect(second).toMatchObject({ attempt: 1, wait: { timeoutSeconds: 4 * 86_400, kind: 'remind' } });
    expect(second.error).toBeUndefined();
    const third = await ctx.steps.nextWait(second);
    expect(third).toMatchObject({ attempt: 2, wait: { timeoutSeconds: 7 * 86_400, kind: 'remind' } });
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review']);
    const fourth = await ctx.steps.nextWait(third);
    expect(fourth).toMatchObject({ attempt: 3, wait: { timeoutSeconds: 21 * 86_400, kind: 'escalate' } });
    // The escalation is an event of the history, by the system, in city review; a retried step
    // does not write it twice.
    expect(await ctx.steps.nextWait(third)).toEqual(fourth);
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review', 'escalate']);
    expect((await ctx.env.repo.history(s.filingId)).at(-1)).toMatchObject({
      action: 'escalate',
      from: 'city_review',
      to: 'city_review',
      actor: { role: 'system' },
      at: NOW.toISOString(),
    });
    expect((await ctx.reviews.getTask(s.filingId))?.expired).toBeUndefined();
    const error = await rejectionOf(ctx.steps.nextWait(fourth));
    expect(error.name).toBe('ReviewExpired');
    expect((await ctx.reviews.getTask(s.filingId))?.expired).toBe(true);
    expect(await stateOf(ctx, s.filingId)).toBe('city_review');
  });
});

describe('applyDecision', () => {
  it('approve without a province stage (Anhui): registered, the applicant told, nothing for the province', async () => {
    const anhui = 'anhui-std-director';
    const filingId = newFilingId();
    const k = n++;
    const attachments = attachmentRefs(anhui, k, ['appointment']).map((a) => ({
      ...a,
      key: `filings/${filingId}/${a.kind}-${a.key.split('/').at(-1)}`,
    }));
    const filing = parseFiling({
      ...validFiling({ n: k, role: 'director', unit: '340100', region: '340100' }),
      attachments,
    });
    await ctx.env.repo.create({
      filingId,
      programId: anhui,
      filing,
      warnings: [],
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const started = await ctx.steps.startReview(initialState(filingId, anhui));
    const state = withDecision(started, cityDecision('approve'));
    const next = await ctx.steps.applyDecision(state);
    expect(next).toEqual({ ...state, registered: true });
    expect(await stateOf(ctx, filingId)).toBe('registered');
    expect(await actions(ctx, filingId)).toEqual(['submit', 'start_city_review', 'register']);
    const told = ctx.notifier.applicants.filter((a) => a.record.filingId === filingId);
    expect(told.map((a) => a.outcome)).toEqual(['received', 'registered']);
    // A retried step moves nothing twice.
    expect(await ctx.steps.applyDecision(state)).toEqual(next);
    expect(await actions(ctx, filingId)).toEqual(['submit', 'start_city_review', 'register']);
    expect(await ctx.reviews.pendingForBatch(anhui, '340100')).toEqual([]);
  });

  it('approve: to the province stage, the applicant told; a retry moves nothing twice', async () => {
    const s = await inCityReview(ctx);
    const state = withDecision(s.state, cityDecision('approve'));
    const next = await ctx.steps.applyDecision(state);
    expect(next).toEqual({
      ...state,
      stage: 'province',
      attempt: 0,
      wait: provinceWait(program),
      registered: false,
    });
    expect(await stateOf(ctx, s.filingId)).toBe('province_review');
    expect(await ctx.steps.applyDecision(state)).toEqual(next);
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review', 'approve']);
    const last = (await ctx.env.repo.history(s.filingId)).at(-1);
    expect(last?.actor).toEqual({
      role: 'city',
      id: 'review-210100@liaoning-cso.example.cn',
      unit: '210100',
    });
    expect(ctx.notifier.applicants[0]).toMatchObject({
      outcome: 'city_approved',
      statusLink: `${SITE}/status.html#f=${s.filingId}&r=receipt`,
      record: { filingId: s.filingId },
    });
    expect(ctx.notifier.applicants.every((a) => a.outcome === 'city_approved')).toBe(true);
  });

  it('request_changes: the applicant is told why, with the status link; the amendment wait follows', async () => {
    const s = await inCityReview(ctx);
    const state = withDecision(s.state, cityDecision('request_changes', '请补充聘任文件编号'));
    const next = await ctx.steps.applyDecision(state);
    expect(next).toEqual({ ...state, stage: 'amend', attempt: 0, wait: amendmentWait(program) });
    expect(await stateOf(ctx, s.filingId)).toBe('changes_requested');
    expect(ctx.notifier.applicants).toHaveLength(1);
    expect(ctx.notifier.applicants[0]).toMatchObject({
      outcome: 'changes_requested',
      reason: '请补充聘任文件编号',
      statusLink: `${SITE}/status.html#f=${s.filingId}&r=receipt`,
      record: { filingId: s.filingId },
    });
    await ctx.steps.applyDecision(state);
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review', 'request_changes']);
    expect((await ctx.env.repo.history(s.filingId)).at(-1)?.reason).toBe('请补充聘任文件编号');
  });

  it('reject: the filing is rejected and the applicant told; a retry moves nothing twice', async () => {
    const s = await inCityReview(ctx);
    const state = withDecision(s.state, cityDecision('reject', '培训证书无法核实'));
    expect(await ctx.steps.applyDecision(state)).toEqual(state);
    expect(await stateOf(ctx, s.filingId)).toBe('rejected');
    expect(ctx.notifier.applicants[0]).toMatchObject({ outcome: 'rejected', reason: '培训证书无法核实' });
    await ctx.steps.applyDecision(state);
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review', 'reject']);
  });

  async function inProvinceReview() {
    const s = await inCityReview(ctx);
    const province = await ctx.steps.applyDecision(withDecision(s.state, cityDecision('approve')));
    ctx.notifier.applicants.length = 0;
    return { ...s, state: province };
  }

  it('include: into the pool, the applicant told; a retry moves nothing twice', async () => {
    const s = await inProvinceReview();
    const state = withDecision(s.state, provinceDecision('include'));
    await ctx.steps.applyDecision(state);
    await ctx.steps.applyDecision(state);
    expect(await stateOf(ctx, s.filingId)).toBe('in_pool');
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review', 'approve', 'include']);
    expect(ctx.notifier.applicants[0]).toMatchObject({
      outcome: 'included',
      record: { filingId: s.filingId },
    });
    expect(ctx.notifier.applicants[0]?.reason).toBeUndefined();
    expect((await ctx.env.repo.history(s.filingId)).at(-1)?.actor).toEqual({
      role: 'province',
      id: 'review-province@liaoning-cso.example.cn',
    });
  });

  it('decline: declined with the reason, the applicant told', async () => {
    const s = await inProvinceReview();
    const state = withDecision(s.state, provinceDecision('decline', '不符合纳入条件'));
    await ctx.steps.applyDecision(state);
    await ctx.steps.applyDecision(state);
    expect(await stateOf(ctx, s.filingId)).toBe('declined');
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review', 'approve', 'decline']);
    expect(ctx.notifier.applicants[0]).toMatchObject({ outcome: 'declined', reason: '不符合纳入条件' });
  });

  it('refuses a state without a decision, or with one that does not belong here', async () => {
    const s = await inCityReview(ctx);
    const none = await rejectionOf(ctx.steps.applyDecision(s.state));
    expect(none.name).toBe('InvalidWorkflowState');
    const amended = withDecision(s.state, { decision: 'amended', actor: { role: 'applicant' }, at: 'x' });
    const wrong = await rejectionOf(ctx.steps.applyDecision(amended));
    expect(wrong.name).toBe('InvalidWorkflowState');
    expect(wrong.message).toContain('amended');
    expect(await actions(ctx, s.filingId)).toEqual(['submit', 'start_city_review']);
  });
});

describe('awaitAmendment, expireAmendment, awaitProvince', () => {
  async function changesRequested() {
    const s = await inCityReview(ctx);
    const state = await ctx.steps.applyDecision(
      withDecision(s.state, cityDecision('request_changes', '请补充')),
    );
    ctx.notifier.applicants.length = 0;
    return { ...s, state };
  }

  it('awaitAmendment opens the amend task with the token and the amendment deadline', async () => {
    const s = await changesRequested();
    await ctx.steps.awaitAmendment(s.state, 'sfn-amend');
    expect(await ctx.reviews.getTask(s.filingId)).toEqual({
      filingId: s.filingId,
      programId: program.id,
      unit: '210100',
      stage: 'amend',
      seq: 'amend#0',
      taskToken: 'sfn-amend',
      escalated: false,
      deadline: later(21 * DAY),
    });
    expect(ctx.tasks.succeeded).toEqual([]);
    expect(ctx.notifier.reviews).toEqual([]);
  });

  it('awaitAmendment re-delivers an amendment that arrived before the wait re-opened', async () => {
    const s = await changesRequested();
    await ctx.steps.awaitAmendment(s.state, 'sfn-amend-1');
    const amended: Decision = { decision: 'amended', actor: { role: 'applicant' }, at: NOW.toISOString() };
    await ctx.reviews.decide(s.filingId, 'amend#0', amended);
    await ctx.steps.awaitAmendment(s.state, 'sfn-amend-2');
    expect(ctx.tasks.succeeded).toEqual([{ token: 'sfn-amend-2', output: amended }]);
  });

  it('awaitAmendment ends at once when the applicant amended before the wait opened', async () => {
    const s = await changesRequested();
    const record = await ctx.env.repo.get(s.filingId);
    await ctx.env.repo.transition({
      filingId: s.filingId,
      expected: { state: record.state, version: record.version },
      action: 'resubmit',
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    await ctx.steps.awaitAmendment(s.state, 'sfn-amend-late');
    expect(ctx.tasks.succeeded).toEqual([
      { token: 'sfn-amend-late', output: expect.objectContaining({ decision: 'amended' }) },
    ]);
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toMatchObject({ decision: 'amended' });
  });

  it('expireAmendment withdraws the filing (action expire) and tells the applicant, once', async () => {
    const s = await changesRequested();
    expect(await ctx.steps.expireAmendment({ ...s.state, error: { Error: 'States.Timeout' } })).toEqual(
      s.state,
    );
    expect(await stateOf(ctx, s.filingId)).toBe('withdrawn');
    const last = (await ctx.env.repo.history(s.filingId)).at(-1);
    expect(last).toMatchObject({ action: 'expire', actor: { role: 'system' }, reason: '逾期未按要求修改' });
    expect(ctx.notifier.applicants).toHaveLength(1);
    expect(ctx.notifier.applicants[0]).toMatchObject({ outcome: 'expired', reason: '逾期未按要求修改' });
    await ctx.steps.expireAmendment(s.state);
    expect(await actions(ctx, s.filingId)).toEqual([
      'submit',
      'start_city_review',
      'request_changes',
      'expire',
    ]);
    expect(ctx.notifier.applicants).toHaveLength(1);
  });

  it('awaitProvince opens the province task; refuses a final filing', async () => {
    const s = await inCityReview(ctx, '210200');
    const state = await ctx.steps.applyDecision(withDecision(s.state, cityDecision('approve')));
    await ctx.steps.awaitProvince(state, 'sfn-province');
    expect(await ctx.reviews.getTask(s.filingId)).toEqual({
      filingId: s.filingId,
      programId: program.id,
      unit: '210200',
      stage: 'province',
      seq: 'province#0',
      taskToken: 'sfn-province',
      escalated: false,
      deadline: later(21 * DAY),
    });
    await ctx.steps.applyDecision(withDecision(state, provinceDecision('decline', '不符合')));
    expect((await rejectionOf(ctx.steps.awaitProvince(state, 'sfn-again'))).name).toBe('FilingWithdrawn');
    expect((await rejectionOf(ctx.steps.awaitAmendment(state, 'sfn-again'))).name).toBe('FilingWithdrawn');
  });
});

describe('recordFailure', () => {
  it('stores the failure on the filing and alerts, with the cause cut to 500 characters', async () => {
    const s = await inCityReview(ctx);
    const state = { ...s.state, error: { Error: 'States.TaskFailed', Cause: 'x'.repeat(800) } };
    expect(await ctx.steps.recordFailure(state)).toEqual(state);
    const failures = await ctx.env.repo.failures(s.filingId);
    expect(failures).toEqual([
      { at: NOW.toISOString(), stage: 'city', error: 'States.TaskFailed', cause: 'x'.repeat(500) },
    ]);
    expect(ctx.notifier.failures).toEqual([
      { filingId: s.filingId, programId: program.id, state: 'city_review', error: 'States.TaskFailed' },
    ]);
  });

  it('keeps no ID number, phone or e-mail the failed task quoted in its cause', async () => {
    const s = await inCityReview(ctx);
    const cause = JSON.stringify({
      errorType: 'MailSendError',
      errorMessage: `550 <${s.email}> rejected; holder ${s.idNumber}, mobile ${s.mobile}`,
    });
    await ctx.steps.recordFailure({ ...s.state, error: { Error: 'MailSendError', Cause: cause } });
    const [failure] = await ctx.env.repo.failures(s.filingId);
    expect(failure?.cause).toContain('550 <[email]> rejected; holder [id], mobile [phone]');
    for (const value of [s.email, s.idNumber, s.mobile]) expect(failure?.cause).not.toContain(value);
  });

  it('without an error or a readable filing it still records and alerts', async () => {
    const missing = newFilingId();
    await ctx.steps.recordFailure(initialState(missing, program.id));
    expect(await ctx.env.repo.failures(missing)).toEqual([
      { at: NOW.toISOString(), stage: 'city', error: 'unknown', cause: '' },
    ]);
    expect(ctx.notifier.failures).toEqual([
      { filingId: missing, programId: program.id, state: 'unknown', error: 'unknown' },
    ]);
  });
});

describe('review page (GET)', () => {
  it('shows the masked filing and the form, and never changes the table', async () => {
    const s = await withCityLink(ctx);
    const before = await snapshot(env);
    const page = await reviewPage(ctx.deps, s.token);
    expect(page.status).toBe(200);
    expect(page.html).toContain(s.filingId);
    expect(page.html).toContain('张*');
    expect(page.html).toContain(`action="/review/${s.token}"`);
    expect(page.html).toContain('name="decision" value="approve"');
    expect(page.html).not.toContain(s.idNumber);
    expect(page.html).not.toContain(s.mobile);
    expect(page.html).not.toContain('已转交省局处理');
    // Each document with a view link of minutes, issued now (never stored, never emailed).
    expect(page.html).toContain('>企业意见（盖章）（PDF）</a>');
    expect(page.html).toContain('>聘任文件（PDF）</a>');
    expect(page.html).not.toContain('聘任文件.pdf'); // file names come with the file only
    expect(page.html).toContain(`href="https://attachments.example/filings/${s.filingId}/appointment-`);
    expect(page.html).toContain('&amp;X-Amz-Signature=sig');
    expect(page.html).toContain('附件链接 5 分钟内有效');
    expect(ctx.links.views.filter((v) => v.key.startsWith(`filings/${s.filingId}/`))).toEqual([
      { key: expect.stringContaining('/endorsement-'), seconds: 300 },
      { key: expect.stringContaining('/appointment-'), seconds: 300 },
    ]);
    for (const mail of ctx.notifier.reviews)
      expect(JSON.stringify(mail)).not.toContain('attachments.example');
    await reviewPage(ctx.deps, s.token);
    expect(await snapshot(env)).toEqual(before);
    expect(ctx.tasks.succeeded).toEqual([]);
  });

  it('404 for a malformed or unknown token', async () => {
    for (const token of ['', 'abc', `${'A'.repeat(42)}!`, 'A'.repeat(44), newLinkToken().token]) {
      const page = await reviewPage(ctx.deps, token);
      expect(page.status, token).toBe(404);
      expect(page.html).toContain('链接无效');
      expect((await decideReview(ctx.deps, token, form({ decision: 'approve' }))).status).toBe(404);
    }
  });

  it('410 once the link has expired', async () => {
    const s = await withCityLink(ctx);
    const afterwards = context(env, () => new Date(NOW.getTime() + 36 * DAY));
    expect((await reviewPage(afterwards.deps, s.token)).status).toBe(410);
    expect((await decideReview(afterwards.deps, s.token, form({ decision: 'approve' }))).status).toBe(410);
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toBeUndefined();
  });

  it('410 when nobody decided in time (the task expired)', async () => {
    const s = await withCityLink(ctx);
    await ctx.reviews.expire(s.filingId, 'city#0');
    const page = await reviewPage(ctx.deps, s.token);
    expect(page.status).toBe(410);
    expect(page.html).toContain('链接已过期');
    expect((await decideReview(ctx.deps, s.token, form({ decision: 'approve' }))).status).toBe(410);
  });

  it("404 for a city link of another unit, or of another program, than the filing's", async () => {
    const s = await withCityLink(ctx);
    const stored = await ctx.reviews.getLink(hashLinkToken(s.token));
    if (!stored) throw new Error('link not stored');
    const base = { ...stored, expiresAt: later(35 * DAY) };
    for (const [label, changed] of [
      ['other unit', { ...base, reviewer: { role: 'city' as const, id: 'x@example.cn', unit: '210200' } }],
      ['no unit', { ...base, reviewer: { role: 'city' as const, id: 'x@example.cn' } }],
      ['other program', { ...base, programId: 'anhui-std-director' }],
    ] as const) {
      const other = newLinkToken();
      await ctx.reviews.putLink({ ...changed, tokenHash: other.hash });
      expect((await reviewPage(ctx.deps, other.token)).status, label).toBe(404);
      expect((await decideReview(ctx.deps, other.token, form({ decision: 'approve' }))).status, label).toBe(
        404,
      );
    }
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toBeUndefined();
    expect(ctx.tasks.succeeded).toEqual([]);
  });

  it('shows the warnings the reviewer must check', async () => {
    const filingId = newFilingId();
    await env.repo.create({
      filingId,
      programId: program.id,
      filing: parseFiling(validFiling({ n: n++ })),
      warnings: [{ path: 'person.education', code: 'soft', message: { zh: '学历偏低请核对', en: 'check' } }],
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const state = await ctx.steps.startReview(initialState(filingId, program.id));
    await ctx.steps.openReview(state, 'sfn-w');
    const page = await reviewPage(ctx.deps, tokenOf(ctx.notifier.reviews[0]?.links[0] ?? ''));
    expect(page.status).toBe(200);
    expect(page.html).toContain('学历偏低请核对');
  });

  it('lists the duties of the role applied for, from the programme', async () => {
    const filingId = newFilingId();
    await env.repo.create({
      filingId,
      programId: program.id,
      filing: parseFiling(validFiling({ n: n++, role: 'director' })),
      warnings: [],
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const state = await ctx.steps.startReview(initialState(filingId, program.id));
    await ctx.steps.openReview(state, 'sfn-w');
    const link = ctx.notifier.reviews.find((r) => JSON.stringify(r).includes(filingId))?.links[0] ?? '';
    const page = await reviewPage(ctx.deps, tokenOf(link));
    expect(page.status).toBe(200);
    expect(page.html).toContain('标准总监主要职责');
    expect(page.html).toContain('<li>开展标准化审查</li>');
    expect(page.html).toContain('<li>完成首席标准官安排的其他标准化工作</li>');
    // Another role's duties are not the reviewer's yardstick here.
    expect(page.html).not.toContain('推动关键核心技术标准化');
    expect(page.html).toContain('<th scope="row">从事标准化工作年限</th>');
  });

  it('shows everything the reviewer needs, contact data masked, the training match and every warning', async () => {
    const filingId = newFilingId();
    const filing = parseFiling(validFiling({ n: n++ }));
    const warnings = [
      {
        path: 'person.training.certificateNumber',
        code: 'training_verified',
        message: { zh: '培训已核验（T2023SY，2023-11-20）', en: 'training verified' },
      },
      { path: 'person.education', code: 'soft_a', message: { zh: '学历：偏低请核对', en: 'a' } },
      { path: 'role', code: 'soft_b', message: { zh: '岗位：该企业已有 1 名在册首席标准官', en: 'b' } },
    ];
    await env.repo.create({
      filingId,
      programId: program.id,
      filing,
      warnings,
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const state = await ctx.steps.startReview(initialState(filingId, program.id));
    await ctx.steps.openReview(state, 'sfn-all');
    const link = ctx.notifier.reviews.find((r) => r.record.filingId === filingId)?.links[0] ?? '';
    const { html, status } = await reviewPage(ctx.deps, tokenOf(link));
    expect(status).toBe(200);
    const row = (label: string, value: string) => `<th scope="row">${label}</th><td>${value}</td>`;
    const { person, enterprise } = filing;
    expect(html).toContain(row('性别', person.sex === 'male' ? '男' : '女'));
    expect(html).toContain(row('出生年月', person.birthYearMonth));
    expect(html).toContain(row('专业', '机械工程'));
    expect(html).toContain(row('专职/兼职', '兼职'));
    expect(html).toContain(row('职称', '高级工程师（副高级）'));
    expect(html).toContain(row('电子邮箱', maskEmail(person.email)));
    expect(html).toContain(row('培训课程', '辽宁省首席标准官培训班'));
    expect(html).toContain(row('培训时间', '2023-11-20'));
    expect(html).toContain(row('培训组织单位', '辽宁省市场监督管理局'));
    expect(html).toContain(row('培训名单核验', '✓ 培训已核验（T2023SY，2023-11-20）'));
    expect(html).toContain(`<th scope="row">所属行业</th><td>${enterprise.industry} `);
    expect(html).toContain('<th scope="row">企业规模</th>');
    expect(html).toContain(row('联系人电话', maskPhone(enterprise.contact.phone)));
    expect(html).toContain(row('企业联系人', maskName(enterprise.contact.name)));
    // Every warning, the verified training as its row's notice and not among them.
    expect(html).toContain('提示事项 2 项');
    expect(html).toContain('<li>学历：偏低请核对</li>');
    expect(html).toContain('<li>岗位：该企业已有 1 名在册首席标准官</li>');
    for (const secret of [person.email, enterprise.contact.phone, person.mobile, person.idNumber]) {
      expect(html).not.toContain(secret);
    }
  });

  it('says when the certificate was not found on the pass lists, or was never matched', async () => {
    const missing = newFilingId();
    const unchecked = newFilingId();
    for (const [filingId, warnings] of [
      [
        missing,
        [
          {
            path: 'person.training.certificateNumber',
            code: 'training_not_on_roster',
            message: { zh: '培训合格证书编号：未在培训合格名单中找到该人员的此证书，请核对', en: 'x' },
          },
        ],
      ],
      [unchecked, []],
    ] as const) {
      await env.repo.create({
        filingId,
        programId: program.id,
        filing: parseFiling(validFiling({ n: n++ })),
        warnings: [...warnings],
        actor: { role: 'applicant' },
        at: NOW.toISOString(),
      });
      await ctx.steps.openReview(
        await ctx.steps.startReview(initialState(filingId, program.id)),
        `sfn-${filingId}`,
      );
    }
    const pageOf = async (filingId: string) =>
      (
        await reviewPage(
          ctx.deps,
          tokenOf(ctx.notifier.reviews.find((r) => r.record.filingId === filingId)?.links[0] ?? ''),
        )
      ).html;
    const notFound = await pageOf(missing);
    expect(notFound).toContain('⚠ 未在培训合格名单中找到，请核对证书');
    expect(notFound).toContain('<li>培训合格证书编号：未在培训合格名单中找到该人员的此证书，请核对</li>');
    expect(await pageOf(unchecked)).toContain('未核验（提交时未与培训合格名单比对）');
  });
});

describe('review decision (POST)', () => {
  it('reject and request_changes need a reason (422), nothing is recorded', async () => {
    const s = await withCityLink(ctx);
    const refused: Record<string, string>[] = [
      { decision: 'reject' },
      { decision: 'request_changes', reason: '   ' },
      {},
      { decision: 'include' },
      { decision: 'amended' },
    ];
    for (const fields of refused) {
      const res = await decideReview(ctx.deps, s.token, form(fields));
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(res.html).toContain('role="alert"');
    }
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toBeUndefined();
    expect(ctx.tasks.succeeded).toEqual([]);
  });

  it('the first decision is recorded and resumes the task (200); the next is refused (409)', async () => {
    const s = await withCityLink(ctx);
    const res = await decideReview(ctx.deps, s.token, form({ decision: 'approve', reason: '  ' }));
    expect(res.status).toBe(200);
    expect(res.html).toContain('已提交审核意见');
    expect(res.html).toContain('通过，报送省局');
    expect(res.html).toContain(`action="/review/${s.token}/batch"`);
    const decision = {
      decision: 'approve',
      actor: { role: 'city', id: cityContact('210100')[0]?.email, unit: '210100' },
      at: NOW.toISOString(),
    };
    expect(ctx.tasks.succeeded).toEqual([{ token: s.taskToken, output: decision }]);
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toEqual(decision);
    // The filing moves only when the workflow applies the decision.
    expect(await stateOf(ctx, s.filingId)).toBe('city_review');

    const again = await decideReview(ctx.deps, s.token, form({ decision: 'reject', reason: '改主意了' }));
    expect(again.status).toBe(409);
    // While the filing has not moved, a second post delivers the first decision again, never its own.
    expect(ctx.tasks.succeeded).toEqual([
      { token: s.taskToken, output: decision },
      { token: s.taskToken, output: decision },
    ]);
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toEqual(decision);
    const page = await reviewPage(ctx.deps, s.token);
    expect(page.status).toBe(409);
    expect(page.html).toContain('通过，报送省局');
    expect(ctx.tasks.succeeded).toHaveLength(2);

    // Once the workflow applied it, a post only says so.
    await ctx.steps.applyDecision(withDecision(s.state, decision as Decision));
    expect(await stateOf(ctx, s.filingId)).toBe('province_review');
    expect((await decideReview(ctx.deps, s.token, form({ decision: 'approve' }))).status).toBe(409);
    expect(ctx.tasks.succeeded).toHaveLength(2);
  });

  it('a decision recorded by a process that died before the callback is delivered when the link is posted again', async () => {
    const s = await withCityLink(ctx);
    const decision = cityDecision('reject', '材料不全');
    // Recorded, then the process died: the workflow was never told.
    await ctx.reviews.decide(s.filingId, 'city#0', decision);
    expect(ctx.tasks.succeeded).toEqual([]);
    // The confirmation page (a mail scanner, the reviewer looking) changes nothing.
    expect((await reviewPage(ctx.deps, s.token)).status).toBe(409);
    expect(ctx.tasks.succeeded).toEqual([]);
    // The reviewer posts again (the first answer was cut off): the recorded decision is delivered.
    const res = await decideReview(ctx.deps, s.token, form({ decision: 'approve' }));
    expect(res.status).toBe(409);
    expect(res.html).toContain('不予通过');
    expect(ctx.tasks.succeeded).toEqual([{ token: s.taskToken, output: decision }]);
    // A callback refused (the token already answered) is logged and the page is the same.
    ctx.tasks.succeedError = Object.assign(new Error('gone'), { name: 'TaskDoesNotExist' });
    expect((await decideReview(ctx.deps, s.token, form({ decision: 'approve' }))).status).toBe(409);
    ctx.tasks.succeedError = undefined;
  });

  it('a reason over 500 characters, or with invisible or control characters, is refused (422) and nothing is recorded', async () => {
    const s = await withCityLink(ctx);
    const before = await snapshot(env);
    const refused: [Record<string, string>, string][] = [
      [{ decision: 'reject', reason: '理'.repeat(60_000) }, '理由不得超过 500 个字符（现有 60000 个）。'],
      [
        { decision: 'request_changes', reason: ` ${'理'.repeat(501)} ` },
        '理由不得超过 500 个字符（现有 501 个）',
      ],
      // An approval's reason is optional, but a refused one is refused all the same.
      [{ decision: 'approve', reason: '同意\u202E' }, '理由含有不可见或控制字符（U+202E）'],
      [{ decision: 'reject', reason: '\u202E全不料材' }, '理由含有不可见或控制字符（U+202E）'],
      [{ decision: 'reject', reason: '材料\u200B不全' }, '理由含有不可见或控制字符（U+200B）'],
      [{ decision: 'reject', reason: '材料\u0000不全' }, '理由含有不可见或控制字符（U+0000）'],
    ];
    for (const [fields, error] of refused) {
      const res = await decideReview(ctx.deps, s.token, form(fields));
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(422);
      expect(res.html).toContain(error);
    }
    expect(await snapshot(env)).toEqual(before);
    expect(ctx.tasks.succeeded).toEqual([]);

    // 500 characters as the browser posts a textarea (CRLF line breaks): kept, with `\n`.
    const longest = `请补充：\r\n${'材'.repeat(495)}`;
    const res = await decideReview(ctx.deps, s.token, form({ decision: 'request_changes', reason: longest }));
    expect(res.status).toBe(200);
    expect(ctx.tasks.succeeded[0]?.output).toMatchObject({ reason: `请补充：\n${'材'.repeat(495)}` });
  });

  it('a reason is kept (trimmed) with the decision', async () => {
    const s = await withCityLink(ctx);
    const res = await decideReview(
      ctx.deps,
      s.token,
      form({ decision: 'request_changes', reason: '  请补充  ' }),
    );
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('/batch');
    expect(ctx.tasks.succeeded[0]?.output).toMatchObject({ decision: 'request_changes', reason: '请补充' });
  });

  it('a name every object inherits is not a decision (422, nothing recorded): found by the fuzzer', async () => {
    const s = await withCityLink(ctx);
    for (const value of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const res = await decideReview(ctx.deps, s.token, form({ decision: value, reason: '理由' }));
      expect(res.status, value).toBe(422);
      expect(res.html).toContain('请选择审核意见');
    }
    expect((await ctx.reviews.getTask(s.filingId))?.decided).toBeUndefined();
    expect(ctx.tasks.succeeded).toEqual([]);
    expect((await decideReview(ctx.deps, s.token, form({ decision: 'approve' }))).status).toBe(200);
  });

  it('a link of an earlier round is stale (409); the new round has its own link', async () => {
    const s = await withCityLink(ctx);
    const nextRound = await ctx.steps.startReview({
      ...s.state,
      decision: { decision: 'amended', actor: { role: 'applicant' }, at: NOW.toISOString() },
    });
    await ctx.steps.openReview(nextRound, 'sfn-round-1');
    const fresh = tokenOf(ctx.notifier.reviews.at(-1)?.links[0] ?? '');
    expect(fresh).not.toBe(s.token);
    expect((await reviewPage(ctx.deps, s.token)).status).toBe(409);
    const stale = await decideReview(ctx.deps, s.token, form({ decision: 'approve' }));
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('该审核环节已结束');
    expect(ctx.tasks.succeeded).toEqual([]);
    expect((await decideReview(ctx.deps, fresh, form({ decision: 'approve' }))).status).toBe(200);
    expect(ctx.tasks.succeeded.map((t) => t.token)).toEqual(['sfn-round-1']);
  });

  it('two reviewers at once: one decision wins, the other gets 409', async () => {
    const s = await withCityLink(ctx);
    const [a, b] = await Promise.all([
      decideReview(ctx.deps, s.token, form({ decision: 'approve' })),
      decideReview(ctx.deps, s.token, form({ decision: 'reject', reason: '不符合' })),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    // The winner's decision is the only one the workflow hears. The loser may find it recorded
    // while the filing has not moved yet and deliver it again (a repeat the token refuses).
    const winner = (await ctx.reviews.getTask(s.filingId))?.decided;
    expect(winner?.decision).toBe(a.status === 200 ? 'approve' : 'reject');
    expect(ctx.tasks.succeeded.length).toBeGreaterThanOrEqual(1);
    expect(
      ctx.tasks.succeeded.every((t) => t.token === s.taskToken && isDeepStrictEqual(t.output, winner)),
    ).toBe(true);
  });

  it('a decision that loses the race after the checks: 409, and the task is not resumed twice', async () => {
    const s = await withCityLink(ctx);
    const store = ctx.reviews;
    const decide = store.decide.bind(store);
    // A colleague decides between this POST's read of the task and its conditional write.
    store.decide = async (filingId, seq, decision) => {
      await decide(filingId, seq, { ...decision, decision: 'reject', reason: '同事已处理' });
      return decide(filingId, seq, decision);
    };
    const lost = await decideReview(ctx.deps, s.token, form({ decision: 'approve' }));
    expect(lost.status).toBe(409);
    expect(lost.html).toContain('已有审核意见');
    expect((await store.getTask(s.filingId))?.decided).toMatchObject({ decision: 'reject' });
    expect(ctx.tasks.succeeded).toEqual([]);

    // A new round begins in between: the link is stale.
    const t = await withCityLink(ctx);
    store.decide = async (filingId, _seq, decision) => decide(filingId, 'city#9', decision);
    const stale = await decideReview(ctx.deps, t.token, form({ decision: 'approve' }));
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('已结束');

    // Any other failure of the store is not a page: it reaches the handler.
    const u = await withCityLink(ctx);
    store.decide = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException',
      });
    };
    await expect(decideReview(ctx.deps, u.token, form({ decision: 'approve' }))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(ctx.tasks.succeeded).toEqual([]);
  });

  it('a task that is no longer waiting keeps the decision; the page still confirms it', async () => {
    const s = await withCityLink(ctx);
    ctx.tasks.succeedError = Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
    const res = await decideReview(ctx.deps, s.token, form({ decision: 'approve' }));
    expect(res.status).toBe(200);
    expect((await ctx.reviews.getTask(s.filingId))?.decided?.decision).toBe('approve');
  });

  it('an escalated review: the province decides from its link, without the batch button', async () => {
    const s = await inCityReview(ctx, '210400');
    await ctx.steps.openReview(
      { ...s.state, attempt: 3, wait: cityWait(program, 3) ?? s.state.wait },
      'sfn-esc',
    );
    const token = tokenOf(ctx.notifier.reviews[0]?.links[0] ?? '');
    const page = await reviewPage(ctx.deps, token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('已转交省局处理');
    const res = await decideReview(ctx.deps, token, form({ decision: 'approve' }));
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('/batch');
    const decision = ctx.tasks.succeeded[0]?.output as Decision;
    expect(decision.actor).toEqual({ role: 'province', id: program.provinceReviewers[0]?.email });
    // The workflow applies it: the province may decide an escalated city review.
    await ctx.steps.applyDecision(withDecision(s.state, decision));
    expect(await stateOf(ctx, s.filingId)).toBe('province_review');
    // A province link cannot send a city's batch.
    expect((await sendBatchFromLink(ctx.deps, token)).status).toBe(404);
  });
});

describe('province batches', () => {
  let batchEnv: Env;
  let b: Ctx;

  beforeAll(async () => {
    batchEnv = await freshTable();
  });

  beforeEach(() => {
    b = context(batchEnv);
  });

  /** A filing approved by the city from its link, with the province task open. */
  async function atProvince(unit: string) {
    const s = await withCityLink(b, unit, `sfn-city-${n}`);
    expect((await decideReview(b.deps, s.token, form({ decision: 'approve' }))).status).toBe(200);
    const decision = b.tasks.succeeded.at(-1)?.output as Decision;
    const state = await b.steps.applyDecision(withDecision(s.state, decision));
    const provinceToken = `sfn-province-${s.filingId}`;
    await b.steps.awaitProvince(state, provinceToken);
    return { ...s, state, provinceToken };
  }

  it("sendBatch gathers the unit's filings at the province, mails the province, and the batch is decided", async () => {
    const unit = '211000';
    const one = await atProvince(unit);
    const two = await atProvince(unit);
    const elsewhere = await atProvince('211100');
    const ids = [one.filingId, two.filingId].sort();

    const batch = await sendBatch(b.deps, program.id, unit);
    expect(batch).toMatchObject({
      programId: program.id,
      unit,
      filingIds: ids,
      createdAt: NOW.toISOString(),
    });
    expect(batch?.batchId).toMatch(/^B[0-9A-Z]{13}$/);
    expect(b.notifier.batches).toHaveLength(1);
    const notice = b.notifier.batches[0];
    expect(notice).toMatchObject({ unit, batchId: batch?.batchId, recipients: program.provinceReviewers });
    expect(notice?.records.map((r) => r.filingId)).toEqual(ids);
    expect(notice?.links).toHaveLength(program.provinceReviewers.length);
    for (const link of notice?.links ?? []) expect(link).toMatch(LINK_URL);
    for (const id of ids) expect((await b.reviews.getTask(id))?.batchId).toBe(batch?.batchId);
    expect((await b.reviews.getTask(elsewhere.filingId))?.batchId).toBeUndefined();
    // Nothing left to send for this unit.
    expect(await sendBatch(b.deps, program.id, unit)).toBeUndefined();
    expect(b.notifier.batches).toHaveLength(1);

    // The batch page lists both, and opening it changes nothing.
    const token = tokenOf(notice?.links[0] ?? '');
    const before = await snapshot(batchEnv);
    const page = await reviewPage(b.deps, token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('共 2 人');
    for (const s of [one, two]) {
      expect(page.html).toContain(`name="decision_${s.filingId}"`);
      expect(page.html).toContain(`name="reason_${s.filingId}"`);
      expect(page.html).not.toContain(s.idNumber);
      expect(page.html).not.toContain(s.mobile);
    }
    expect(page.html).not.toContain(elsewhere.filingId);
    for (const s of [one, two]) {
      expect(page.html).toContain(`https://attachments.example/filings/${s.filingId}/endorsement-`);
    }
    for (const mail of b.notifier.batches) expect(JSON.stringify(mail)).not.toContain('attachments.example');
    expect(await snapshot(batchEnv)).toEqual(before);

    // Every filing needs a decision; a decline needs a reason.
    const first = ids[0] ?? '';
    const second = ids[1] ?? '';
    const partial = await decideReview(b.deps, token, form({ [`decision_${first}`]: 'include' }));
    expect(partial.status).toBe(422);
    expect(partial.html).toContain('请为每一位人员选择意见');
    const noReason = await decideReview(
      b.deps,
      token,
      form({
        [`decision_${first}`]: 'include',
        [`decision_${second}`]: 'decline',
        [`reason_${second}`]: ' ',
      }),
    );
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('不予纳入时请填写理由');
    const inherited = await decideReview(
      b.deps,
      token,
      form({ [`decision_${first}`]: 'include', [`decision_${second}`]: 'toString' }),
    );
    expect(inherited.status).toBe(422);
    expect(inherited.html).toContain('请为每一位人员选择意见');
    const cityValue = await decideReview(
      b.deps,
      token,
      form({ [`decision_${first}`]: 'include', [`decision_${second}`]: 'approve' }),
    );
    expect(cityValue.status).toBe(422);
    const refusedReasons: [string, string][] = [
      ['材'.repeat(501), '的理由不得超过 500 个字符（现有 501 个）'],
      ['\u202E全不料材', '的理由含有不可见或控制字符（U+202E）'],
    ];
    for (const [reason, error] of refusedReasons) {
      const refused = await decideReview(
        b.deps,
        token,
        form({
          [`decision_${first}`]: 'include',
          [`decision_${second}`]: 'decline',
          [`reason_${second}`]: reason,
        }),
      );
      expect(refused.status).toBe(422);
      expect(refused.html).toContain(`（${second}）${error}`);
    }
    const provinceCalls = () => b.tasks.succeeded.filter((t) => t.token.startsWith('sfn-province-'));
    expect(provinceCalls()).toEqual([]);
    for (const id of ids) expect((await b.reviews.getTask(id))?.decided).toBeUndefined();

    const done = await decideReview(
      b.deps,
      token,
      form({
        [`decision_${first}`]: 'include',
        [`decision_${second}`]: 'decline',
        [`reason_${second}`]: '材料不全',
      }),
    );
    expect(done.status).toBe(200);
    expect(done.html).toContain('已提交本批次 2 人的省局意见');
    const actor = { role: 'province', id: program.provinceReviewers[0]?.email };
    // Applied a few at a time: in any order, each once.
    expect([...provinceCalls()].sort((a, b) => a.token.localeCompare(b.token))).toEqual([
      { token: `sfn-province-${first}`, output: { decision: 'include', actor, at: NOW.toISOString() } },
      {
        token: `sfn-province-${second}`,
        output: { decision: 'decline', reason: '材料不全', actor, at: NOW.toISOString() },
      },
    ]);

    // A second POST (or a colleague's link) finds the batch done.
    const again = await decideReview(
      b.deps,
      token,
      form({ [`decision_${first}`]: 'decline', [`reason_${first}`]: 'x', [`decision_${second}`]: 'include' }),
    );
    expect(again.status).toBe(409);
    expect((await reviewPage(b.deps, token)).status).toBe(409);
    // The workflows have not applied them yet: the recorded decisions (not this post's) go again.
    const byToken = (calls: ReturnType<typeof provinceCalls>) =>
      [...calls].sort((a, b) => a.token.localeCompare(b.token));
    const delivered = provinceCalls().slice(0, 2);
    expect(byToken(provinceCalls())).toEqual(byToken([...delivered, ...delivered]));

    // The workflow applies each decision to its own filing.
    for (const s of [one, two]) {
      const output = provinceCalls().find((c) => c.token === s.provinceToken)?.output as Decision;
      await b.steps.applyDecision(withDecision(s.state, output));
    }
    expect(await stateOf(b, first)).toBe('in_pool');
    expect(await stateOf(b, second)).toBe('declined');
    // Applied: a post only says the batch is done.
    expect((await decideReview(b.deps, token, form({}))).status).toBe(409);
    expect(provinceCalls()).toHaveLength(4);
  });

  it('a filing of the batch decided elsewhere is skipped; the rest are decided', async () => {
    const unit = '211300';
    const one = await atProvince(unit);
    const two = await atProvince(unit);
    const batch = await sendBatch(b.deps, program.id, unit);
    const token = tokenOf(b.notifier.batches[0]?.links[0] ?? '');
    const fields = form({ [`decision_${one.filingId}`]: 'include', [`decision_${two.filingId}`]: 'include' });
    // A colleague decides one of them first, between the page and the POST.
    const racing = b.reviews.decide.bind(b.reviews);
    let raced = false;
    b.reviews.decide = async (filingId, seq, decision) => {
      if (!raced && filingId === one.filingId) {
        raced = true;
        await racing(filingId, seq, { ...decision, decision: 'decline', reason: '同事已处理' });
      }
      return racing(filingId, seq, decision);
    };
    const res = await decideReview(b.deps, token, fields);
    expect(res.status).toBe(200);
    expect(res.html).toContain('已提交本批次 1 人');
    expect(batch?.filingIds).toHaveLength(2);
    expect(b.tasks.succeeded.filter((t) => t.token.startsWith('sfn-province-')).map((t) => t.token)).toEqual([
      two.provinceToken,
    ]);
  });

  it('sendBatchFromLink: a city link sends only its own unit; then there is nothing left', async () => {
    const mine = await atProvince('211200');
    const other = await atProvince('211400');
    const sent = await sendBatchFromLink(b.deps, mine.token);
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('已报送省局');
    expect(sent.html).toContain('已将 1 份备案');
    expect(b.notifier.batches).toHaveLength(1);
    expect(b.notifier.batches[0]?.unit).toBe('211200');
    expect(b.notifier.batches[0]?.records.map((r) => r.filingId)).toEqual([mine.filingId]);
    expect((await b.reviews.getTask(other.filingId))?.batchId).toBeUndefined();

    const none = await sendBatchFromLink(b.deps, mine.token);
    expect(none.status).toBe(200);
    expect(none.html).toContain('暂无可报送的备案');
    expect(b.notifier.batches).toHaveLength(1);
    expect((await sendBatchFromLink(b.deps, 'not-a-token')).status).toBe(404);
  });

  it('a filing withdrawn while it waited for the batch is left out of it and off the waiting list', async () => {
    const unit = '210700';
    const stays = await atProvince(unit);
    const leaves = await atProvince(unit);
    const current = await b.env.repo.get(leaves.filingId);
    await b.env.repo.transition({
      filingId: leaves.filingId,
      expected: { state: current.state, version: current.version },
      action: 'withdraw',
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    expect((await b.reviews.pendingForBatch(program.id, unit)).map((t) => t.filingId).sort()).toEqual(
      [stays.filingId, leaves.filingId].sort(),
    );
    const batch = await sendBatch(b.deps, program.id, unit);
    expect(batch?.filingIds).toEqual([stays.filingId]);
    expect(await b.reviews.pendingForBatch(program.id, unit)).toEqual([]);
    expect((await b.reviews.getTask(leaves.filingId))?.batchId).toBeUndefined();
  });

  it('a batch link must be a province link to an existing batch of its program', async () => {
    const unit = '210600';
    await atProvince(unit);
    const batch = await sendBatch(b.deps, program.id, unit);
    if (!batch) throw new Error('no batch');
    const link = {
      programId: program.id,
      stage: 'province' as const,
      seq: `batch#${batch.batchId}`,
      target: { batchId: batch.batchId },
      reviewer: { role: 'province' as const, id: 'p@example.cn' },
      createdAt: NOW.toISOString(),
      expiresAt: later(21 * DAY),
    };
    const cases = [
      ['city reviewer', { ...link, reviewer: { role: 'city' as const, id: 'c@example.cn', unit } }],
      ['unknown batch', { ...link, target: { batchId: 'B0000000000000' } }],
      ['other program', { ...link, programId: 'anhui-std-director' }],
    ] as const;
    for (const [label, l] of cases) {
      const t = newLinkToken();
      await b.reviews.putLink({ ...l, tokenHash: t.hash });
      expect((await reviewPage(b.deps, t.token)).status, label).toBe(404);
      expect((await decideReview(b.deps, t.token, form({}))).status, label).toBe(404);
    }
  });
});
