// Task states of the annual return that do not wait (both machines): the `step` names the use case.

import { queuedMailer } from '#shared/adapters/mail/queued-mailer.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { returnWorkflowServices } from '#shared/wiring/return-services.ts';
import { parseAnnualState, parseUnitState } from '#workflows/return-state.ts';

export interface ReturnStepEvent {
  step:
    | 'startUnits'
    | 'closeProgram'
    | 'recordProgramFailure'
    | 'openUnit'
    | 'sendLinks'
    | 'nextReturnWait'
    | 'sendReminders'
    | 'closeCollection'
    | 'nextAcknowledgementWait'
    | 'applyRemovals'
    | 'recordUnit'
    | 'recordUnitFailure';
  state: unknown;
}

export const handler = withRedactedErrors(async function handler(event: ReturnStepEvent) {
  const steps = returnWorkflowServices(queuedMailer);
  switch (event.step) {
    case 'startUnits':
      return steps.startUnits(parseAnnualState(event.state));
    case 'closeProgram':
      return steps.closeProgram(parseAnnualState(event.state));
    case 'recordProgramFailure':
      return steps.recordProgramFailure(parseAnnualState(event.state));
    case 'openUnit':
      return steps.openUnit(parseUnitState(event.state));
    case 'sendLinks':
      return steps.sendLinks(parseUnitState(event.state));
    case 'nextReturnWait':
      return steps.nextReturnWait(parseUnitState(event.state));
    case 'sendReminders':
      return steps.sendReminders(parseUnitState(event.state));
    case 'closeCollection':
      return steps.closeCollection(parseUnitState(event.state));
    case 'nextAcknowledgementWait':
      return steps.nextAcknowledgementWait(parseUnitState(event.state));
    case 'applyRemovals':
      return steps.applyRemovals(parseUnitState(event.state));
    case 'recordUnit':
      return steps.recordUnit(parseUnitState(event.state));
    case 'recordUnitFailure':
      return steps.recordUnitFailure(parseUnitState(event.state));
    default: {
      const error = new Error(`unknown step ${String((event as { step?: unknown }).step)}`);
      error.name = 'InvalidWorkflowState';
      throw error;
    }
  }
});
