// Wiring of the retention job, once per process: the table (TABLE_NAME) and the attachment
// bucket's objects, for the anonymization and for the stray-document sweep. No keys:
// anonymizing removes the ciphertext and hashes, it never reads them.

import { attachmentStore } from '../adapters/attachment-store.ts';
import { createDocumentOwners, createRetentionStore } from '../data/retention-store.ts';
import type { RetentionDeps } from '../use-cases/retention/anonymize.ts';
import type { StrayDocumentDeps } from '../use-cases/retention/stray-documents.ts';
import { tableAccess } from './table-access.ts';

let deps: (RetentionDeps & StrayDocumentDeps) | undefined;

export function retentionServices(): RetentionDeps & StrayDocumentDeps {
  if (!deps) {
    const { doc, tableName } = tableAccess();
    deps = {
      store: createRetentionStore(doc, tableName),
      attachments: attachmentStore(),
      inventory: attachmentStore(),
      owners: createDocumentOwners(doc, tableName),
    };
  }
  return deps;
}
