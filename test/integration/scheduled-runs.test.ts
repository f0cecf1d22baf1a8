// Scheduled jobs run once per period, against DynamoDB Local: the claim store's conditional
// writes (taken, found done, held under a lease, taken over after it, given back), and each
// job run twice for the same period with one effect. The target-report and retention
// handlers run as the schedule invokes them (the report queued as mail in the table); the
// weekly batches and the annual-return start run their use cases with the real stores and
// sendBatch, recording the mail and the executions started.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { JOB_LEASE_SECONDS, jobClaimKey } from '#shared/data/job-claim-item.ts';
import { createJobClaimStore } from '#shared/data/job-claim-store.ts';
import { type MailItem, messageOf } from '#shared/data/mail-item.ts';
import { createReturnStore } from '#shared/data/return-store.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import { getProgram, PROGRAMS } from '#shared/domain/programs/index.ts';
import { logger } from '#shared/observability/logger.ts';
import type { JobClaims } from '#shared/ports/job-claims.ts';
import type { BatchNotice, Notifier } from '#shared/ports/notifier.ts';
import type { Decision } from '#shared/ports/reviews.ts';
import type { TaskCallbacks } from '#shared/ports/workflow.ts';
import { sendWeeklyBatches, startScheduledReturns } from '#shared/use-cases/scheduled-jobs.ts';
import { scheduledRun } from '#shared/use-cases/scheduled-runs.ts';
import { sendBatch } from '#shared/use-cases/workflow/review.ts';
import { type WorkflowDeps, workflowSteps } from '#shared/use-cases/workflow/steps.ts';
import { initialState } from '#workflows/filing-state.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const program = getProgram('liaoning-cso');
// Real time in whole seconds: link items' TTLs must lie in the future.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const LEASE_MS = JOB_LEASE_SECONDS * 1000;

let env: Env;
let claims: JobClaims;
beforeAll(async () => {
  env = await freshTable();
  claims = createJobClaimStore(env.doc, env.tableName);
});

describe('the claim store', () => {
  const key = { job: 'DailyRetention', period: '2026-12-07' };

  it('takes a period once; a second claim finds it held, then done', async () => {
    expect(await claims.claim(key, 'run-1', NOW)).toEqual({
      status: 'claimed',
      runId: 'run-1',
      takenOver: false,
    });
    expect(await claims.claim(key, 'run-2', NOW)).toEqual({
      status: 'running',
      leaseUntil: new Date(NOW.getTime() + LEASE_MS).toISOString(),
    });
    // Only the holder marks it done.
    expect(await claims.complete(key, 'run-2', NOW)).toBe(false);
    expect(await claims.complete(key, 'run-1', NOW)).toBe(true);
    const later = new Date(NOW.getTime() + 10 * LEASE_MS);
    expect(await claims.claim(key, 'run-3', later)).toEqual({ status: 'done', doneAt: NOW.toISOString() });
    const items = (await scanAll(env.doc, env.tableName)).filter((i) => i.pk === 'JOB#DailyRetention');
    expect(items).toEqual([
      expect.objectContaining({
        ...jobClaimKey(key.job, key.period),
        type: 'JobClaim',
        state: 'done',
        runId: 'run-1',
        expiresAt: expect.any(Number),
      }),
    ]);
  });

  it('lets a claimed-but-unfinished period be taken over only after its lease, and only once', async () => {
    const dead = { job: 'WeeklyBatches', period: '2026-W01', part: 'liaoning-cso#210100' };
    await claims.claim(dead, 'died', NOW);
    const justBefore = new Date(NOW.getTime() + LEASE_MS - 1);
    expect((await claims.claim(dead, 'early', justBefore)).status).toBe('running');
    const after = new Date(NOW.getTime() + LEASE_MS + 1);
    expect(await claims.claim(dead, 'heir', after)).toEqual({
      status: 'claimed',
      runId: 'heir',
      takenOver: true,
    });
    // Two runs past the lease at once: one takes it over, the other finds it held.
    expect((await claims.claim(dead, 'second-heir', after)).status).toBe('running');
    // The run that died, finishing late, cannot mark it done; the heir can.
    expect(await claims.complete(dead, 'died', after)).toBe(false);
    expect(await claims.complete(dead, 'heir', after)).toBe(true);
  });

  it('gives a failed run’s claim back (the holder’s only), so a re-run starts at once', async () => {
    const failed = { job: 'MonthlyTargetReport', period: '2026-12', part: 'liaoning-cso' };
    await claims.claim(failed, 'failing', NOW);
    await claims.release(failed, 'someone-else');
    expect((await claims.claim(failed, 'rerun', NOW)).status).toBe('running');
    await claims.release(failed, 'failing');
    expect((await claims.claim(failed, 'rerun', NOW)).status).toBe('claimed');
  });
});

describe('the scheduled handlers, run twice for the same period', () => {
  const outbox = mkdtempSync(join(tmpdir(), 'sso-scheduled-outbox-'));
  let table: Env;
  /** The messages of a kind queued in the table (the mailer function sends them from the stream). */
  const queuedMails = async (kind: string) =>
    (await scanAll(table.doc, table.tableName))
      .filter((i) => i.type === 'Mail' && i.kind === kind)
      .map((i) => messageOf(i as unknown as MailItem))
      .filter((m) => m !== undefined);

  beforeAll(async () => {
    table = await freshTable();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', inject('dynamodbEndpoint'));
    vi.stubEnv('AWS_ENDPOINT_URL_S3', inject('s3Endpoint'));
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('ATTACHMENTS_BUCKET', inject('attachmentsBucket'));
    // The run's one local bucket holds the reports too (under reports/).
    vi.stubEnv('REPORTS_BUCKET', inject('attachmentsBucket'));
    vi.stubEnv('MAIL_TRANSPORT', 'outbox');
    vi.stubEnv('MAIL_FROM', '测试 <noreply@example.cn>');
    vi.stubEnv('OUTBOX_DIR', outbox);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('mails each programme’s monthly report once: a redelivered event the next day mails nothing', async () => {
    const { handler } = await import('#functions/schedules/target-report.ts');
    const event = { job: 'MonthlyTargetReport', scheduledTime: '2026-12-01T00:00:00Z' };
    const first = await handler(event);
    expect(first.period).toBe('2026-12');
    expect(first.reports.map((r) => r.status)).toEqual(PROGRAMS.map(() => 'delivered'));
    const second = await handler(event);
    expect(second.reports.map((r) => r.status)).toEqual(PROGRAMS.map(() => 'done'));
    // Queued in the table for the mailer function (the stream sends them): one per programme.
    const mails = await queuedMails('target_report');
    expect(mails).toHaveLength(PROGRAMS.length);
    for (const mail of mails) expect(mail.subject).toContain('截至 2026-12-01');
    // The year-end report of the same day is its own job.
    await handler({ job: 'YearEndTargetReport', scheduledTime: '2026-12-01T00:00:00Z' });
    await handler({ job: 'YearEndTargetReport', scheduledTime: '2026-12-01T00:00:00Z' });
    expect(await queuedMails('target_report')).toHaveLength(2 * PROGRAMS.length);
  });

  it('purges once a day: the second run for the day does nothing and logs no second purge', async () => {
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const { handler } = await import('#functions/schedules/retention.ts');
    const event = { job: 'DailyRetention', scheduledTime: '2026-12-06T19:30:00Z' };
    const first = await handler(event);
    expect(first).toMatchObject({ period: '2026-12-07', examined: 0, failed: 0 });
    expect(await handler(event)).toEqual({ period: '2026-12-07', skipped: 'done' });
    expect(info.mock.calls.filter(([message]) => message === 'retention purge done')).toHaveLength(1);
    info.mockRestore();
  });
});

class RecordingNotifier implements Notifier {
  readonly batches: BatchNotice[] = [];
  async review() {}
  async applicant() {}
  async batch(notice: BatchNotice) {
    this.batches.push(notice);
  }
  async failure() {}
}

const noTasks: TaskCallbacks = { succeed: async () => undefined, fail: async () => undefined };

describe('the weekly batches, run twice in a week', () => {
  it('send each unit’s batch once, even when another filing reached the province in between', async () => {
    const notifier = new RecordingNotifier();
    const deps: WorkflowDeps = {
      repo: env.repo,
      reviews: createReviewStore(env.doc, env.tableName),
      notifier,
      tasks: noTasks,
      apiBaseUrl: 'https://api.example.cn',
      siteBaseUrl: 'https://site.example.cn',
      statusLink: async (filingId) => `https://site.example.cn/status.html#f=${filingId}`,
      now: () => NOW,
    };
    const steps = workflowSteps(deps);
    let n = 640_000;
    const unit = '210200';
    /** A filing the city approved, waiting for the province's batch. */
    const atProvince = async () => {
      const filingId = newFilingId();
      const k = n++;
      await env.repo.create({
        filingId,
        programId: program.id,
        filing: parseFiling(validFiling({ n: k, unit })),
        warnings: [],
        actor: { role: 'applicant' },
        at: NOW.toISOString(),
      });
      const city = await steps.startReview(initialState(filingId, program.id));
      await steps.openReview(city, `sfn-city-${filingId}`);
      const approve: Decision = {
        decision: 'approve',
        actor: { role: 'city', id: 'review-210200@liaoning-cso.example.cn', unit },
        at: NOW.toISOString(),
      };
      const province = await steps.applyDecision({ ...city, decision: approve });
      await steps.awaitProvince(province, `sfn-province-${filingId}`);
      return filingId;
    };
    const first = await atProvince();
    const run = scheduledRun(
      { job: 'WeeklyBatches', scheduledTime: '2026-12-07T01:00:00Z' },
      ['WeeklyBatches'],
      NOW,
    );
    const batchDeps = {
      claims,
      now: () => NOW,
      sendBatch: (programId: string, u: string) => sendBatch(deps, programId, u),
    };
    const once = await sendWeeklyBatches(batchDeps, run, [program]);
    expect(once).toMatchObject({ batches: 1, filings: 1, skipped: 0 });
    expect(notifier.batches.map((b) => b.records.map((r) => r.filingId))).toEqual([[first]]);
    // Approved after the week's batch: it waits for next week's, not a second one this week.
    const late = await atProvince();
    const twice = await sendWeeklyBatches(batchDeps, run, [program]);
    expect(twice).toEqual({ batches: 0, filings: 0, skipped: program.reportingUnits.length });
    expect(notifier.batches).toHaveLength(1);
    const nextWeek = scheduledRun({ scheduledTime: '2026-12-14T01:00:00Z' }, ['WeeklyBatches'], NOW);
    expect(await sendWeeklyBatches(batchDeps, nextWeek, [program])).toMatchObject({ batches: 1, filings: 1 });
    expect(notifier.batches.at(-1)?.records.map((r) => r.filingId)).toEqual([late]);
  });
});

describe('the scheduled start of the annual return, run twice for its day', () => {
  it('starts the programmes opening on the scheduled day once', async () => {
    const started: string[] = [];
    const deps = {
      claims,
      store: createReturnStore(env.doc, env.tableName),
      starter: {
        startProgram: async (programId: string, year: string) => {
          started.push(`${programId}/${year}`);
          return { execution: `${programId}-${year}`, alreadyStarted: false };
        },
      },
      now: () => NOW,
    };
    const { month, day } = program.assessment.opensOn;
    // 08:00 Beijing on the programme's day; redelivered at noon the day after.
    const scheduledTime = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00Z`;
    const run = scheduledRun({ job: 'AnnualReturnStart', scheduledTime }, ['AnnualReturnStart'], NOW);
    const first = await startScheduledReturns(deps, run, [program]);
    expect(first.started).toEqual([
      expect.objectContaining({ programId: program.id, year: '2026', status: 'started' }),
    ]);
    expect(await startScheduledReturns(deps, run, [program])).toEqual({ started: [], skipped: 'done' });
    expect(started).toEqual([`${program.id}/2026`]);
  });
});
