// Task states of the filing workflow that do not wait: the `step` names the use case.

import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { workflowServices } from '#shared/wiring/workflow-services.ts';
import { parseFailureState, parseState } from '#workflows/filing-state.ts';

export interface StepEvent {
  step: 'startReview' | 'nextWait' | 'applyDecision' | 'expireAmendment' | 'recordFailure';
  state: unknown;
}

export const handler = withRedactedErrors(async function handler(event: StepEvent) {
  const { steps } = workflowServices();
  // The failure handler reads only what it records: an invalid state is what it must report.
  if (event.step === 'recordFailure') return steps.recordFailure(parseFailureState(event.state));
  const state = parseState(event.state);
  switch (event.step) {
    case 'startReview':
      return steps.startReview(state);
    case 'nextWait':
      return steps.nextWait(state);
    case 'applyDecision':
      return steps.applyDecision(state);
    case 'expireAmendment':
      return steps.expireAmendment(state);
    default: {
      const error = new Error(`unknown step ${String((event as { step?: unknown }).step)}`);
      error.name = 'InvalidWorkflowState';
      throw error;
    }
  }
});
