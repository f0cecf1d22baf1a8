// The `.waitForTaskToken` tasks of the annual assessment: each records the token (it never
// leaves the backend), sends what it must, and returns; the workflow resumes when the last
// page is graded (a unit) or the last unit ends (the programme's year).
import { assessmentWorkflowServices } from '#shared/adapters/assessment-services.ts';
import { createMailer } from '#shared/adapters/mail/mailer.ts';
import { withRedactedErrors } from '#shared/observability/redacted-errors.ts';
import { parseAnnualState, parseUnitState } from '#workflows/assessment-state.ts';

export interface AssessmentWaitEvent {
  step: 'awaitUnits' | 'openGrading';
  state: unknown;
  taskToken: string;
}

export const handler = withRedactedErrors(async function handler(event: AssessmentWaitEvent): Promise<void> {
  if (typeof event.taskToken !== 'string' || event.taskToken.length === 0) {
    const error = new Error('no task token');
    error.name = 'InvalidWorkflowState';
    throw error;
  }
  const steps = assessmentWorkflowServices(createMailer);
  switch (event.step) {
    case 'awaitUnits':
      return steps.awaitUnits(parseAnnualState(event.state), event.taskToken);
    case 'openGrading':
      return steps.openGrading(parseUnitState(event.state), event.taskToken);
    default: {
      const error = new Error(`unknown step ${String((event as { step?: unknown }).step)}`);
      error.name = 'InvalidWorkflowState';
      throw error;
    }
  }
});
