// Scheduled jobs run once per period. EventBridge Scheduler delivers at least once and a job
// may be run again by hand, so each side effect that must happen once (a report mailed, a
// unit's batch sent, the day's returns started, the day's purge) is done under a claim of its
// job, period and part (shared/data/job-claim-item.ts): a second run for the same period
// finds it done and skips it, a run that failed gives its claim back, and one that died is
// taken over once its lease ends. The period is that of the scheduled time (the event's, not
// the clock's), in Asia/Shanghai, so a retry or a late redelivery stays in its own period.
import * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { shanghaiDate } from '../domain/time.ts';
import { logger } from '../observability/logger.ts';
import type { JobClaimKey, JobClaims } from '../ports/job-claims.ts';

/** How often each scheduled job (workflows/functions.ts SCHEDULES) runs: its period. */
export const JOB_CADENCE = {
  WeeklyBatches: 'week',
  AnnualReturnStart: 'day',
  MonthlyTargetReport: 'month',
  YearEndTargetReport: 'year',
  DailyRetention: 'day',
} as const satisfies Record<string, Cadence>;

export type Cadence = 'day' | 'week' | 'month' | 'year';
export type JobId = keyof typeof JOB_CADENCE;

/** The period of an instant, in Asia/Shanghai: `2026-12-07`, `2026-W50` (ISO week), `2026-12`, `2026`. */
export function periodOf(cadence: Cadence, at: Date): string {
  const date = shanghaiDate(at);
  if (cadence === 'day') return date;
  if (cadence === 'month') return date.slice(0, 7);
  if (cadence === 'year') return date.slice(0, 4);
  // ISO 8601 week: the week (Monday to Sunday) belongs to the year of its Thursday.
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * What the schedule sends (infra/constructs/scheduled-jobs.ts): the job and its scheduled time.
 * `period` is never sent by the schedule: an operator names one to run a job again on purpose
 * (a new label, e.g. `2026-12-resend`), as the local runtime's "run now" does.
 */
const ScheduledEvent = z.object({
  job: z.optional(z.string()),
  // As the scheduler writes it (2026-12-07T01:00:00Z); an offset is taken too, for runs by hand.
  scheduledTime: z.optional(
    z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)),
  ),
  period: z.optional(z.string().check(z.regex(/^[\w:.-]{1,64}$/))),
});

export interface ScheduledRun {
  job: JobId;
  scheduledAt: Date;
  period: string;
}

/**
 * The run an invocation asks for. `jobs`: the jobs the handler serves, the first being the one
 * an invocation without a job means (a run by hand); without a scheduled time, it is now.
 */
export function scheduledRun(event: unknown, jobs: readonly [JobId, ...JobId[]], now: Date): ScheduledRun {
  const parsed = ScheduledEvent.safeParse(event ?? {});
  const invalid = (path: string, zh: string, en: string) =>
    new ValidationError([{ path, code: 'invalid', message: { zh, en } }]);
  if (!parsed.success) {
    const path = String(parsed.error.issues[0]?.path[0] ?? 'event');
    throw path === 'period'
      ? invalid(
          'period',
          '期间标签应为 1–64 个字母、数字或 _:.-',
          'period must be 1–64 letters, digits or _:.-',
        )
      : path === 'scheduledTime'
        ? invalid(
            'scheduledTime',
            '计划时间应为带时区的 ISO 8601 时间，如 2026-12-07T01:00:00Z',
            'scheduledTime must be an ISO 8601 time with its zone, e.g. 2026-12-07T01:00:00Z',
          )
        : invalid(path, '计划任务事件格式不正确', 'the scheduled event is malformed');
  }
  const job = (parsed.data.job ?? jobs[0]) as JobId;
  if (!jobs.includes(job)) {
    throw invalid('job', `此函数不运行任务 ${job}`, `this function does not run the job ${job}`);
  }
  const scheduledAt = parsed.data.scheduledTime ? new Date(parsed.data.scheduledTime) : now;
  if (Number.isNaN(scheduledAt.getTime())) {
    throw invalid('scheduledTime', '计划时间无效', 'scheduledTime is not a valid time');
  }
  return { job, scheduledAt, period: parsed.data.period ?? periodOf(JOB_CADENCE[job], scheduledAt) };
}

export interface ScheduledRunDeps {
  claims: JobClaims;
  now: () => Date;
  /** A new run id per claim (tests pass their own). */
  runId?: () => string;
}

export type Once<T> =
  | { ran: true; result: T; takenOver: boolean }
  | { ran: false; status: 'done' | 'running' };

/**
 * Does `work` for a job's period (and part) unless another run did it or is doing it. The claim
 * is marked done after the work; work that throws gives it back and the error goes on.
 */
export async function once<T>(
  deps: ScheduledRunDeps,
  key: JobClaimKey,
  work: () => Promise<T>,
): Promise<Once<T>> {
  const runId = deps.runId?.() ?? crypto.randomUUID();
  const claim = await deps.claims.claim(key, runId, deps.now());
  if (claim.status !== 'claimed') {
    logger.info('scheduled run skipped', { ...key, status: claim.status });
    return { ran: false, status: claim.status };
  }
  if (claim.takenOver) logger.warn('scheduled run taken over after its lease ended', { ...key });
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await deps.claims.release(key, runId).catch((releaseError: unknown) => {
      // The lease still ends: a re-run waits for it instead of starting at once.
      logger.error('scheduled run could not give back its claim', { ...key, error: releaseError });
    });
    throw error;
  }
  if (!(await deps.claims.complete(key, runId, deps.now()))) {
    // Done, but after the lease: another run may have done it too. Said, so it can be checked.
    logger.warn('scheduled run finished after its claim was taken over', { ...key });
  }
  return { ran: true, result, takenOver: claim.takenOver };
}
