// Province staff restart a review whose workflow failed for good, through the real local
// runtime and the real ASL. LOCAL_FAULTS makes the city decision's step fail four times (the
// first workflow fails after it was recorded but before it was applied) and then the province
// wait's step four times (the restarted workflow fails again, now at the province). Each
// restart is one execution `<filingId>-r<n>`, entered at the wait of the filing's stage; the
// decision recorded before the failure is applied once, nobody is mailed twice, old links stay
// spent, and the filing ends in the pool. Who may restart, and when, is checked on the way.
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
import { type ApiDriver, apiDriver } from './driver.ts';

const LIAONING = 'liaoning-cso';
const REASON = '邮件服务已恢复，重新审核 mail relay fixed';

let runtime: Runtime;
let api: ApiDriver;
let province: { authorization: string };
let auditor: { authorization: string };
let city: { authorization: string };

beforeAll(async () => {
  runtime = await startRuntime({
    LOCAL_FAULTS: 'WorkflowStep:applyDecision=4,WorkflowWait:awaitProvince=4',
  });
  api = apiDriver(runtime);
  province = await staffHeader(runtime, [{ role: 'province', programId: LIAONING }], 'province-resume');
  auditor = await staffHeader(runtime, [{ role: 'auditor', programId: LIAONING }], 'auditor-resume');
  city = await staffHeader(runtime, [{ role: 'city', programId: LIAONING, unit: '210100' }], 'city-resume');
});

afterAll(async () => {
  await runtime?.stop();
});

interface ResumeAnswer {
  filingId: string;
  status: 'resumed' | 'already_resumed';
  execution: string;
  stage: string;
  round: number;
}

const resume = (filingId: string, headers: { authorization: string }, body: unknown = { reason: REASON }) =>
  api.call<ResumeAnswer>('POST', `/staff/filings/${filingId}/resume`, { headers, body });

const execution = async (name: string) => (await api.executions()).find((e) => e.name === name);
const entered = (exec: Awaited<ReturnType<typeof execution>>) =>
  (exec?.events ?? []).filter((e) => e.type === 'StateEntered').map((e) => e.state);
const statusOf = async (c: Created) => String((await api.status(c.filingId, c.receiptToken)).body.status);
const errorCode = (body: unknown) => (body as { errors: { code: string; path: string }[] }).errors[0];

describe('restarting a failed review', () => {
  it('restarts at the city decision, then again at the province, and the filing reaches the pool', async () => {
    const filing = validFiling({ n: 94_001, unit: '210100' });
    const submitted = await api.submit(LIAONING, filing);
    expect(submitted.status).toBe(201);
    const c = submitted.body as unknown as Created;

    // Nothing has failed yet: nothing to restart.
    const link = await linkFor(api, c.filingId);
    const early = await resume(c.filingId, province);
    expect(early.status).toBe(409);
    expect(errorCode(early.body)?.code).toBe('no_failed_workflow');

    // The city approves; applying it fails four times: recorded, the filing still in city review.
    expect((await api.decide(link, { decision: 'approve' })).status).toBe(200);
    await eventually(
      'the first workflow failed',
      async () => (await execution(c.filingId))?.status === 'FAILED',
      60_000,
    );
    expect(await statusOf(c)).toBe('city_review');
    expect(await api.repository().failures(c.filingId)).toHaveLength(1);
    const reviewMails = (await api.outbox()).filter((m) => m.kind === 'review_request').length;

    // Only province staff of the programme, with a reason.
    for (const who of [city, auditor]) {
      const refused = await resume(c.filingId, who);
      expect(refused.status).toBe(403);
    }
    const noReason = await resume(c.filingId, province, {});
    expect(noReason.status).toBe(422);
    expect(errorCode(noReason.body)?.path).toBe('reason');
    const unknown = await resume('F0000000000000', province);
    expect(unknown.status).toBe(404);
    expect(
      await api.executions().then((all) => all.filter((e) => e.name.startsWith(c.filingId))),
    ).toHaveLength(1);

    // Two clicks at once: one restart, one execution.
    const [a, b] = await Promise.all([resume(c.filingId, province), resume(c.filingId, province)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect([a.body.status, b.body.status].sort()).toEqual(['already_resumed', 'resumed']);
    expect(a.body).toMatchObject({ execution: `${c.filingId}-r1`, stage: 'city', round: 0 });
    expect(b.body.execution).toBe(a.body.execution);

    // The recorded approval is applied by the restarted workflow, once; the city is not mailed again.
    await eventually(
      'the filing is with the province',
      async () => (await statusOf(c)) === 'province_review',
    );
    expect((await transitions(api, c.filingId, auditor)).map((l) => l.what)).toEqual([
      'submit',
      'start_city_review',
      'approve',
    ]);
    expect((await api.outbox()).filter((m) => m.kind === 'review_request')).toHaveLength(reviewMails);
    // The city's link stays spent.
    expect((await api.decide(link, { decision: 'reject', reason: '改主意了' })).status).toBe(409);

    // The restarted workflow fails in its turn, waiting for the province: recorded again.
    const r1 = `${c.filingId}-r1`;
    await eventually(
      'the restarted workflow failed',
      async () => (await execution(r1))?.status === 'FAILED',
      60_000,
    );
    expect(entered(await execution(r1))).toEqual([
      'Entry',
      'StartReview',
      'CityReview',
      'ApplyCityDecision',
      'CityOutcome',
      'CityApproved',
      'AwaitProvince',
      'RecordFailure',
      'Failed',
    ]);
    expect(await api.repository().failures(c.filingId)).toHaveLength(2);

    // A second restart enters at the province's wait directly.
    const again = await resume(c.filingId, province);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'resumed', execution: `${c.filingId}-r2`, stage: 'province' });
    const r2 = `${c.filingId}-r2`;
    await eventually('the second restart waits for the province', async () =>
      (await api.call<{ filingId: string }[]>('GET', '/_local/tasks.json')).body.some((t) =>
        JSON.stringify(t).includes(r2),
      ),
    );
    // A repeat changes nothing.
    const repeat = await resume(c.filingId, province);
    expect(repeat.body).toMatchObject({ status: 'already_resumed', execution: r2 });

    // The weekly batch takes the filing to the province, which includes the person.
    await api.settled(30_000);
    expect((await api.sendBatches()).status).toBe(200);
    const batchLink = await linkFor(api, c.filingId, 'province_batch');
    expect((await api.decide(batchLink, { [`decision_${c.filingId}`]: 'include' })).status).toBe(200);
    await eventually('the filing is in the pool', async () => (await statusOf(c)) === 'in_pool');
    await eventually(
      'the second restart succeeded',
      async () => (await execution(r2))?.status === 'SUCCEEDED',
    );
    expect(entered(await execution(r2))).toEqual([
      'Entry',
      'AwaitProvince',
      'ApplyProvinceDecision',
      'ProvinceOutcome',
      'Included',
    ]);
    expect(
      (await api.executions())
        .filter((e) => e.name.startsWith(c.filingId))
        .map((e) => e.name)
        .sort(),
    ).toEqual([c.filingId, r1, r2]);

    // The audit log shows each restart with who and why; the transitions happened once each.
    const audit = await api.call<{ lines: { kind: string; what: string; by: string; reason?: string }[] }>(
      'GET',
      `/staff/filings/${c.filingId}/audit`,
      { headers: auditor },
    );
    expect(audit.body.lines.filter((l) => l.what.startsWith('resume:'))).toEqual([
      expect.objectContaining({ kind: 'access', what: `resume:${r1}`, by: 'province', reason: REASON }),
      expect.objectContaining({ kind: 'access', what: `resume:${r2}`, by: 'province', reason: REASON }),
    ]);
    expect(audit.body.lines.filter((l) => l.kind === 'transition').map((l) => l.what)).toEqual([
      'submit',
      'start_city_review',
      'approve',
      'include',
    ]);
    // Each of the applicant's mails once: the restart at the city decision does not repeat the
    // received notice.
    expect(
      (await api.outbox())
        .filter((m) => m.to.includes(filing.person.email))
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['applicant_city_approved', 'applicant_included', 'applicant_received']);

    // Once the filing is in the pool, a repeat still only names the restart that ran.
    const ended = await resume(c.filingId, province);
    expect(ended.body).toMatchObject({ status: 'already_resumed', execution: r2 });
  }, 480_000);

  it('a review that never failed cannot be restarted, also once the filing is withdrawn', async () => {
    const filing = validFiling({ n: 94_002, unit: '210200' });
    const submitted = await api.submit(LIAONING, filing);
    expect(submitted.status).toBe(201);
    const c = submitted.body as unknown as Created;
    await linkFor(api, c.filingId);
    expect((await api.withdraw(c.filingId, c.receiptToken)).status).toBe(200);
    await eventually('the workflow ended', async () => (await execution(c.filingId))?.status === 'SUCCEEDED');
    const res = await resume(c.filingId, province);
    expect(res.status).toBe(409);
    expect(errorCode(res.body)?.code).toBe('no_failed_workflow');
  });
});
