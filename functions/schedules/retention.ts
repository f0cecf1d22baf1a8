// Daily schedule (EventBridge Scheduler, Asia/Shanghai): filings that ended (withdrawn,
// rejected, declined, removed) longer ago than their programme's retention period are
// anonymized (docs/domain.md §8), then documents that no stored filing names (copies left by a
// submission stopped between its copy and its write) are deleted. Logs counts only. Once per
// scheduled day: a redelivered or repeated run finds the day done and does nothing. A run
// that could not finish every due filing fails after doing the rest, giving the day back so
// that a re-run may finish it, and the function's error alarm fires; so does a sweep that
// could not finish.

import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import {
  type PurgeSummary,
  purgeExpired,
  RetentionIncompleteError,
} from '#shared/use-cases/retention/anonymize.ts';
import { type StraySweepSummary, sweepStrayDocuments } from '#shared/use-cases/retention/stray-documents.ts';
import { once, scheduledRun } from '#shared/use-cases/scheduled-runs.ts';
import { retentionServices } from '#shared/wiring/retention-services.ts';
import { scheduledRunServices } from '#shared/wiring/scheduled-run-services.ts';

/** Filings anonymized per run at most (≈ 0.1 s each): a backlog drains over several runs. */
export const MAX_PER_RUN = 2000;

export const handler = withRedactedErrors(async function handler(
  event?: unknown,
): Promise<
  | (PurgeSummary & { period: string; strayDocuments: StraySweepSummary })
  | { period: string; skipped: 'done' | 'running' }
> {
  const claims = scheduledRunServices();
  const run = scheduledRun(event, ['DailyRetention'], claims.now());
  const outcome = await once(claims, { job: run.job, period: run.period }, async () => {
    const services = retentionServices();
    const now = new Date();
    const summary = await purgeExpired(services, { now, limit: MAX_PER_RUN });
    logger.info('retention purge done', { audit: 'retention_purge', ...summary });
    const strayDocuments = await sweepStrayDocuments(services, { now });
    logger.info('stray documents swept', { audit: 'retention_stray_documents', ...strayDocuments });
    if (summary.failed > 0) throw new RetentionIncompleteError(summary.failed);
    return { ...summary, strayDocuments };
  });
  if (!outcome.ran) return { period: run.period, skipped: outcome.status };
  return { period: run.period, ...outcome.result };
});
