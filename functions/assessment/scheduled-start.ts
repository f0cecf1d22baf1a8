// Schedule (EventBridge Scheduler, Asia/Shanghai, on the programmes' assessment.opensOn): starts
// the annual assessment of every programme whose day it is. A retried invocation is harmless:
// the execution name is the programme and year.
import { assessmentStartServices } from '#shared/adapters/assessment-services.ts';
import { logger } from '#shared/observability/logger.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { type StartAnswer, startDueAssessments } from '#shared/use-cases/assessment/start.ts';

export const handler = withRedactedErrors(async function handler(): Promise<{ started: StartAnswer[] }> {
  const started = await startDueAssessments(assessmentStartServices());
  logger.info('annual assessments due today', { started });
  return { started };
});
