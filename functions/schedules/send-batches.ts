// Weekly schedule (EventBridge Scheduler, Asia/Shanghai): every unit's approved filings go to
// the province as one summary batch (附件2) per unit, once per unit and ISO week of the
// scheduled time (a redelivered or repeated run sends nothing again). A programme whose review
// ends at the city (its filings are registered there) has no province stage and no batches.

import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { sendWeeklyBatches, type WeeklyBatches } from '#shared/use-cases/scheduled-jobs.ts';
import { scheduledRun } from '#shared/use-cases/scheduled-runs.ts';
import { sendBatch } from '#shared/use-cases/workflow/review.ts';
import { scheduledRunServices } from '#shared/wiring/scheduled-run-services.ts';
import { workflowServices } from '#shared/wiring/workflow-services.ts';

export const handler = withRedactedErrors(async function handler(
  event?: unknown,
): Promise<WeeklyBatches & { period: string }> {
  const run = scheduledRun(event, ['WeeklyBatches'], new Date());
  const { deps } = workflowServices();
  const summary = await sendWeeklyBatches(
    { ...scheduledRunServices(), sendBatch: (programId, unit) => sendBatch(deps, programId, unit) },
    run,
  );
  logger.info('weekly batches sent', { period: run.period, ...summary });
  return { ...summary, period: run.period };
});
