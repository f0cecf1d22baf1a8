// Scheduled (monthly on the 1st, and at year end, Asia/Shanghai): every programme's
// target-progress report as of today, stored and mailed to the province.
import { reportServices } from '#shared/adapters/report-services.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { deliverReport } from '#shared/use-cases/report-delivery.ts';

export const handler = withRedactedErrors(async function handler(): Promise<{
  reports: { programId: string; asOf: string; poolSize: number }[];
}> {
  const reports = [];
  for (const program of PROGRAMS) {
    const { report } = await deliverReport(reportServices(), { programId: program.id });
    reports.push({ programId: program.id, asOf: report.asOf, poolSize: report.pool });
  }
  logger.info('target reports delivered', { reports });
  return { reports };
});
