// Handlers that throw in the middle of a workflow step, through the real local runtime: the
// local engine's fault hook (LOCAL_FAULTS, infra/local/sfn/local-workflows.ts) makes the first
// N invocations of a function and step fail as a crashed handler would, and counts them at
// /_local/faults.json. A step that fails for good is retried as its Retry says, then the
// failure is recorded on the filing and alerted (outbox and error log), and the filing can
// still be moved; a step that fails a few times is retried and the filing goes on as if
// nothing happened, each transition applied once.
//
// The faults are counted per function and step across the whole runtime, so the tests run in
// order and each one spends the faults it expects (checked against /_local/faults.json):
// StartReview 4 (the first filing), openReview 1 (the next one), applyDecision 4 then 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Created,
  eventually,
  linkFor,
  staffHeader,
  transitions,
} from '../support/concurrency-review.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { type ApiDriver, apiDriver, type OutboxItem } from './driver.ts';

const LIAONING = 'liaoning-cso';
const ALERT_TO = 'ops@local.test';

let runtime: Runtime;
let api: ApiDriver;
let auditor: { authorization: string };

beforeAll(async () => {
  runtime = await startRuntime({
    LOCAL_FAULTS: 'WorkflowStep:startReview=4,WorkflowWait:openReview=1,WorkflowStep:applyDecision=6',
  });
  api = apiDriver(runtime);
  auditor = await staffHeader(runtime, [{ role: 'auditor', programId: LIAONING }], 'auditor-faults');
});

afterAll(async () => {
  await runtime?.stop();
});

type Execution = Awaited<ReturnType<ApiDriver['executions']>>[number];

async function faults(): Promise<Record<string, number>> {
  return (await (await fetch(`${runtime.baseUrl}/_local/faults.json`)).json()) as Record<string, number>;
}

async function execution(filingId: string): Promise<Execution | undefined> {
  return (await api.executions()).find((e) => e.name === filingId);
}

/** What the engine recorded of one state: how often it failed, was retried and was caught. */
function attempts(exec: Execution | undefined, state: string) {
  const events = (exec?.events ?? []).filter((e) => e.state === state);
  return {
    failed: events.filter((e) => e.type === 'StateFailed').length,
    retried: events.filter((e) => e.type === 'StateRetried').length,
    caught: events.filter((e) => e.type === 'StateCaught').length,
  };
}

async function submitted(filing: object): Promise<Created> {
  const res = await api.submit(LIAONING, filing);
  expect(res.status, res.text).toBe(201);
  return res.body as unknown as Created;
}

const statusOf = async (c: Created) => String((await api.status(c.filingId, c.receiptToken)).body.status);

const alertsFor = async (filingId: string): Promise<OutboxItem[]> =>
  (await api.outbox()).filter((m) => m.kind === 'failure_alert' && m.subject.includes(filingId));

/** The runtime's structured log lines with this message about this filing. */
function logLines(message: string, filingId: string): Record<string, unknown>[] {
  return runtime
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(filingId))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.message === message);
}

/** The operators' alert about a filing: one message, naming the filing and the error, no personal data. */
async function expectOneAlert(filingId: string, state: string, filing: ReturnType<typeof validFiling>) {
  const alerts = await alertsFor(filingId);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]?.to).toEqual([ALERT_TO]);
  const page = await api.call('GET', `/_local/outbox/${alerts[0]?.id}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('InjectedFault');
  expect(page.text).toContain(`（${state}）`);
  for (const secret of [filing.person.idNumber, filing.person.mobile, filing.person.email, '张伟']) {
    expect(page.text).not.toContain(secret);
  }
  expect(logLines('alert: filing workflow failure', filingId)).toEqual([
    expect.objectContaining({ level: 'ERROR', filingId, state, error: 'InjectedFault' }),
  ]);
}

describe('a step that keeps failing', () => {
  it('StartReview: tried 4 times (3 retries), then recorded on the filing and alerted; the applicant can still withdraw', async () => {
    const filing = validFiling({ n: 92_001, unit: '210100' });
    const c = await submitted(filing);
    await eventually(
      'the workflow failed',
      async () => (await execution(c.filingId))?.status === 'FAILED',
      45_000,
    );
    const exec = await execution(c.filingId);
    expect(exec?.error).toBe('FilingWorkflowFailed');
    expect((await faults())['WorkflowStep:startReview']).toBe(4);
    expect(attempts(exec, 'StartReview')).toEqual({ failed: 4, retried: 3, caught: 1 });
    expect(exec?.events.filter((e) => e.type === 'StateEntered').map((e) => e.state)).toEqual([
      'Entry',
      'StartReview',
      'RecordFailure',
      'Failed',
    ]);

    // Recorded on the filing, once, without personal data; alerted once.
    const failures = await api.repository().failures(c.filingId);
    expect(failures).toEqual([expect.objectContaining({ stage: 'city', error: 'InjectedFault' })]);
    expect(JSON.stringify(failures)).not.toContain(filing.person.idNumber);
    await expectOneAlert(c.filingId, 'submitted', filing);
    // Staff see it on the filing's detail, not only operators in their mail.
    const province = await staffHeader(
      runtime,
      [{ role: 'province', programId: LIAONING }],
      'province-faults',
    );
    const detail = await api.call<{ workflowFailures: { stage: string; error: string; cause: string }[] }>(
      'GET',
      `/staff/filings/${c.filingId}`,
      { headers: province },
    );
    expect(detail.status).toBe(200);
    expect(detail.body.workflowFailures).toEqual([
      expect.objectContaining({ stage: 'city', error: 'InjectedFault' }),
    ]);
    expect(JSON.stringify(detail.body.workflowFailures)).not.toContain(filing.person.email);

    // Nothing half-done: the filing is as submitted, no review was opened, no link went out.
    expect(await statusOf(c)).toBe('submitted');
    const items = await api.tableItems();
    expect(items.filter((i) => i.pk === `FILING#${c.filingId}` && i.type === 'ReviewTask')).toEqual([]);
    expect(items.filter((i) => (i.target as { filingId?: string })?.filingId === c.filingId)).toEqual([]);

    // And it is not stuck: the applicant withdraws it (a final state), which the audit trail shows.
    const withdrawn = await api.withdraw(c.filingId, c.receiptToken);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await transitions(api, c.filingId, auditor)).map((l) => l.what)).toEqual(['submit', 'withdraw']);
  });

  it('CityReview: a handler that throws once while opening the review (a mail relay’s hiccup) is retried, and the reviewer gets the link', async () => {
    const filing = validFiling({ n: 92_002, unit: '210200' });
    const c = await submitted(filing);
    await api.settled(30_000);
    expect((await faults())['WorkflowWait:openReview']).toBe(1);
    const exec = await execution(c.filingId);
    // One transient failure of the step that mails the reviewers must not end the review.
    expect({
      status: exec?.status,
      cityReview: attempts(exec, 'CityReview'),
      failures: await api.repository().failures(c.filingId),
      alerts: (await alertsFor(c.filingId)).length,
    }).toEqual({
      status: 'RUNNING',
      cityReview: { failed: 1, retried: 1, caught: 0 },
      failures: [],
      alerts: 0,
    });
    expect((await api.reviewPage(await linkFor(api, c.filingId))).status).toBe(200);
    // (Ended by a withdrawal, not a decision: the applyDecision faults are for the next tests.)
    expect((await api.withdraw(c.filingId, c.receiptToken)).status).toBe(200);
    await eventually('the workflow ended', async () => (await execution(c.filingId))?.status === 'SUCCEEDED');
  });

  it('ApplyCityDecision: tried 4 times, then recorded and alerted; the decision is not half-applied and the filing can still be withdrawn', async () => {
    const filing = validFiling({ n: 92_003, unit: '210300' });
    const c = await submitted(filing);
    const link = await linkFor(api, c.filingId);
    await api.settled();
    const spent = (await faults())['WorkflowStep:applyDecision'] ?? 0;
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(200);
    await eventually(
      'the workflow failed',
      async () => (await execution(c.filingId))?.status === 'FAILED',
      45_000,
    );
    const exec = await execution(c.filingId);
    expect(exec?.error).toBe('FilingWorkflowFailed');
    expect((await faults())['WorkflowStep:applyDecision']).toBe(spent + 4);
    expect(attempts(exec, 'ApplyCityDecision')).toEqual({ failed: 4, retried: 3, caught: 1 });

    expect(await api.repository().failures(c.filingId)).toEqual([
      expect.objectContaining({ stage: 'city', error: 'InjectedFault' }),
    ]);
    await expectOneAlert(c.filingId, 'city_review', filing);

    // The approval never moved the filing: it is still in city review, no approve in its trail.
    expect(await statusOf(c)).toBe('city_review');
    expect((await transitions(api, c.filingId, auditor)).map((l) => l.what)).toEqual([
      'submit',
      'start_city_review',
    ]);
    // The applicant can still withdraw it, and nothing waits on it afterwards.
    const withdrawn = await api.withdraw(c.filingId, c.receiptToken);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    await api.settled();
    expect((await api.call<unknown[]>('GET', '/_local/tasks.json')).body).toEqual([]);
    expect((await transitions(api, c.filingId, auditor)).map((l) => l.what)).toEqual([
      'submit',
      'start_city_review',
      'withdraw',
    ]);
  });
});

describe('a step that fails a few times', () => {
  it('ApplyCityDecision failing twice is retried: the approval is applied once, nothing recorded or alerted, and the workflow goes on to the pool', async () => {
    const filing = validFiling({ n: 92_004, unit: '210400' });
    const c = await submitted(filing);
    const link = await linkFor(api, c.filingId);
    await api.settled();
    const spent = (await faults())['WorkflowStep:applyDecision'] ?? 0;
    expect(6 - spent).toBe(2); // the faults left for this test
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(200);
    await eventually(
      'the filing is with the province',
      async () => (await statusOf(c)) === 'province_review',
    );
    await api.settled();
    expect((await faults())['WorkflowStep:applyDecision']).toBe(6);
    const exec = await execution(c.filingId);
    expect(exec?.status).toBe('RUNNING');
    expect(attempts(exec, 'ApplyCityDecision')).toEqual({ failed: 2, retried: 2, caught: 0 });
    expect(await api.repository().failures(c.filingId)).toEqual([]);
    expect(await alertsFor(c.filingId)).toEqual([]);
    const detail = await api.call('GET', `/staff/filings/${c.filingId}`, { headers: auditor });
    expect(detail.body.workflowFailures).toEqual([]);

    // The province includes the person through the city's batch: the workflow ends normally.
    const batch = await api.call('POST', `${new URL(link).pathname}/batch`, {
      raw: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(batch.status).toBe(200);
    const batchLink = await linkFor(api, c.filingId, 'province_batch');
    expect((await api.decide(batchLink, { [`decision_${c.filingId}`]: 'include' })).status).toBe(200);
    await eventually('the filing is in the pool', async () => (await statusOf(c)) === 'in_pool');
    await eventually(
      'the workflow succeeded',
      async () => (await execution(c.filingId))?.status === 'SUCCEEDED',
    );
    expect((await transitions(api, c.filingId, auditor)).map((l) => l.what)).toEqual([
      'submit',
      'start_city_review',
      'approve',
      'include',
    ]);
    // One of each: received, the city's approval, the inclusion (none repeated by the faults).
    expect(
      (await api.outbox())
        .filter((m) => m.to.includes(filing.person.email))
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['applicant_city_approved', 'applicant_included', 'applicant_received']);
  });
});
