// Weekly schedule (EventBridge Scheduler, Asia/Shanghai): every unit's approved filings go to
// the province as one summary batch (附件2) per unit. A programme whose review ends at the
// city (its filings are registered there) has no province stage and no batches.
import { workflowServices } from '#shared/adapters/workflow-services.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { hasStage } from '#shared/domain/programs/program.ts';
import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { sendBatch } from '#shared/use-cases/workflow/review.ts';

export const handler = withRedactedErrors(async function handler(): Promise<{
  batches: number;
  filings: number;
}> {
  const { deps } = workflowServices();
  let batches = 0;
  let filings = 0;
  for (const program of PROGRAMS.filter((p) => hasStage(p, 'province'))) {
    for (const unit of program.reportingUnits) {
      const batch = await sendBatch(deps, program.id, unit.code);
      if (batch) {
        batches++;
        filings += batch.filingIds.length;
      }
    }
  }
  logger.info('weekly batches sent', { batches, filings });
  return { batches, filings };
});
