// FilingWorkflow adapter for a deployment that names no workflow (FILING_WORKFLOW_ARN unset,
// as `LOCAL_WORKFLOWS=off` runs the API alone): nothing starts, the filing stays `submitted`
// (its status page says it awaits city review).
import type { FilingWorkflow } from '../ports/workflow.ts';

export const pendingWorkflow: FilingWorkflow = {
  async filingSubmitted() {},
  async filingAmended() {},
  async filingWithdrawn() {},
  // Nothing runs, so nothing fails: no failure is ever recorded for staff to resume.
  async reviewResumed() {},
};
