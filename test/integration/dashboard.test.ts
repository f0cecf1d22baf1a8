// The dashboard's reads against DynamoDB Local: a filing's latest event, its failures against its
// restarts, a unit's province tasks on the awaitingBatch index (all counted without reading the
// table whole), and the dashboard use case wired to the real stores, counting what the
// repository wrote.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCounterReader } from '#shared/data/counter-reader.ts';
import { createDashboardReads } from '#shared/data/dashboard-reads.ts';
import { createPlanStore } from '#shared/data/plan-store.ts';
import { createReturnStore } from '#shared/data/return-store.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { Action, FilingState } from '#shared/domain/lifecycle.ts';
import type { DashboardReads } from '#shared/ports/dashboard.ts';
import { staffDashboard } from '#shared/use-cases/staff/dashboard.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const P = 'liaoning-cso';
const NOW = new Date();
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

let env: Env;
let reads: DashboardReads;
let n = 640_000;
const ids: Record<string, string> = {};

/** A filing of `unit` moved through `steps`, each at its own time. */
async function filing(key: string, unit: string, steps: [Action, FilingState, string][]): Promise<string> {
  n += 1;
  const filingId = newFilingId();
  const region = unit === '210100' ? {} : { region: unit };
  let record = await env.repo.create({
    filingId,
    programId: P,
    filing: parseFiling(validFiling({ n, unit, ...region })),
    warnings: [],
    actor: { role: 'applicant' },
    at: ago(20),
  });
  for (const [action, to, at] of steps) {
    await env.repo.transition({
      filingId,
      expected: { state: record.state, version: record.version },
      action,
      actor: { role: action === 'approve' ? 'city' : 'system', id: 'x' },
      at,
    });
    record = await env.repo.get(filingId);
    expect(record.state).toBe(to);
  }
  ids[key] = filingId;
  return filingId;
}

beforeAll(async () => {
  env = await freshTable();
  reads = createDashboardReads(env.doc, env.tableName);
  await filing('fresh', '210100', [['start_city_review', 'city_review', ago(1)]]);
  await filing('late', '210100', [['start_city_review', 'city_review', ago(5)]]);
  await filing('escalated', '210100', [
    ['start_city_review', 'city_review', ago(15)],
    ['escalate', 'city_review', ago(1)],
  ]);
  for (const key of ['batched', 'waiting']) {
    await filing(key, '210100', [
      ['start_city_review', 'city_review', ago(9)],
      ['approve', 'province_review', ago(8)],
    ]);
  }
  await filing('dalian', '210200', [['start_city_review', 'city_review', ago(2)]]);
  // Province tasks: one waits for the city's batch, the other was sent in one.
  const reviews = createReviewStore(env.doc, env.tableName);
  for (const key of ['batched', 'waiting']) {
    await reviews.openTask({
      filingId: ids[key] ?? '',
      programId: P,
      unit: '210100',
      stage: 'province',
      seq: 'province#0',
      taskToken: `t-${key}`,
      escalated: false,
      deadline: ago(-10),
    });
  }
  await reviews.createBatch({
    batchId: 'b-1',
    programId: P,
    unit: '210100',
    filingIds: [ids.batched ?? ''],
    createdAt: ago(7),
  });
  // The Dalian review failed twice and was restarted once; the late Shenyang one failed and was restarted.
  const failure = (at: string) => ({ at, stage: 'city', error: 'States.TaskFailed', cause: 'test' });
  await env.repo.recordFailure(ids.dalian ?? '', failure(ago(2)));
  await env.repo.recordFailure(ids.dalian ?? '', failure(ago(1)));
  await env.repo.recordFailure(ids.late ?? '', failure(ago(3)));
  const resume = (filingId: string, failureAt: string) =>
    env.repo.recordResume(
      filingId,
      { n: 1, at: ago(1), failureAt, executionName: `${filingId}-r1`, input: '{}', subject: 'p' },
      {
        at: ago(1),
        filingId,
        programId: P,
        unit: filingId === ids.dalian ? '210200' : '210100',
        subject: 'p',
        role: 'province',
        what: 'resume',
        reason: '恢复审核（测试）',
      },
    );
  await resume(ids.dalian ?? '', ago(2));
  await resume(ids.late ?? '', ago(3));
});

describe('dashboard reads', () => {
  it('reads a filing’s latest event: its state, the action and when', async () => {
    expect(await reads.latestEvent(ids.escalated ?? '')).toEqual({
      state: 'city_review',
      action: 'escalate',
      at: ago(1),
    });
    expect(await reads.latestEvent(ids.waiting ?? '')).toMatchObject({
      state: 'province_review',
      action: 'approve',
    });
    expect(await reads.latestEvent('no-such-filing')).toBeUndefined();
  });

  it('counts failures and restarts of a filing', async () => {
    expect(await reads.failureCounts(ids.dalian ?? '')).toEqual({ failures: 2, resumes: 1 });
    expect(await reads.failureCounts(ids.late ?? '')).toEqual({ failures: 1, resumes: 1 });
    expect(await reads.failureCounts(ids.fresh ?? '')).toEqual({ failures: 0, resumes: 0 });
  });

  it('counts a unit’s province tasks not yet in a batch', async () => {
    expect(await reads.awaitingBatch(P, '210100')).toBe(1);
    expect(await reads.awaitingBatch(P, '210200')).toBe(0);
  });
});

describe('the dashboard on the real stores', () => {
  it('counts each unit’s work waiting from the counters, the indexes and the open filings', async () => {
    const deps = {
      counters: createCounterReader({ doc: env.doc, tableName: env.tableName }),
      plans: createPlanStore({ doc: env.doc, tableName: env.tableName }),
      queries: createStaffQueries(env.doc, env.tableName),
      reads,
      returns: createReturnStore(env.doc, env.tableName),
      now: () => NOW,
    };
    const d = await staffDashboard(
      deps,
      { subject: 'p', scopes: [{ role: 'province', programId: P }] },
      { programId: P },
    );
    expect(d.units.find((u) => u.unit === '210100')).toMatchObject({
      complete: true,
      waiting: {
        cityReview: 3,
        pastReminder: 2,
        escalated: 1,
        provinceReview: 2,
        awaitingBatch: 1,
        inBatch: 1,
        failed: 0,
        returnsNotReceived: null,
      },
    });
    expect(d.units.find((u) => u.unit === '210200')?.waiting).toMatchObject({
      cityReview: 1,
      pastReminder: 0,
      failed: 1,
    });
    const city = await staffDashboard(
      deps,
      { subject: 'c', scopes: [{ role: 'city', programId: P, unit: '210200' }] },
      { programId: P },
    );
    expect(city.units.map((u) => u.unit)).toEqual(['210200']);
    expect(city.totals).toMatchObject({ cityReview: 1, failed: 1 });
  });
});
