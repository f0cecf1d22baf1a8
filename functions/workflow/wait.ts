// The `.waitForTaskToken` tasks of the filing workflow: each records the token on the
// filing's task item (it never leaves the backend), sends what it must, and returns; the
// workflow resumes when a decision answers the token.

import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { workflowServices } from '#shared/wiring/workflow-services.ts';
import { parseState } from '#workflows/filing-state.ts';

export interface WaitEvent {
  step: 'openReview' | 'awaitAmendment' | 'awaitProvince';
  state: unknown;
  taskToken: string;
}

export const handler = withRedactedErrors(async function handler(event: WaitEvent): Promise<void> {
  const state = parseState(event.state);
  if (typeof event.taskToken !== 'string' || event.taskToken.length === 0) {
    const error = new Error('no task token');
    error.name = 'InvalidWorkflowState';
    throw error;
  }
  const { steps } = workflowServices();
  switch (event.step) {
    case 'openReview':
      return steps.openReview(state, event.taskToken);
    case 'awaitAmendment':
      return steps.awaitAmendment(state, event.taskToken);
    case 'awaitProvince':
      return steps.awaitProvince(state, event.taskToken);
    default: {
      const error = new Error(`unknown step ${String((event as { step?: unknown }).step)}`);
      error.name = 'InvalidWorkflowState';
      throw error;
    }
  }
});
