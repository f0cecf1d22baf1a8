// Walks a filing into the talent pool as people do it, through the running local stack: the
// city approves from its emailed link and sends its summary batch, the province includes the
// person from the batch link. For suites that start from a pool member.
import { expect } from 'vitest';
import type { ApiDriver } from '../e2e/driver.ts';

export interface Filed {
  filingId: string;
  receiptToken: string;
}

export async function eventually(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not reached: ${what}`);
}

/** The emailed link of `kind` whose page is about this filing (GET never changes anything). */
export async function linkFor(api: ApiDriver, filingId: string, kind: string): Promise<string> {
  let found = '';
  await eventually(async () => {
    for (const mail of (await api.outbox()).filter((m) => m.kind === kind)) {
      for (const link of mail.links) {
        if ((await api.reviewPage(link)).text.includes(filingId)) {
          found = link;
          return true;
        }
      }
    }
    return false;
  }, `${kind} link for ${filingId}`);
  return found;
}

export const statusOf = async (api: ApiDriver, c: Filed) =>
  String((await api.status(c.filingId, c.receiptToken)).body.status);

export async function intoPool(api: ApiDriver, c: Filed): Promise<void> {
  const link = await linkFor(api, c.filingId, 'review_request');
  expect((await api.decide(link, { decision: 'approve' })).status).toBe(200);
  await eventually(async () => (await statusOf(api, c)) === 'province_review', 'province review');
  await api.settled();
  const sent = await api.call('POST', `${new URL(link).pathname}/batch`, {
    raw: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(sent.status).toBe(200);
  const batch = await linkFor(api, c.filingId, 'province_batch');
  expect((await api.decide(batch, { [`decision_${c.filingId}`]: 'include' })).status).toBe(200);
  await eventually(async () => (await statusOf(api, c)) === 'in_pool', 'in the pool');
  await api.settled();
}
