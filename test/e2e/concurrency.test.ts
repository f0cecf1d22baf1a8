// Races through the real local runtime over HTTP: a hundred submissions with one
// Idempotency-Key, fifty clicks on one review link, and two members of staff deciding one
// filing at the same moment. Each race has exactly one
// winner, the losers get the documented answer, and the table, the audit trail, the workflow
// executions and the outbox all show the one outcome once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMetrics } from '../../bench/lib/results.ts';
import {
  type Created,
  eventually,
  linkFor,
  staffHeader,
  transitions,
} from '../support/concurrency-review.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type Answer, type ApiDriver, apiDriver, type ErrorBody } from './driver.ts';

const LIAONING = 'liaoning-cso';
const DECISIONS = ['approve', 'reject', 'request_changes', 'include', 'decline'];

let runtime: Runtime;
let api: ApiDriver;
let auditor: { authorization: string };

beforeAll(async () => {
  runtime = await startRuntime();
  api = apiDriver(runtime);
  auditor = await staffHeader(runtime, [{ role: 'auditor', programId: LIAONING }], 'auditor-concurrency');
});

afterAll(async () => {
  await runtime?.stop();
});

/** How many answers had each status, e.g. `{ 200: 1, 409: 49 }`. */
function statusCounts(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

async function submitted(filing: object): Promise<Created> {
  const res = await api.submit(LIAONING, filing);
  expect(res.status, res.text).toBe(201);
  return res.body as unknown as Created;
}

const statusOf = async (c: Created) => String((await api.status(c.filingId, c.receiptToken)).body.status);

/** The decision transitions of a filing's audit trail (staff decisions, not system steps). */
async function decisionsOf(filingId: string) {
  return (await transitions(api, filingId, auditor)).filter((l) => DECISIONS.includes(l.what));
}

const batchSend = (link: string) =>
  api.call('POST', `${new URL(link).pathname}/batch`, {
    raw: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('fifty decisions on one review link at once', () => {
  it('exactly one decision is recorded and mailed; the other 49 get the “already handled” page (409)', async () => {
    const filing = validFiling({ n: 91_003, unit: '210400' });
    const c = await submitted(filing);
    const link = await linkFor(api, c.filingId);
    await api.settled();
    const forms = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? { decision: 'reject', reason: `不符合条件（审核员 ${i}）` }
        : { decision: 'request_changes', reason: `请补充聘任文件（审核员 ${i}）` },
    );

    const answers = await Promise.all(forms.map((form) => api.decide(link, form)));

    expect(statusCounts(answers)).toEqual({ 200: 1, 409: 49 });
    const w = answers.findIndex((a) => a.status === 200);
    const won = forms[w] ?? { decision: '', reason: '' };
    expect(answers[w]?.text).toContain(won.decision === 'reject' ? '不予通过' : '退回修改');
    for (const a of answers.filter((x) => x.status === 409)) expect(a.text).toContain('该事项已处理');

    const expected = won.decision === 'reject' ? 'rejected' : 'changes_requested';
    await eventually(`filing ${expected}`, async () => (await statusOf(c)) === expected);
    await api.settled();
    const history = (await api.status(c.filingId, c.receiptToken)).body.history as {
      action: string;
      reason?: string;
    }[];
    expect(history.filter((h) => DECISIONS.includes(h.action))).toEqual([
      expect.objectContaining({ action: won.decision, reason: won.reason }),
    ]);
    expect(await decisionsOf(c.filingId)).toEqual([
      expect.objectContaining({ what: won.decision, by: 'city', reason: won.reason }),
    ]);
    const outcomeKind = won.decision === 'reject' ? 'applicant_rejected' : 'applicant_changes_requested';
    const toApplicant = (await api.outbox()).filter((m) => m.to.includes(filing.person.email));
    // The decision's one mail, besides the notice that the filing was received.
    expect(toApplicant.map((m) => m.kind).sort()).toEqual(['applicant_received', outcomeKind].sort());
    // The link stays spent.
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(409);
  });
});

describe('two members of staff deciding one filing at the same moment', () => {
  it('the city reviewer approves while the province, to which the review was escalated, rejects: one wins, the other 409', async () => {
    const filing = validFiling({ n: 91_004, unit: '210500' });
    const c = await submitted(filing);
    const cityLink = await linkFor(api, c.filingId);
    await api.settled();
    // The city lets the reminders pass (days 3 and 7) and the review is escalated at day 14.
    for (const by of ['3d', '4d', '7d']) {
      expect((await api.tick(by)).status).toBe(200);
      await api.settled();
    }
    const provinceLink = await linkFor(api, c.filingId, 'review_escalation');
    expect(provinceLink).not.toBe(cityLink);
    expect(await statusOf(c)).toBe('city_review');

    const [city, province] = await Promise.all([
      api.decide(cityLink, { decision: 'approve' }),
      api.decide(provinceLink, { decision: 'reject', reason: '省局复核不予通过' }),
    ]);

    expect([city?.status, province?.status].sort()).toEqual([200, 409]);
    const cityWon = city?.status === 200;
    const loser = cityWon ? province : city;
    expect(loser?.text).toContain('该事项已处理');
    const expected = cityWon ? 'province_review' : 'rejected';
    await eventually(`filing ${expected}`, async () => (await statusOf(c)) === expected);
    await api.settled();
    expect(await decisionsOf(c.filingId)).toEqual([
      cityWon
        ? expect.objectContaining({
            what: 'approve',
            by: 'city',
            actorId: 'review-210500@liaoning-cso.example.cn',
          })
        : expect.objectContaining({
            what: 'reject',
            by: 'province',
            actorId: 'review-province@liaoning-cso.example.cn',
          }),
    ]);
    const rejections = (await api.outbox()).filter(
      (m) => m.to.includes(filing.person.email) && m.kind === 'applicant_rejected',
    );
    expect(rejections).toHaveLength(cityWon ? 0 : 1);
  });

  it('two province staff on one batch page, one includes while the other declines: one wins, the other 409', async () => {
    const filing = validFiling({ n: 91_005, unit: '210600' });
    const c = await submitted(filing);
    const cityLink = await linkFor(api, c.filingId);
    expect((await api.decide(cityLink, { decision: 'approve' })).status).toBe(200);
    await eventually('filing province_review', async () => (await statusOf(c)) === 'province_review');
    await api.settled();
    expect((await batchSend(cityLink)).status).toBe(200);
    const batchLink = await linkFor(api, c.filingId, 'province_batch');

    const [include, decline] = await Promise.all([
      api.decide(batchLink, { [`decision_${c.filingId}`]: 'include' }),
      api.decide(batchLink, {
        [`decision_${c.filingId}`]: 'decline',
        [`reason_${c.filingId}`]: '名额已满',
      }),
    ]);

    // Whatever the answers, one decision is recorded, applied and mailed.
    await eventually('the province decision applied', async () =>
      ['in_pool', 'declined'].includes(await statusOf(c)),
    );
    await api.settled();
    const decided = await decisionsOf(c.filingId);
    expect(decided.map((l) => [l.what, l.by])).toEqual([
      ['approve', 'city'],
      [expect.stringMatching(/^(include|decline)$/), 'province'],
    ]);
    const includeWon = decided[1]?.what === 'include';
    expect(await statusOf(c)).toBe(includeWon ? 'in_pool' : 'declined');
    const toApplicant = (await api.outbox()).filter(
      (m) =>
        m.to.includes(filing.person.email) && ['applicant_included', 'applicant_declined'].includes(m.kind),
    );
    expect(toApplicant.map((m) => m.kind)).toEqual([
      includeWon ? 'applicant_included' : 'applicant_declined',
    ]);

    // The winner is told it decided one person; the other is told the filing was already handled
    // (docs/architecture.md: the first decision wins, later ones get an "already handled" page, 409).
    const winner = includeWon ? include : decline;
    const loser = includeWon ? decline : include;
    expect(winner?.status).toBe(200);
    expect(winner?.text).toContain('1 人');
    expect({ status: loser?.status, page: loser?.text.match(/<p>(.*?)<\/p>/)?.[1] }).toEqual({
      status: 409,
      page: expect.stringContaining('该事项已有处理结果'),
    });
  });
});

describe('a hundred submissions with one Idempotency-Key at once', () => {
  it('make one filing, whole with its documents: every answer is that filing or “in progress” (409 with Retry-After), and retrying those gets the filing', async () => {
    const filing = await api.withDocuments(LIAONING, validFiling({ n: 91_010, unit: '210500' }));
    const key = `hundred-${crypto.randomUUID()}`;
    const uploads = (filing.attachments ?? []).map((a) => a.key);
    expect(uploads).toHaveLength(2);

    const answers = await Promise.all(Array.from({ length: 100 }, () => api.submit(LIAONING, filing, key)));

    const kinds = new Set(
      answers.map(
        (a) => `${a.status} ${a.status === 201 ? '' : (a.body as unknown as ErrorBody).errors[0]?.code}`,
      ),
    );
    expect([...kinds].filter((k) => k !== '201 ' && k !== '409 idempotency_key_in_progress')).toEqual([]);
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThan(0);
    const first = created[0]?.body as unknown as Created;
    for (const a of created) expect(a.body).toEqual(first);
    const busy = answers.filter((a) => a.status === 409);
    for (const a of busy) expect(a.headers.get('retry-after')).toBe('1');

    // The client does what Retry-After says: every retry gets the same filing.
    await new Promise((r) => setTimeout(r, 1_000));
    const retried = await Promise.all(busy.map(() => api.submit(LIAONING, filing, key)));
    for (const a of retried) expect({ status: a.status, body: a.body }).toEqual({ status: 201, body: first });

    // One filing, whole: its body, two events, one review opened and mailed, its documents kept.
    await api.settled();
    const items = await api.tableItems();
    const bodies = items.filter((i) => i.sk === 'BODY' && i.filingId === first.filingId);
    expect(bodies).toHaveLength(1);
    const body = bodies[0] as { filing: { attachments: { key: string }[] } };
    const stored = body.filing.attachments.map((a) => a.key);
    expect(stored).toHaveLength(2);
    expect((await api.objectKeys(`filings/${first.filingId}/`)).sort()).toEqual([...stored].sort());
    for (const upload of uploads) expect(await api.objectKeys(upload)).toEqual([]);
    expect((await transitions(api, first.filingId, auditor)).map((l) => l.what)).toEqual([
      'submit',
      'start_city_review',
    ]);
    expect((await api.executions()).filter((e) => e.name === first.filingId)).toHaveLength(1);
    const status = await api.status(first.filingId, first.receiptToken);
    expect(status.body.status).toBe('city_review');
    const requests = [];
    for (const mail of (await api.outbox()).filter((m) => m.kind === 'review_request')) {
      for (const link of mail.links) {
        if ((await api.reviewPage(link)).text.includes(first.filingId)) requests.push(mail.id);
      }
    }
    expect(requests).toHaveLength(1);
    recordMetrics({
      'race.idempotencyKey.filings': {
        value: bodies.length,
        unit: 'filings',
        goal: 1,
        better: 'lower',
        note: `100 submissions with one Idempotency-Key at once: ${created.length} answered 201 with the filing, ${busy.length} 409 idempotency_key_in_progress (Retry-After: 1), all of those 201 when retried; documents whole, one execution, one review mail`,
      },
    });
  });
});
