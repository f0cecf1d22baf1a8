// Task states of the annual assessment that do not wait (both machines): the `step` names the use case.
import { assessmentWorkflowServices } from '#shared/adapters/assessment-services.ts';
import { createMailer } from '#shared/adapters/mail/mailer.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { parseAnnualState, parseUnitState } from '#workflows/assessment-state.ts';

export interface AssessmentStepEvent {
  step:
    | 'startUnits'
    | 'closeProgram'
    | 'recordProgramFailure'
    | 'openUnit'
    | 'nextWait'
    | 'applyPage'
    | 'recordUnit'
    | 'recordUnitFailure';
  state: unknown;
}

export const handler = withRedactedErrors(async function handler(event: AssessmentStepEvent) {
  const steps = assessmentWorkflowServices(createMailer);
  switch (event.step) {
    case 'startUnits':
      return steps.startUnits(parseAnnualState(event.state));
    case 'closeProgram':
      return steps.closeProgram(parseAnnualState(event.state));
    case 'recordProgramFailure':
      return steps.recordProgramFailure(parseAnnualState(event.state));
    case 'openUnit':
      return steps.openUnit(parseUnitState(event.state));
    case 'nextWait':
      return steps.nextWait(parseUnitState(event.state));
    case 'applyPage':
      return steps.applyPage(parseUnitState(event.state));
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
