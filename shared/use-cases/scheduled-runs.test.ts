import { describe, expect, it, vi } from 'vitest';
import { SCHEDULES } from '#workflows/functions.ts';
import { JOB_LEASE_SECONDS } from '../data/job-claim-item.ts';
import { ValidationError } from '../domain/errors.ts';
import { getProgram } from '../domain/programs/index.ts';
import { logger } from '../observability/logger.ts';
import type { ClaimOutcome, JobClaimKey, JobClaims } from '../ports/job-claims.ts';
import type { MailMessage } from '../ports/mailer.ts';
import { deliverScheduledReports } from './report-delivery.ts';
import { sendWeeklyBatches } from './scheduled-jobs.ts';
import { JOB_CADENCE, once, periodOf, type ScheduledRunDeps, scheduledRun } from './scheduled-runs.ts';

/** The claims as the table keeps them (shared/data/job-claim-store.ts), in memory. */
class MemoryClaims implements JobClaims {
  readonly items = new Map<
    string,
    { state: 'claimed' | 'done'; runId: string; leaseUntil: number; doneAt?: string }
  >();
  private id = (k: JobClaimKey) => `${k.job}|${k.period}|${k.part ?? ''}`;
  async claim(key: JobClaimKey, runId: string, at: Date): Promise<ClaimOutcome> {
    const held = this.items.get(this.id(key));
    if (held?.state === 'done') return { status: 'done', doneAt: held.doneAt ?? '' };
    if (held && held.leaseUntil >= at.getTime()) {
      return { status: 'running', leaseUntil: new Date(held.leaseUntil).toISOString() };
    }
    this.items.set(this.id(key), {
      state: 'claimed',
      runId,
      leaseUntil: at.getTime() + JOB_LEASE_SECONDS * 1000,
    });
    return { status: 'claimed', runId, takenOver: held !== undefined };
  }
  async complete(key: JobClaimKey, runId: string, at: Date) {
    const held = this.items.get(this.id(key));
    if (held?.state !== 'claimed' || held.runId !== runId) return false;
    this.items.set(this.id(key), { ...held, state: 'done', doneAt: at.toISOString() });
    return true;
  }
  async release(key: JobClaimKey, runId: string) {
    const held = this.items.get(this.id(key));
    if (held?.state === 'claimed' && held.runId === runId) this.items.delete(this.id(key));
  }
}

function clockDeps(start = '2026-12-07T01:00:00Z') {
  let now = new Date(start);
  let runs = 0;
  const deps: ScheduledRunDeps & { claims: MemoryClaims } = {
    claims: new MemoryClaims(),
    now: () => now,
    runId: () => `run-${++runs}`,
  };
  return { deps, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const KEY = { job: 'DailyRetention', period: '2026-12-07' };

describe('periodOf', () => {
  it('takes the day, ISO week, month and year in Asia/Shanghai, not UTC', () => {
    // 2026-12-31 20:00 in Shanghai is 12:00 UTC; 2027-01-01 01:00 in Shanghai is still 2026 in UTC.
    expect(periodOf('year', new Date('2026-12-31T17:00:00Z'))).toBe('2027');
    expect(periodOf('month', new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(periodOf('day', new Date('2026-12-06T19:30:00Z'))).toBe('2026-12-07');
    // Monday 2026-12-07 09:00 Shanghai (01:00 UTC); the Sunday before is the week before.
    expect(periodOf('week', new Date('2026-12-07T01:00:00Z'))).toBe('2026-W50');
    expect(periodOf('week', new Date('2026-12-13T15:59:59Z'))).toBe('2026-W50');
    expect(periodOf('week', new Date('2026-12-06T15:59:59Z'))).toBe('2026-W49');
    // ISO years: 2027-01-01 (a Friday) is in 2026's week 53; 2024-12-30 (a Monday) in 2025's week 1.
    expect(periodOf('week', new Date('2027-01-01T04:00:00Z'))).toBe('2026-W53');
    expect(periodOf('week', new Date('2024-12-30T04:00:00Z'))).toBe('2025-W01');
  });

  it('knows the cadence of every scheduled job', () => {
    for (const schedule of SCHEDULES) expect(JOB_CADENCE, schedule.id).toHaveProperty(schedule.id);
    expect(Object.keys(JOB_CADENCE).sort()).toEqual(SCHEDULES.map((s) => s.id).sort());
  });
});

describe('scheduledRun', () => {
  const now = new Date('2026-12-08T03:00:00Z');

  it('takes the job and the period from the schedule’s event, not from the clock', () => {
    const run = scheduledRun(
      { job: 'YearEndTargetReport', scheduledTime: '2026-12-31T12:00:00Z' },
      ['MonthlyTargetReport', 'YearEndTargetReport'],
      new Date('2027-01-01T02:00:00Z'),
    );
    expect(run).toEqual({
      job: 'YearEndTargetReport',
      scheduledAt: new Date('2026-12-31T12:00:00Z'),
      period: '2026',
    });
  });

  it('reads a scheduled time with an offset as the same instant', () => {
    const run = scheduledRun({ scheduledTime: '2026-12-07T09:00:00+08:00' }, ['WeeklyBatches'], now);
    expect(run.scheduledAt).toEqual(new Date('2026-12-07T01:00:00Z'));
    expect(run.period).toBe('2026-W50');
  });

  it('treats an invocation without an event as the handler’s first job, now', () => {
    expect(scheduledRun(undefined, ['WeeklyBatches'], now)).toEqual({
      job: 'WeeklyBatches',
      scheduledAt: now,
      period: '2026-W50',
    });
  });

  it('takes a period named on purpose, as-is', () => {
    expect(scheduledRun({ period: '2026-12-resend' }, ['MonthlyTargetReport'], now).period).toBe(
      '2026-12-resend',
    );
  });

  it('refuses another function’s job, a malformed time and a malformed period, naming the field', () => {
    const issue = (event: unknown) => {
      try {
        scheduledRun(event, ['MonthlyTargetReport', 'YearEndTargetReport'], now);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues[0]?.path;
      }
      return 'accepted';
    };
    expect(issue({ job: 'WeeklyBatches' })).toBe('job');
    expect(issue({ scheduledTime: '2026-12-01 08:00' })).toBe('scheduledTime');
    expect(issue({ scheduledTime: '2026-12-01T08:00:00' })).toBe('scheduledTime');
    expect(issue({ scheduledTime: '2026-13-45T00:00:00Z' })).toBe('scheduledTime');
    expect(issue({ period: 'a/b' })).toBe('period');
    expect(issue({ period: '' })).toBe('period');
  });
});

describe('once', () => {
  it('does the work once for a period: a second run finds it done and does nothing', async () => {
    const { deps } = clockDeps();
    const work = vi.fn(async () => 'sent');
    expect(await once(deps, KEY, work)).toEqual({ ran: true, result: 'sent', takenOver: false });
    expect(await once(deps, KEY, work)).toEqual({ ran: false, status: 'done' });
    expect(work).toHaveBeenCalledTimes(1);
    // Another period, or another part of the same one, is its own.
    expect((await once(deps, { ...KEY, period: '2026-12-08' }, work)).ran).toBe(true);
    expect((await once(deps, { ...KEY, part: 'liaoning-cso' }, work)).ran).toBe(true);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('leaves a period another run holds to it while its lease lasts, and takes it over after', async () => {
    const { deps, advance } = clockDeps();
    // A run that died after its claim (a timeout): claimed, never done, never given back.
    await deps.claims.claim(KEY, 'dead-run', deps.now());
    const work = vi.fn(async () => 'sent');
    expect(await once(deps, KEY, work)).toEqual({ ran: false, status: 'running' });
    advance(JOB_LEASE_SECONDS * 1000 - 1);
    expect(await once(deps, KEY, work)).toEqual({ ran: false, status: 'running' });
    expect(work).not.toHaveBeenCalled();
    advance(2);
    expect(await once(deps, KEY, work)).toEqual({ ran: true, result: 'sent', takenOver: true });
    expect(await once(deps, KEY, work)).toEqual({ ran: false, status: 'done' });
    expect(work).toHaveBeenCalledTimes(1);
    // The dead run, were it to finish late, could not mark the period as its own.
    expect(await deps.claims.complete(KEY, 'dead-run', deps.now())).toBe(false);
  });

  it('gives the claim back when the work fails, so a re-run need not wait for the lease', async () => {
    const { deps } = clockDeps();
    const failure = new Error('relay refused');
    await expect(once(deps, KEY, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(deps.claims.items.size).toBe(0);
    expect(await once(deps, KEY, async () => 'sent')).toMatchObject({ ran: true, result: 'sent' });
  });

  it('says so when the work ended after its claim was taken over', async () => {
    const { deps, advance } = clockDeps();
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const outcome = await once(deps, KEY, async () => {
      // Runs past its lease; another run takes the period over meanwhile.
      advance(JOB_LEASE_SECONDS * 1000 + 1);
      await deps.claims.claim(KEY, 'other-run', deps.now());
      return 'sent';
    });
    expect(outcome.ran).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      'scheduled run finished after its claim was taken over',
      expect.objectContaining(KEY),
    );
    warn.mockRestore();
  });
});

describe('sendWeeklyBatches', () => {
  const run = scheduledRun({ scheduledTime: '2026-12-07T01:00:00Z' }, ['WeeklyBatches'], new Date());
  const program = getProgram('liaoning-cso');

  it('sends each unit’s batch once a week, and after a failure only the units not done', async () => {
    const { deps } = clockDeps();
    const sent: string[] = [];
    const failing = new Set([program.reportingUnits[1]?.code]);
    const sendBatch = async (programId: string, unit: string) => {
      if (failing.has(unit)) throw new Error('mail relay down');
      sent.push(unit);
      return { batchId: `B-${unit}`, programId, unit, filingIds: ['F1', 'F2'], createdAt: '' };
    };
    await expect(sendWeeklyBatches({ ...deps, sendBatch }, run, [program])).rejects.toThrow(
      'mail relay down',
    );
    const units = program.reportingUnits.length;
    expect(sent).toHaveLength(units - 1);
    failing.clear();
    const again = await sendWeeklyBatches({ ...deps, sendBatch }, run, [program]);
    expect(again).toEqual({ batches: 1, filings: 2, skipped: units - 1 });
    expect(await sendWeeklyBatches({ ...deps, sendBatch }, run, [program])).toEqual({
      batches: 0,
      filings: 0,
      skipped: units,
    });
    expect([...sent].sort()).toEqual(program.reportingUnits.map((u) => u.code).sort());
  });
});

describe('deliverScheduledReports', () => {
  it('mails each programme’s report once per job and period, as of the scheduled day', async () => {
    const { deps } = clockDeps('2026-12-02T06:00:00Z');
    const sent: MailMessage[] = [];
    const report = {
      ...deps,
      counters: { countersUpTo: async () => [] },
      store: { put: async () => undefined },
      mailer: {
        send: async (m: MailMessage) => {
          sent.push(m);
          return { messageId: String(sent.length) };
        },
      },
    };
    const program = getProgram('liaoning-cso');
    // Redelivered the next day: still the report of the 1st, for December.
    const run = scheduledRun(
      { job: 'MonthlyTargetReport', scheduledTime: '2026-12-01T00:00:00Z' },
      ['MonthlyTargetReport'],
      deps.now(),
    );
    expect(await deliverScheduledReports(report, run, [program])).toEqual([
      { programId: program.id, asOf: '2026-12-01', status: 'delivered', poolSize: 0 },
    ]);
    expect(await deliverScheduledReports(report, run, [program])).toEqual([
      { programId: program.id, asOf: '2026-12-01', status: 'done' },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toContain('2026-12-01');
    // The year-end report is another job: its own period, its own mail.
    const yearEnd = scheduledRun(
      { job: 'YearEndTargetReport', scheduledTime: '2026-12-01T00:00:00Z' },
      ['YearEndTargetReport'],
      deps.now(),
    );
    await deliverScheduledReports(report, yearEnd, [program]);
    expect(sent).toHaveLength(2);
  });
});
