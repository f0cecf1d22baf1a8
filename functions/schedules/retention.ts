// Daily schedule (EventBridge Scheduler, Asia/Shanghai): filings that ended (withdrawn,
// rejected, declined, removed) longer ago than their programme's retention period are
// anonymized (domain.md §8). Logs counts only. A run that could not finish every due filing
// fails after doing the rest, so the scheduler retries it and the function's error alarm fires.
import { retentionServices } from '#shared/adapters/retention-services.ts';
import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import {
  type PurgeSummary,
  purgeExpired,
  RetentionIncompleteError,
} from '#shared/use-cases/retention/anonymize.ts';

/** Filings anonymized per run at most (≈ 0.1 s each): a backlog drains over several runs. */
export const MAX_PER_RUN = 2000;

export const handler = withRedactedErrors(async function handler(): Promise<PurgeSummary> {
  const summary = await purgeExpired(retentionServices(), { now: new Date(), limit: MAX_PER_RUN });
  logger.info('retention purge done', { audit: 'retention_purge', ...summary });
  if (summary.failed > 0) throw new RetentionIncompleteError(summary.failed);
  return summary;
});
