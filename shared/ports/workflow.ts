// The port through which a submitted filing enters the review workflow. The workflow issue
// implements it with Step Functions (StartExecution, execution name derived from the filing
// id); until then the adapter in shared/adapters/pending-workflow.ts leaves the filing in
// `submitted`, where the status page shows it waiting for review.
export interface FilingWorkflow {
  filingSubmitted(ref: { filingId: string; programId: string }): Promise<void>;
}
