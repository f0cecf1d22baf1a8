// Scheduled (monthly on the 1st, and at year end, Asia/Shanghai): every programme's
// target-progress report as of the scheduled day, stored and mailed to the province once per
// job and period (a redelivered or repeated run mails nothing again).

import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { deliverScheduledReports, type ScheduledReport } from '#shared/use-cases/report-delivery.ts';
import { scheduledRun } from '#shared/use-cases/scheduled-runs.ts';
import { reportServices } from '#shared/wiring/report-services.ts';
import { scheduledRunServices } from '#shared/wiring/scheduled-run-services.ts';

export const handler = withRedactedErrors(async function handler(event?: unknown): Promise<{
  job: string;
  period: string;
  reports: ScheduledReport[];
}> {
  const run = scheduledRun(event, ['MonthlyTargetReport', 'YearEndTargetReport'], new Date());
  const reports = await deliverScheduledReports({ ...reportServices(), ...scheduledRunServices() }, run);
  logger.info('target reports delivered', { job: run.job, period: run.period, reports });
  return { job: run.job, period: run.period, reports };
});
