// Wiring of the review pages and decisions: the table, the Step Functions client and the
// attachment view links, no mailer (they send none), built once per process.
import { SFNClient } from '@aws-sdk/client-sfn';
import { attachmentLinkSeconds, attachmentLinks } from '../adapters/attachment-links.ts';
import { sfnTaskCallbacks } from '../adapters/sfn-workflow.ts';
import { ENV, requireEnv } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';
import { createFilingRepository } from '../data/filing-repository.ts';
import { keyedHasherFromEnv } from '../data/keyed-hash.ts';
import { createReviewStore } from '../data/review-store.ts';
import type { ReviewDeps } from '../use-cases/workflow/review.ts';

export const PUBLIC_API_URL_ENV = 'PUBLIC_API_URL';

let deps: ReviewDeps | undefined;

export function reviewServices(): ReviewDeps {
  if (!deps) {
    const doc = createDocumentClient();
    const tableName = requireEnv(ENV.tableName);
    deps = {
      repo: createFilingRepository({ doc, tableName, hasher: keyedHasherFromEnv() }),
      reviews: createReviewStore(doc, tableName),
      tasks: sfnTaskCallbacks(new SFNClient({})),
      apiBaseUrl: requireEnv(PUBLIC_API_URL_ENV).replace(/\/$/, ''),
      attachments: attachmentLinks(),
      attachmentLinkSeconds: attachmentLinkSeconds(),
    };
  }
  return deps;
}
