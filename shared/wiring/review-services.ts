// Wiring of the review pages and decisions: the table, the Step Functions client and the
// attachment view links, no mailer (they send none), built once per process.
import { SFNClient } from '@aws-sdk/client-sfn';
import { attachmentLinkSeconds, attachmentLinks } from '../adapters/attachment-links.ts';
import { sfnTaskCallbacks } from '../adapters/sfn-workflow.ts';
import { PUBLIC_API_URL_ENV, requireEnv } from '../config/env.ts';
import { createReviewStore } from '../data/review-store.ts';
import type { ReviewDeps } from '../use-cases/workflow/review.ts';
import { filingTableAccess } from './filing-table-access.ts';

let deps: ReviewDeps | undefined;

export function reviewServices(): ReviewDeps {
  if (!deps) {
    const { doc, tableName, repo } = filingTableAccess();
    deps = {
      repo,
      reviews: createReviewStore(doc, tableName),
      tasks: sfnTaskCallbacks(new SFNClient({})),
      apiBaseUrl: requireEnv(PUBLIC_API_URL_ENV).replace(/\/$/, ''),
      attachments: attachmentLinks(),
      attachmentLinkSeconds: attachmentLinkSeconds(),
    };
  }
  return deps;
}
