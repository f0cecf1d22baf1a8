// Keeping the pool true after inclusion, through the running local stack and the real review
// workflow: the enterprise reports a member left the post or the person withdraws consent
// (with the receipt), province staff remove a member with a reason, and a member's later
// filing for another role waits, shows the reviewer what it replaces, and supersedes the
// earlier filing when the province includes it. Every path tells the city by mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken, staffKeyFile } from '#infra/local/staff-auth.ts';
import { validFiling } from '../support/fixtures.ts';
import {
  eventually,
  intoPool as sharedIntoPool,
  linkFor as sharedLinkFor,
  statusOf as sharedStatusOf,
} from '../support/pool.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;
let n = 930_000;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  const keys = staffKeyFile(runtime.localDir);
  tokens.province = await issueStaffToken(keys, {
    scopes: [{ role: 'province', programId: 'liaoning-cso' }],
    subject: 'staff-province',
  });
  tokens.city = await issueStaffToken(keys, {
    scopes: [{ role: 'city', programId: 'liaoning-cso', unit: '210100' }],
    subject: 'staff-city',
  });
});

afterAll(async () => {
  await runtime?.stop();
});

interface Created {
  filingId: string;
  receiptToken: string;
  n: number;
}

async function submit(options: { n?: number; role?: string } = {}): Promise<Created> {
  const k = options.n ?? n++;
  const res = await api.submit('liaoning-cso', validFiling({ n: k, role: options.role ?? 'specialist' }));
  expect(res.status, res.text).toBe(201);
  return { ...(res.body as unknown as Created), n: k };
}

const linkFor = (filingId: string, kind: string) => sharedLinkFor(api, filingId, kind);
const statusOf = (c: Created) => sharedStatusOf(api, c);
const intoPool = (c: Created) => sharedIntoPool(api, c);

const depart = (c: Created, body: object) =>
  api.call('POST', `/filings/${c.filingId}/departure`, {
    body,
    headers: { authorization: `Receipt ${c.receiptToken}` },
  });

const cityMails = async (filingId: string) =>
  (await api.outbox()).filter((m) => m.kind === 'pool_departure' && m.subject.includes(filingId));

describe('after inclusion', () => {
  it('the enterprise reports a member left the post: removed at once, the city told, a repeat harmless', async () => {
    const c = await submit();
    await intoPool(c);
    const view = await api.status(c.filingId, c.receiptToken);
    expect(view.body.departures).toEqual({ leftPost: true, consentWithdrawal: true });

    const future = await depart(c, { kind: 'left_post', leftOn: '2999-01-01', reason: 'retired' });
    expect(future.status).toBe(422);
    expect(JSON.stringify(future.body)).toContain('leftOn');
    const badReason = await depart(c, { kind: 'left_post', leftOn: '2026-01-31', reason: 'fired' });
    expect(badReason.status).toBe(422);
    expect(await statusOf(c)).toBe('in_pool');
    const noReceipt = await api.call('POST', `/filings/${c.filingId}/departure`, {
      body: { kind: 'left_post', leftOn: '2026-01-31', reason: 'retired' },
    });
    expect(noReceipt.status).toBe(404);

    const left = await depart(c, { kind: 'left_post', leftOn: '2026-01-31', reason: 'retired' });
    expect(left.status, left.text).toBe(200);
    expect(left.body.status).toBe('removed');
    expect(left.body.departures).toEqual({ leftPost: false, consentWithdrawal: false });
    const last = (left.body.history as { action: string; by: string; reason?: string }[]).at(-1);
    expect(last).toMatchObject({ action: 'remove', by: 'applicant' });
    expect(last?.reason).toContain('退休');
    await eventually(async () => (await cityMails(c.filingId)).length === 1, 'the city mail');
    const [mail] = await cityMails(c.filingId);
    expect(mail?.to).toEqual(['review-210100@liaoning-cso.example.cn']);
    expect(mail?.subject).toContain('已离岗');

    // A double click: the same answer, nothing written twice, no second mail.
    const again = await depart(c, { kind: 'left_post', leftOn: '2026-01-31', reason: 'retired' });
    expect(again.status).toBe(200);
    expect((again.body.history as unknown[]).length).toBe((left.body.history as unknown[]).length);
    // Another report on a member who has left is refused.
    const consent = await depart(c, { kind: 'consent_withdrawn' });
    expect(consent.status).toBe(409);
    await api.settled();
    expect(await cityMails(c.filingId)).toHaveLength(1);
  });

  it('refuses a departure of a filing that has ended, and of one that is not in the pool yet', async () => {
    const c = await submit();
    await linkFor(c.filingId, 'review_request');
    const early = await depart(c, { kind: 'left_post', leftOn: '2026-01-31', reason: 'resigned' });
    expect(early.status).toBe(409);
    expect((early.body as { errors: { code: string }[] }).errors[0]?.code).toBe('not_in_pool');
    expect((await api.withdraw(c.filingId, c.receiptToken)).status).toBe(200);
    const after = await depart(c, { kind: 'consent_withdrawn' });
    expect(after.status).toBe(409);
    expect((after.body as { errors: { code: string }[] }).errors[0]?.code).toBe('filing_ended');
  });

  it('a consent withdrawn under review withdraws the filing: the open review link then decides nothing', async () => {
    const c = await submit();
    const link = await linkFor(c.filingId, 'review_request');
    const res = await depart(c, { kind: 'consent_withdrawn' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    await api.settled();
    const decided = await api.decide(link, { decision: 'approve' });
    expect(decided.status).toBeGreaterThanOrEqual(400);
    expect(await statusOf(c)).toBe('withdrawn');
    expect(await api.objectKeys(`filings/${c.filingId}/`)).toEqual([]);
    await eventually(async () => (await cityMails(c.filingId)).length === 1, 'the city mail');
    expect((await cityMails(c.filingId))[0]?.subject).toContain('撤回');
  });

  it('province staff remove a member with a reason; a city may not', async () => {
    const c = await submit();
    await intoPool(c);
    const path = `/staff/filings/${c.filingId}/remove`;
    const city = await api.call('POST', path, {
      body: { reason: '企业已注销' },
      headers: { authorization: `Bearer ${tokens.city}` },
    });
    expect(city.status).toBe(403);
    const short = await api.call('POST', path, {
      body: { reason: '无' },
      headers: { authorization: `Bearer ${tokens.province}` },
    });
    expect(short.status).toBe(422);
    expect(await statusOf(c)).toBe('in_pool');
    const removed = await api.call('POST', path, {
      body: { reason: '企业已注销，人员不再任职' },
      headers: { authorization: `Bearer ${tokens.province}` },
    });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.status).toBe('removed');
    const repeat = await api.call('POST', path, {
      body: { reason: '企业已注销，人员不再任职' },
      headers: { authorization: `Bearer ${tokens.province}` },
    });
    expect(repeat.status).toBe(200);
    const history = (await api.status(c.filingId, c.receiptToken)).body.history as {
      action: string;
      by: string;
    }[];
    expect(history.filter((h) => h.action === 'remove')).toEqual([
      expect.objectContaining({ by: 'province', reason: '企业已注销，人员不再任职' }),
    ]);
    await eventually(async () => (await cityMails(c.filingId)).length === 1, 'the city mail');
  });
});

describe('a role change', () => {
  it('files for the new role while in the pool, shows the reviewer what it replaces, and supersedes on inclusion', async () => {
    const earlier = await submit({ role: 'specialist' });
    await intoPool(earlier);
    const same = await api.submit('liaoning-cso', validFiling({ n: earlier.n, role: 'specialist' }));
    expect(same.status).toBe(409);
    const later = await submit({ n: earlier.n, role: 'director' });
    const reviewLink = await linkFor(later.filingId, 'review_request');
    const page = await api.reviewPage(reviewLink);
    expect(page.text).toContain(earlier.filingId);
    expect(page.text).toContain('替代');
    expect(await statusOf(earlier)).toBe('in_pool');

    await intoPool(later);
    expect(await statusOf(earlier)).toBe('superseded');
    const old = await api.status(earlier.filingId, earlier.receiptToken);
    expect((old.body.history as { action: string }[]).at(-1)?.action).toBe('supersede');
    expect((await api.status(later.filingId, later.receiptToken)).body.supersedes).toBe(earlier.filingId);
  });
});
