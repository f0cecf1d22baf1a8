// FilingWorkflow adapter used until the review workflow exists: nothing starts, the filing
// stays `submitted` (its status page says it awaits city review). Replaced by the Step
// Functions adapter in the workflow issue.
import type { FilingWorkflow } from '../ports/workflow.ts';

export const pendingWorkflow: FilingWorkflow = {
  async filingSubmitted() {},
  async filingAmended() {},
  async filingWithdrawn() {},
  // Nothing runs, so nothing fails: no failure is ever recorded for staff to resume.
  async reviewResumed() {},
};
