// Review links as an attacker or a mail scanner would meet them, through the real local runtime
// with its workflow engine: a link carries 256 random bits and the table only their SHA-256;
// an altered token is unknown; the first decision spends every link of the step; a link past
// its validity decides nothing; a city link cannot act at the province stage, nor a batch link
// as a city link, nor either on another unit's filings; GET never changes the table or the
// workflows; the tokens never reach the logs. (The workflow suite covers the rest: concurrent
// clicks, expiry by the workflow clock, a city link re-bound to another unit.)
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { cityRemainingSeconds } from '#shared/use-cases/workflow/plan.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver } from './driver.ts';

let runtime: Runtime;
let api: ApiDriver;
let n = 84_000;
const LIAONING = 'liaoning-cso';

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

interface Created {
  filingId: string;
  receiptToken: string;
}

async function submit(unit: string): Promise<Created> {
  const res = await api.submit(LIAONING, validFiling({ n: n++, unit }));
  expect(res.status).toBe(201);
  return res.body as unknown as Created;
}

/** The newest link of `kind` whose page is about this filing (GET never changes anything). */
async function linkFor(filingId: string, kind = 'review_request'): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const mail of (await api.outbox()).filter((m) => m.kind === kind)) {
      for (const link of mail.links) {
        const page = await api.reviewPage(link);
        if (page.status === 200 && page.text.includes(filingId)) return link;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} link for ${filingId}`);
}

async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

const statusOf = async (c: Created) => String((await api.status(c.filingId, c.receiptToken)).body.status);
const tokenOf = (link: string) => new URL(link).pathname.split('/')[2] ?? '';
const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');
const batchSend = (link: string) =>
  api.call('POST', `${new URL(link).pathname}/batch`, {
    raw: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

function table() {
  return createDocumentClient(
    new DynamoDBClient({
      endpoint: runtime.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

async function linkItem(link: string) {
  const items = await api.tableItems();
  return items.find((i) => i.pk === `LINK#${sha256(tokenOf(link))}`);
}

/** What a person's decisions and the workflows look like, to compare before and after. */
async function snapshot() {
  await api.settled();
  const executions = (await api.executions()).map((e) => ({
    name: e.name,
    status: e.status,
    events: e.events.length,
  }));
  return { items: await api.tableItems(), executions };
}

describe('review-link tokens', () => {
  it('carry 256 random bits; the table holds only their SHA-256, bound to filing, stage, round, reviewer and unit, expiring with the city stage', async () => {
    const c = await submit('210100');
    const link = await linkFor(c.filingId);
    const token = tokenOf(link);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const items = await api.tableItems();
    expect(JSON.stringify(items)).not.toContain(token);
    const item = await linkItem(link);
    expect(item).toMatchObject({
      type: 'ReviewLink',
      programId: LIAONING,
      stage: 'city',
      seq: 'city#0',
      target: { filingId: c.filingId },
      reviewer: { role: 'city', unit: '210100' },
    });
    const lifetime = Date.parse(String(item?.validUntil)) - Date.parse(String(item?.createdAt));
    // The link lives as long as the city stage (notice, reminders, escalation); the two
    // instants are taken a moment apart when the link is made.
    expect(Math.abs(lifetime - cityRemainingSeconds(getProgram(LIAONING), 0) * 1000)).toBeLessThan(1_000);
  });

  it('an altered token is an unknown link (404) for the page, the decision and the batch send, and changes nothing', async () => {
    const c = await submit('210100');
    const link = await linkFor(c.filingId);
    const token = tokenOf(link);
    const swap = (i: number) => `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    const altered = [
      swap(0),
      swap(21),
      swap(42),
      token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(),
      token.slice(0, 42),
      `${token}A`,
      `${token}=`,
      `${token.slice(0, 42)}+`,
      sha256(token), // the stored hash is not a token
    ].filter((t) => t !== token);
    expect(altered.length).toBeGreaterThanOrEqual(9);
    const before = await snapshot();
    for (const bad of altered) {
      const path = `/review/${encodeURIComponent(bad)}`;
      const page = await api.call('GET', path);
      expect(page.status, bad).toBe(404);
      expect(page.text).toContain('链接无效');
      expect(page.text).not.toContain(c.filingId);
      const decided = await api.decide(`${runtime.baseUrl}${path}`, { decision: 'approve' });
      expect(decided.status, bad).toBe(404);
      expect((await batchSend(`${runtime.baseUrl}${path}`)).status, bad).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
    expect((await api.reviewPage(link)).status).toBe(200);
    expect(await statusOf(c)).toBe('city_review');
  });

  it('single use: the first decision spends every link of the step; later clicks, from it or a reminder’s link, are “already handled” (409)', async () => {
    const c = await submit('210300');
    const first = await linkFor(c.filingId);
    await api.settled();
    // The 3-day reminder brings a new link for the same step.
    expect((await api.tick('3d')).status).toBe(200);
    const reminder = await linkFor(c.filingId, 'review_reminder');
    expect(reminder).not.toBe(first);
    await api.settled();
    expect((await api.decide(first, { decision: 'approve' })).status).toBe(200);
    const again = await api.decide(first, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('该事项已处理');
    expect((await api.decide(first, { decision: 'reject', reason: '改主意' })).status).toBe(409);
    expect((await api.decide(reminder, { decision: 'reject', reason: '另一位审核员' })).status).toBe(409);
    const page = await api.reviewPage(reminder);
    expect(page.status).toBe(409);
    expect(page.text).not.toContain('<form');
    await eventually(async () => (await statusOf(c)) === 'province_review');
    await api.settled();
    const history = (await api.status(c.filingId, c.receiptToken)).body.history as { action: string }[];
    expect(history.filter((h) => ['approve', 'reject', 'request_changes'].includes(h.action))).toEqual([
      expect.objectContaining({ action: 'approve' }),
    ]);
  });

  it('a link past its validity is refused (410) for the page, the decision and the batch send, and decides nothing', async () => {
    const c = await submit('210100');
    const link = await linkFor(c.filingId);
    const item = await linkItem(link);
    expect(item).toBeDefined();
    const doc = table();
    // The stored expiry rules (the token carries no date): one second ago.
    const past = new Date(Date.now() - 1_000).toISOString();
    await doc.send(new PutCommand({ TableName: runtime.tableName, Item: { ...item, validUntil: past } }));
    const before = await snapshot();
    const page = await api.reviewPage(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain('链接已过期');
    expect(page.text).not.toContain(c.filingId);
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(410);
    expect((await api.decide(link, { decision: 'reject', reason: '过期后' })).status).toBe(410);
    expect((await batchSend(link)).status).toBe(410);
    expect(await snapshot()).toEqual(before);
    expect(await statusOf(c)).toBe('city_review');
    // Within its validity the same link works: it was the expiry that refused.
    await doc.send(new PutCommand({ TableName: runtime.tableName, Item: item }));
    expect((await api.reviewPage(link)).status).toBe(200);
  });

  it('stage: a spent city link cannot act at the province stage; a batch link cannot act as a city link; neither opens an annual-return page', async () => {
    const c = await submit('210500');
    const city = await linkFor(c.filingId);
    expect((await api.decide(city, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'province_review');
    await api.settled();
    for (const form of [
      { decision: 'include' },
      { decision: 'approve' },
      { [`decision_${c.filingId}`]: 'include' },
    ]) {
      expect((await api.decide(city, form)).status, JSON.stringify(form)).toBe(409);
    }
    expect(await statusOf(c)).toBe('province_review');
    // The city sends its unit's approved filings to the province now.
    expect((await batchSend(city)).status).toBe(200);
    const batch = await linkFor(c.filingId, 'province_batch');
    const batchItem = await linkItem(batch);
    expect(batchItem).toMatchObject({ stage: 'province', reviewer: { role: 'province' } });
    expect(batchItem?.reviewer).not.toHaveProperty('unit');
    expect((await batchSend(batch)).status).toBe(404); // only a city link sends its unit's batch
    expect((await api.call('GET', `/return/${tokenOf(batch)}`)).status).toBe(404);
    expect((await api.call('GET', `/return/${tokenOf(city)}`)).status).toBe(404);
    // The city's form is not a province decision: nothing decided.
    expect((await api.decide(batch, { decision: 'approve' })).status).toBe(422);
    await api.settled();
    expect(await statusOf(c)).toBe('province_review');
    expect((await api.decide(batch, { [`decision_${c.filingId}`]: 'include' })).status).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'in_pool');
    expect((await api.decide(batch, { [`decision_${c.filingId}`]: 'decline', reason: 'x' })).status).toBe(
      409,
    );
    expect((await api.decide(city, { decision: 'reject', reason: '事后' })).status).toBe(409);
  });

  it('unit: a city link sends only its own unit’s filings, and a batch link cannot decide a filing outside its batch', async () => {
    const x = await submit('210600');
    const y = await submit('210700');
    const xLink = await linkFor(x.filingId);
    const yLink = await linkFor(y.filingId);
    expect((await api.decide(xLink, { decision: 'approve' })).status).toBe(200);
    expect((await api.decide(yLink, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => (await statusOf(x)) === 'province_review');
    await eventually(async () => (await statusOf(y)) === 'province_review');
    await api.settled();
    expect((await batchSend(xLink)).status).toBe(200);
    const xBatch = await linkFor(x.filingId, 'province_batch');
    const page = await api.reviewPage(xBatch);
    expect(page.text).toContain(x.filingId);
    expect(page.text).not.toContain(y.filingId);
    // Naming Jinzhou's filing in Dandong's batch decides nothing for it.
    const res = await api.decide(xBatch, {
      [`decision_${x.filingId}`]: 'include',
      [`decision_${y.filingId}`]: 'include',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 人');
    await eventually(async () => (await statusOf(x)) === 'in_pool');
    await api.settled();
    expect(await statusOf(y)).toBe('province_review');
    // Jinzhou's filing is still waiting for its own batch.
    expect((await batchSend(yLink)).status).toBe(200);
    const yBatch = await linkFor(y.filingId, 'province_batch');
    expect(tokenOf(yBatch)).not.toBe(tokenOf(xBatch));
  });

  it('withdrawal: the city link of a withdrawn filing decides nothing (409), a later batch leaves it out, and an open batch page no longer lists it', async () => {
    // Withdrawn in city review: the emailed link says so and changes nothing.
    const a = await submit('210800');
    const aLink = await linkFor(a.filingId);
    expect((await api.withdraw(a.filingId, a.receiptToken)).status).toBe(200);
    await api.settled();
    const before = await snapshot();
    const page = await api.reviewPage(aLink);
    expect(page.status).toBe(409);
    expect(page.text).toContain('已撤回');
    const decided = await api.decide(aLink, { decision: 'approve' });
    expect(decided.status).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect(await statusOf(a)).toBe('withdrawn');

    // Withdrawn while waiting for the batch: the unit's batch carries only the others.
    const b = await submit('210800');
    const c = await submit('210800');
    const d = await submit('210800');
    for (const f of [b, c, d]) {
      expect((await api.decide(await linkFor(f.filingId), { decision: 'approve' })).status).toBe(200);
      await eventually(async () => (await statusOf(f)) === 'province_review');
    }
    expect((await api.withdraw(b.filingId, b.receiptToken)).status).toBe(200);
    await api.settled();
    // City staff send the batch from any live link of the unit (the first filing's, here).
    expect((await batchSend(aLink)).status).toBe(200);
    const batch = await linkFor(c.filingId, 'province_batch');
    const batchPage = await api.reviewPage(batch);
    expect(batchPage.text).toContain(c.filingId);
    expect(batchPage.text).toContain(d.filingId);
    expect(batchPage.text).not.toContain(b.filingId);

    // Withdrawn after the batch was sent: its page lists only who is still waiting.
    expect((await api.withdraw(c.filingId, c.receiptToken)).status).toBe(200);
    await api.settled();
    const after = await api.reviewPage(batch);
    expect(after.text).toContain(d.filingId);
    expect(after.text).not.toContain(c.filingId);
    const res = await api.decide(batch, {
      [`decision_${c.filingId}`]: 'include',
      [`decision_${d.filingId}`]: 'include',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 人');
    await eventually(async () => (await statusOf(d)) === 'in_pool');
    expect(await statusOf(c)).toBe('withdrawn');
    expect(await statusOf(b)).toBe('withdrawn');
  });

  it('GET never changes anything: many views of a city link and a batch link, HEAD, query strings, unknown links', async () => {
    const waiting = await submit('210800');
    const approved = await submit('210800');
    const city = await linkFor(waiting.filingId);
    const other = await linkFor(approved.filingId);
    expect((await api.decide(other, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => (await statusOf(approved)) === 'province_review');
    await api.settled();
    expect((await batchSend(other)).status).toBe(200);
    const batch = await linkFor(approved.filingId, 'province_batch');
    const before = await snapshot();
    for (let i = 0; i < 20; i++) {
      const page = await api.reviewPage(city);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
      expect((await api.reviewPage(batch)).status).toBe(200);
    }
    for (const path of [
      `${new URL(city).pathname}?decision=approve`,
      `${new URL(batch).pathname}?decision_${approved.filingId}=include`,
      `${new URL(city).pathname}/batch`,
      `/review/${'B'.repeat(43)}`,
    ]) {
      await api.call('GET', path);
      await api.call('HEAD', path);
    }
    expect(await snapshot()).toEqual(before);
    expect(await statusOf(waiting)).toBe('city_review');
    expect(await statusOf(approved)).toBe('province_review');
  });

  it('every emailed link token is distinct and well formed, and none reaches the logs or the table', async () => {
    const tokens = (await api.outbox()).flatMap((m) =>
      m.links.filter((l) => new URL(l).pathname.startsWith('/review/')).map(tokenOf),
    );
    expect(tokens.length).toBeGreaterThanOrEqual(10);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const output = runtime.output();
    const items = JSON.stringify(await api.tableItems());
    for (const t of tokens) {
      expect(output).not.toContain(t);
      expect(items).not.toContain(t);
    }
  });
});
