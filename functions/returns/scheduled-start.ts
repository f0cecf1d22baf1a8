// Schedule (EventBridge Scheduler, Asia/Shanghai, on the programmes' assessment.opensOn): opens
// the annual return of every programme whose day is the scheduled day, once per day (a
// redelivered or repeated run starts nothing). Each programme's year is one execution anyway:
// the execution name is the programme and year.

import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import type { StartAnswer } from '#shared/use-cases/returns/start.ts';
import { startScheduledReturns } from '#shared/use-cases/scheduled-jobs.ts';
import { scheduledRun } from '#shared/use-cases/scheduled-runs.ts';
import { returnStartServices } from '#shared/wiring/return-services.ts';
import { scheduledRunServices } from '#shared/wiring/scheduled-run-services.ts';

export const handler = withRedactedErrors(async function handler(
  event?: unknown,
): Promise<{ period: string; started: StartAnswer[]; skipped?: 'done' | 'running' }> {
  const run = scheduledRun(event, ['AnnualReturnStart'], new Date());
  const answer = await startScheduledReturns({ ...returnStartServices(), ...scheduledRunServices() }, run);
  logger.info('annual returns due on the scheduled day', { period: run.period, ...answer });
  return { period: run.period, ...answer };
});
