// Wiring of the retention job, once per process: the table (TABLE_NAME) and the attachment
// bucket's objects. No keys: anonymizing removes the ciphertext and hashes, it never reads them.
import { ENV, requireEnv } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';
import { createRetentionStore } from '../data/retention-store.ts';
import type { RetentionDeps } from '../use-cases/retention/anonymize.ts';
import { attachmentStore } from './attachment-store.ts';

let deps: RetentionDeps | undefined;

export function retentionServices(): RetentionDeps {
  deps ??= {
    store: createRetentionStore(createDocumentClient(), requireEnv(ENV.tableName)),
    attachments: attachmentStore(),
  };
  return deps;
}
