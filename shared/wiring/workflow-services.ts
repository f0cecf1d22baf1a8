// Wiring of the workflow steps and review pages, once per process, from the environment:
// the table, the Step Functions client (AWS_ENDPOINT_URL_SFN locally), the mailer, and the
// public URLs that links point to.
import { SFNClient } from '@aws-sdk/client-sfn';
import { mailNotifier } from '../adapters/mail/notifier.ts';
import { sfnTaskCallbacks } from '../adapters/sfn-workflow.ts';
import { PUBLIC_API_URL_ENV, PUBLIC_SITE_URL_ENV, requireEnv } from '../config/env.ts';
import { createReviewStore } from '../data/review-store.ts';
import { receiptToken } from '../use-cases/receipt.ts';
import type { BatchDeps } from '../use-cases/workflow/review.ts';
import { type WorkflowDeps, workflowSteps } from '../use-cases/workflow/steps.ts';
import { filingTableAccess } from './filing-table-access.ts';

// Kept for the benchmark's in-process runtime (bench/lib/cold-response.ts); new code imports the registry.
export { PUBLIC_API_URL_ENV, PUBLIC_SITE_URL_ENV } from '../config/env.ts';

let built: { deps: WorkflowDeps & BatchDeps; steps: ReturnType<typeof workflowSteps> } | undefined;

export function workflowServices() {
  if (!built) {
    const { doc, tableName, hasher, repo } = filingTableAccess();
    const reviews = createReviewStore(doc, tableName);
    const siteBaseUrl = requireEnv(PUBLIC_SITE_URL_ENV).replace(/\/$/, '');
    const deps: WorkflowDeps & BatchDeps = {
      repo,
      reviews,
      notifier: mailNotifier(),
      tasks: sfnTaskCallbacks(new SFNClient({})),
      apiBaseUrl: requireEnv(PUBLIC_API_URL_ENV).replace(/\/$/, ''),
      siteBaseUrl,
      statusLink: async (filingId) =>
        `${siteBaseUrl}/status.html#f=${filingId}&r=${await receiptToken(hasher, filingId)}`,
    };
    built = { deps, steps: workflowSteps(deps) };
  }
  return built;
}
