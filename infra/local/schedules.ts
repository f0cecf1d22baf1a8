// The scheduled jobs of workflows/functions.ts, run by `npm start` on the same expressions
// and time zone as EventBridge Scheduler in the cloud (croner). Each can also be fired now:
// `npm run local -- send-batches`. Each run is told its job and scheduled time, as
// EventBridge Scheduler tells the functions (infra/constructs/scheduled-jobs.ts).
import { join } from 'node:path';
import { Cron } from 'croner';
import { logger } from '#shared/observability/logger.ts';
import { SCHEDULES, toFiveFieldCron } from '#workflows/functions.ts';

export function startSchedules(root: string): {
  stop(): void;
  next(): { id: string; next: string | undefined }[];
} {
  const jobs = SCHEDULES.map((schedule) => ({
    id: schedule.id,
    job: new Cron(
      toFiveFieldCron(schedule.expression),
      { timezone: schedule.timezone, protect: true },
      async (self: Cron) => {
        try {
          const mod = (await import(join(root, schedule.handler))) as {
            handler: (event: { job: string; scheduledTime: string }) => Promise<unknown>;
          };
          const at = self.currentRun() ?? new Date();
          // Whole seconds, as the scheduler's <aws.scheduler.scheduled-time>.
          const scheduledTime = new Date(Math.floor(at.getTime() / 1000) * 1000)
            .toISOString()
            .replace('.000Z', 'Z');
          logger.info('scheduled job ran', {
            schedule: schedule.id,
            result: await mod.handler({ job: schedule.id, scheduledTime }),
          });
        } catch (error) {
          logger.error('scheduled job failed', { schedule: schedule.id, error });
        }
      },
    ),
  }));
  return {
    stop: () => {
      for (const { job } of jobs) job.stop();
    },
    next: () => jobs.map(({ id, job }) => ({ id, next: job.nextRun()?.toISOString() })),
  };
}
