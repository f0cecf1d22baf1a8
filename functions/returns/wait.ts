// The `.waitForTaskToken` tasks of the annual return: each records the token (it never leaves
// the backend), sends what it must, and returns; the workflow resumes when the last enterprise
// answers or the city acknowledges (a unit), or the last unit ends (the programme's year).

import { queuedMailer } from '#shared/adapters/mail/queued-mailer.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { returnWorkflowServices } from '#shared/wiring/return-services.ts';
import { parseAnnualState, parseUnitState } from '#workflows/return-state.ts';

export interface ReturnWaitEvent {
  step: 'awaitUnits' | 'awaitReturns' | 'openAcknowledgement';
  state: unknown;
  taskToken: string;
}

export const handler = withRedactedErrors(async function handler(event: ReturnWaitEvent): Promise<void> {
  if (typeof event.taskToken !== 'string' || event.taskToken.length === 0) {
    const error = new Error('no task token');
    error.name = 'InvalidWorkflowState';
    throw error;
  }
  const steps = returnWorkflowServices(queuedMailer);
  switch (event.step) {
    case 'awaitUnits':
      return steps.awaitUnits(parseAnnualState(event.state), event.taskToken);
    case 'awaitReturns':
      return steps.awaitReturns(parseUnitState(event.state), event.taskToken);
    case 'openAcknowledgement':
      return steps.openAcknowledgement(parseUnitState(event.state), event.taskToken);
    default: {
      const error = new Error(`unknown step ${String((event as { step?: unknown }).step)}`);
      error.name = 'InvalidWorkflowState';
      throw error;
    }
  }
});
