// Daily schedule (EventBridge Scheduler, Asia/Shanghai): filings that ended (withdrawn,
// rejected, declined, removed) longer ago than their programme's retention period are
// anonymized (docs/domain.md §8), then documents that no stored filing names (copies left by a
// submission stopped between its copy and its write) are deleted. Logs counts only. A run
// that could not finish every due filing fails after doing the rest, so the scheduler retries
// it and the function's error alarm fires; so does a sweep that could not finish.
import { retentionServices } from '#shared/adapters/retention-services.ts';
import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import {
  type PurgeSummary,
  purgeExpired,
  RetentionIncompleteError,
} from '#shared/use-cases/retention/anonymize.ts';
import { type StraySweepSummary, sweepStrayDocuments } from '#shared/use-cases/retention/stray-documents.ts';

/** Filings anonymized per run at most (≈ 0.1 s each): a backlog drains over several runs. */
export const MAX_PER_RUN = 2000;

export const handler = withRedactedErrors(async function handler(): Promise<
  PurgeSummary & { strayDocuments: StraySweepSummary }
> {
  const services = retentionServices();
  const now = new Date();
  const summary = await purgeExpired(services, { now, limit: MAX_PER_RUN });
  logger.info('retention purge done', { audit: 'retention_purge', ...summary });
  const strayDocuments = await sweepStrayDocuments(services, { now });
  logger.info('stray documents swept', { audit: 'retention_stray_documents', ...strayDocuments });
  if (summary.failed > 0) throw new RetentionIncompleteError(summary.failed);
  return { ...summary, strayDocuments };
});
