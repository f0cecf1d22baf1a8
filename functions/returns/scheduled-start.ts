// Schedule (EventBridge Scheduler, Asia/Shanghai, on the programmes' assessment.opensOn): opens
// the annual return of every programme whose day it is. A retried invocation is harmless: the
// execution name is the programme and year.
import { returnStartServices } from '#shared/adapters/return-services.ts';
import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { type StartAnswer, startDueReturns } from '#shared/use-cases/returns/start.ts';

export const handler = withRedactedErrors(async function handler(): Promise<{ started: StartAnswer[] }> {
  const started = await startDueReturns(returnStartServices());
  logger.info('annual returns due today', { started });
  return { started };
});
