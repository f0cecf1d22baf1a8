// The port between the filing use cases and the review workflow (Step Functions in the
// cloud, the local engine under `npm start`): starting it for a submitted filing, and
// resuming or ending the wait a filing is in when the applicant amends or withdraws.
export interface FilingWorkflow {
  filingSubmitted(ref: { filingId: string; programId: string }): Promise<void>;
  /** The applicant sent the amendment the city asked for. */
  filingAmended(filingId: string): Promise<void>;
  /** The applicant withdrew: any wait ends. */
  filingWithdrawn(filingId: string): Promise<void>;
  /**
   * Staff restart a review after a recorded failure: starts the execution `name` with `input`
   * (the workflow state as JSON); starting one that exists already changes nothing.
   */
  reviewResumed(start: { name: string; input: string }): Promise<void>;
}

/** Answers to a waiting task (SendTaskSuccess / SendTaskFailure), keyed by its backend-only token. */
export interface TaskCallbacks {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
