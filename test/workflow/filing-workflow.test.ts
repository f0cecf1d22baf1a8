// The real ASL (workflows/filing.asl.json) with the real handlers on the local engine and
// DynamoDB Local, driven the way people drive it: by the links in the emails in the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiDriver, apiDriver, type OutboxItem } from '../e2e/driver.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';

let runtime: Runtime;
let api: ApiDriver;
let n = 300_000;

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
  n: number;
}

async function submit(unit = '210100', role = 'cso'): Promise<Created> {
  const k = n++;
  const res = await api.submit('liaoning-cso', validFiling({ n: k, unit, role }));
  expect(res.status).toBe(201);
  return { ...(res.body as unknown as Created), n: k };
}

/** The newest link of `kind` whose page is about this filing (GET never changes anything). */
async function linkFor(filingId: string, kind = 'review_request', after = ''): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const mail of (await api.outbox()).filter((m) => m.kind === kind && m.at > after)) {
      for (const link of mail.links) {
        if ((await api.reviewPage(link)).text.includes(filingId)) return link;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} link for ${filingId}`);
}

async function statusOf(c: Created): Promise<string> {
  return String((await api.status(c.filingId, c.receiptToken)).body.status);
}

async function eventually(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

async function execution(filingId: string) {
  return (await api.executions()).find((e) => e.name === filingId);
}

const mailsTo = (mails: OutboxItem[], address: string) => mails.filter((m) => m.to.includes(address));

describe('filing workflow', () => {
  it('happy path: city approves, the batch goes to the province, the person is included', async () => {
    const c = await submit();
    const link = await linkFor(c.filingId);
    expect(await statusOf(c)).toBe('city_review');
    const decided = await api.decide(link, { decision: 'approve' });
    expect(decided.status).toBe(200);
    expect(decided.text).toContain('已提交审核意见');
    await eventually(async () => (await statusOf(c)) === 'province_review');
    await api.settled();
    // City staff send the summary batch now, from the confirmation page's button.
    const sent = await api.call('POST', `${new URL(link).pathname}/batch`, {
      raw: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('已报送省局');
    const batchLink = await linkFor(c.filingId, 'province_batch');
    expect((await api.decide(batchLink, { [`decision_${c.filingId}`]: 'include' })).status).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'in_pool');
    await eventually(async () => (await execution(c.filingId))?.status === 'SUCCEEDED');
    const exec = await execution(c.filingId);
    const entered = exec?.events.filter((e) => e.type === 'StateEntered').map((e) => e.state);
    expect(entered).toEqual([
      'Entry',
      'StartReview',
      'CityReview',
      'ApplyCityDecision',
      'CityOutcome',
      'CityApproved',
      'AwaitProvince',
      'ApplyProvinceDecision',
      'ProvinceOutcome',
      'Included',
    ]);
    const applicantMails = (await api.outbox()).filter((m) => m.kind === 'applicant_included');
    expect(applicantMails.some((m) => m.links.some((l) => l.includes(c.filingId)))).toBe(true);
    const history = (await api.status(c.filingId, c.receiptToken)).body.history as { action: string }[];
    expect(history.map((h) => h.action)).toEqual(['submit', 'start_city_review', 'approve', 'include']);
  });

  it('Anhui (no province stage): the city approves, the filing is registered, the applicant told, nothing goes to the province', async () => {
    const k = n++;
    const filing = validFiling({ n: k, unit: '340100', role: 'director', region: '340100' });
    const res = await api.submit('anhui-std-director', filing);
    expect(res.status, res.text).toBe(201);
    const c: Created = { ...(res.body as unknown as Created), n: k };
    const link = await linkFor(c.filingId);
    expect((await api.reviewPage(link)).text).toContain('通过，予以备案');
    const decided = await api.decide(link, { decision: 'approve' });
    expect(decided.status).toBe(200);
    expect(decided.text).toContain('通过，予以备案');
    // No button to send a summary batch: there is no province stage to send it to.
    expect(decided.text).not.toContain('立即汇总报送省局');
    await eventually(async () => (await statusOf(c)) === 'registered');
    await eventually(async () => (await execution(c.filingId))?.status === 'SUCCEEDED');
    const exec = await execution(c.filingId);
    expect(exec?.events.filter((e) => e.type === 'StateEntered').map((e) => e.state)).toEqual([
      'Entry',
      'StartReview',
      'CityReview',
      'ApplyCityDecision',
      'CityOutcome',
      'CityApproved',
      'Registered',
    ]);
    const mail = await api.waitForMail(
      'applicant_registered',
      (m) => m.to.includes(filing.person.email) && m.links.some((l) => l.includes(c.filingId)),
    );
    expect(mail.subject).toContain('备案完成');
    const view = (await api.status(c.filingId, c.receiptToken)).body;
    expect((view.history as { action: string }[]).map((h) => h.action)).toEqual([
      'submit',
      'start_city_review',
      'register',
    ]);
    // The province never gets a task, a batch or a batch mail for it, even when the batches run.
    await api.settled();
    expect((await api.sendBatches()).status).toBe(200);
    await api.settled();
    const tasks = (await api.call<unknown[]>('GET', '/_local/tasks.json')).body;
    expect(tasks.some((t) => JSON.stringify(t).includes(c.filingId))).toBe(false);
    const items = await api.tableItems();
    expect(items.filter((i) => JSON.stringify(i).includes(c.filingId) && i.type === 'Batch')).toEqual([]);
    expect(
      items.some((i) => i.type === 'ReviewTask' && i.stage === 'province' && i.filingId === c.filingId),
    ).toBe(false);
    const outbox = await api.outbox();
    expect(outbox.some((m) => m.kind === 'province_batch' && m.subject.includes('合肥'))).toBe(false);
    expect(outbox.some((m) => m.kind === 'applicant_included' && m.to.includes(filing.person.email))).toBe(
      false,
    );
  });

  it('reject: a reason is required, the applicant is told, the workflow ends', async () => {
    const c = await submit();
    const link = await linkFor(c.filingId);
    const noReason = await api.decide(link, { decision: 'reject' });
    expect(noReason.status).toBe(422);
    expect(await statusOf(c)).toBe('city_review');
    expect((await api.decide(link, { decision: 'reject', reason: '培训证书无法核实' })).status).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'rejected');
    const view = (await api.status(c.filingId, c.receiptToken)).body;
    expect(view.comments).toEqual([expect.objectContaining({ action: 'reject', text: '培训证书无法核实' })]);
    await eventually(async () => (await execution(c.filingId))?.status === 'SUCCEEDED');
    await api.waitForMail('applicant_rejected', (m) => m.links.some((l) => l.includes(c.filingId)));
  });

  it('request changes → the applicant amends → back to city review → approve', async () => {
    const c = await submit();
    const first = await linkFor(c.filingId);
    expect(
      (await api.decide(first, { decision: 'request_changes', reason: '请补充聘任文件编号' })).status,
    ).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'changes_requested');
    await api.waitForMail('applicant_changes_requested', (m) => m.links.some((l) => l.includes(c.filingId)));
    await api.settled();
    const before = new Date().toISOString();
    const body = validFiling({ n: c.n });
    body.person.appointment.documentNumber = '企聘〔2025〕8号';
    const res = await api.amend(c.filingId, c.receiptToken, body);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('city_review');
    // The old link is stale; a new review request arrives for round 2.
    expect((await api.decide(first, { decision: 'approve' })).status).toBe(409);
    const second = await linkFor(c.filingId, 'review_request', before);
    expect(second).not.toBe(first);
    expect((await api.decide(second, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'province_review');
  });

  it('no answer: reminders after 3 and 7 days, then escalation to the province, who can decide', async () => {
    const c = await submit('210300');
    await linkFor(c.filingId);
    await api.settled();
    const reviewer = 'review-210300@liaoning-cso.example.cn';
    expect((await api.tick('3d')).status).toBe(200);
    await eventually(async () =>
      mailsTo(await api.outbox(), reviewer).some((m) => m.kind === 'review_reminder'),
    );
    await api.settled();
    await api.tick('4d');
    await eventually(
      async () =>
        mailsTo(await api.outbox(), reviewer).filter((m) => m.kind === 'review_reminder').length >= 2,
    );
    await api.settled();
    await api.tick('7d');
    const escalation = await linkFor(c.filingId, 'review_escalation');
    expect(await statusOf(c)).toBe('city_review');
    expect((await api.decide(escalation, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => (await statusOf(c)) === 'province_review');
    const history = (await api.status(c.filingId, c.receiptToken)).body.history as {
      action: string;
      by: string;
    }[];
    expect(history.at(-1)).toMatchObject({ action: 'approve', by: 'province' });
  });

  it('nobody answers at all: the review expires, is recorded and alerted, and does not loop', async () => {
    const c = await submit('210400');
    await linkFor(c.filingId);
    for (const step of ['3d', '4d', '7d', '21d']) {
      await api.settled();
      await api.tick(step);
    }
    await eventually(async () => (await execution(c.filingId))?.status === 'FAILED');
    expect((await execution(c.filingId))?.error).toBe('FilingWorkflowFailed');
    expect(await api.repository().failures(c.filingId)).toEqual([
      expect.objectContaining({ error: 'ReviewExpired' }),
    ]);
    await api.waitForMail('failure_alert');
  });

  it('the province declines one of a batch of three, with a reason; each workflow gets its own outcome', async () => {
    const unit = '210500';
    const filings = [await submit(unit), await submit(unit), await submit(unit)];
    for (const f of filings) {
      expect((await api.decide(await linkFor(f.filingId), { decision: 'approve' })).status).toBe(200);
    }
    for (const f of filings) await eventually(async () => (await statusOf(f)) === 'province_review');
    await api.settled();
    expect((await api.sendBatches()).status).toBe(200);
    const batches = (await api.outbox()).filter((m) => m.kind === 'province_batch');
    const link = await linkFor(filings[0]?.filingId ?? '', 'province_batch');
    expect(batches.length).toBeGreaterThan(0);
    const [a, b, d] = filings.map((f) => f.filingId) as [string, string, string];
    const incomplete = await api.decide(link, { [`decision_${a}`]: 'include', [`decision_${b}`]: 'decline' });
    expect(incomplete.status).toBe(422); // one person without a decision, one decline without a reason
    const res = await api.decide(link, {
      [`decision_${a}`]: 'include',
      [`decision_${b}`]: 'decline',
      [`reason_${b}`]: '聘任文件与岗位不符',
      [`decision_${d}`]: 'include',
    });
    expect(res.status).toBe(200);
    const [fa, fb, fd] = filings as [Created, Created, Created];
    await eventually(async () => (await statusOf(fa)) === 'in_pool');
    await eventually(async () => (await statusOf(fb)) === 'declined');
    await eventually(async () => (await statusOf(fd)) === 'in_pool');
    expect((await api.decide(link, { [`decision_${a}`]: 'include' })).status).toBe(409);
  });

  it('a mail scanner that GETs every link first changes nothing', async () => {
    const c = await submit();
    const link = await linkFor(c.filingId);
    await api.settled();
    const before = await api.tableItems();
    for (let i = 0; i < 5; i++) {
      const page = await api.reviewPage(link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('打开本页不会改变任何状态');
      await api.call('HEAD', new URL(link).pathname);
    }
    await api.settled();
    expect(await api.tableItems()).toEqual(before);
    expect(await statusOf(c)).toBe('city_review');
  });

  it('50 concurrent decisions on one link: exactly one decides', async () => {
    const c = await submit();
    const link = await linkFor(c.filingId);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_v, i) =>
        api.decide(link, i % 2 ? { decision: 'approve' } : { decision: 'reject', reason: '不符合条件' }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(49);
    await api.settled();
    const history = (await api.status(c.filingId, c.receiptToken)).body.history as { action: string }[];
    expect(history.filter((h) => ['approve', 'reject'].includes(h.action))).toHaveLength(1);
  });

  it('refuses unknown and expired links with their own pages', async () => {
    expect((await api.call('GET', '/review/not-a-token')).status).toBe(404);
    expect((await api.call('GET', `/review/${'A'.repeat(43)}`)).status).toBe(404);
    const c = await submit('210600');
    const link = await linkFor(c.filingId);
    for (const step of ['3d', '4d', '7d', '21d']) {
      await api.settled();
      await api.tick(step);
    }
    await eventually(async () => (await api.reviewPage(link)).status === 410);
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(410);
  });

  it('a withdrawal ends the wait', async () => {
    const c = await submit();
    await linkFor(c.filingId);
    await api.settled();
    expect((await api.withdraw(c.filingId, c.receiptToken)).status).toBe(200);
    await eventually(async () => (await execution(c.filingId))?.status === 'SUCCEEDED');
    const exec = await execution(c.filingId);
    expect(exec?.events.some((e) => e.type === 'StateEntered' && e.state === 'Withdrawn')).toBe(true);
  });
});

describe('durability', () => {
  it('a review pending across a restart of the local runtime completes afterwards, once', async () => {
    const first = await startRuntime();
    const driver = apiDriver(first);
    const res = await driver.submit('liaoning-cso', validFiling({ n: n++ }));
    const c = res.body as unknown as Created;
    const previousApi = api;
    api = driver;
    const link = await linkFor(c.filingId);
    await driver.settled();
    api = previousApi;
    await first.stop({ keepData: true });

    const second = await startRuntime({}, first.localDir);
    try {
      const again = apiDriver(second);
      // The link emailed before the restart still works on the new process.
      const decided = await again.decide(`${second.baseUrl}${new URL(link).pathname}`, {
        decision: 'approve',
      });
      expect(decided.status).toBe(200);
      const status = async () => String((await again.status(c.filingId, c.receiptToken)).body.status);
      await eventually(async () => (await status()) === 'province_review');
      const history = (await again.status(c.filingId, c.receiptToken)).body.history as { action: string }[];
      expect(history.filter((h) => h.action === 'approve')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});

describe('refusals and faults', () => {
  it('a city link acts only for its own unit', async () => {
    const c = await submit('210700');
    const link = await linkFor(c.filingId);
    await api.settled();
    // The same link's record, re-bound to another unit, as a forged or misrouted link would be.
    const items = await api.tableItems();
    const item = items.find(
      (i) => i.type === 'ReviewLink' && (i.target as { filingId?: string }).filingId === c.filingId,
    );
    expect(item).toBeDefined();
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { createDocumentClient } = await import('#shared/data/client.ts');
    const doc = createDocumentClient(
      new DynamoDBClient({
        endpoint: runtime.dynamodbEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: runtime.tableName,
        Item: { ...item, reviewer: { ...(item?.reviewer as object), unit: '210800' } },
      }),
    );
    expect((await api.reviewPage(link)).status).toBe(404);
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(404);
    expect(await statusOf(c)).toBe('city_review');
  });
});

describe('a handler that keeps failing', () => {
  it('is retried, then recorded on the filing and alerted; the filing is not left stuck', async () => {
    const faulty = await startRuntime({ LOCAL_FAULTS: 'WorkflowStep:applyDecision=99' });
    const driver = apiDriver(faulty);
    try {
      const res = await driver.submit('liaoning-cso', validFiling({ n: n++ }));
      const c = res.body as unknown as Created;
      const previous = api;
      api = driver;
      try {
        const link = await linkFor(c.filingId);
        expect((await driver.decide(link, { decision: 'approve' })).status).toBe(200);
        const exec = async () => (await driver.executions()).find((e) => e.name === c.filingId);
        await eventually(async () => (await exec())?.status === 'FAILED', 40_000);
        const faults = (await (await fetch(`${faulty.baseUrl}/_local/faults.json`)).json()) as Record<
          string,
          number
        >;
        expect(faults['WorkflowStep:applyDecision']).toBe(4); // the first try and 3 retries
        expect(await driver.repository().failures(c.filingId)).toEqual([
          expect.objectContaining({ error: 'InjectedFault', stage: 'city' }),
        ]);
        await driver.waitForMail('failure_alert');
        // Still in city review, recorded and alerted: staff can act on it; nothing was half-done.
        expect(String((await driver.status(c.filingId, c.receiptToken)).body.status)).toBe('city_review');
      } finally {
        api = previous;
      }
    } finally {
      await faulty.stop();
    }
  });
});
