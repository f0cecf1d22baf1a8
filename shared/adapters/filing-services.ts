// Wiring of the filing use cases for Lambda and the local runtime, built once per process
// (cold start) from the environment: the table, the field keys (KMS in the cloud, the local
// key file locally) and the workflow adapter.
import { ENV, requireEnv } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';
import { fieldProtectionFromEnv, type KeyedHasher } from '../data/field-crypto.ts';
import { createFilingRepository } from '../data/filing-repository.ts';
import type { FilingRepository } from '../ports/filings.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { pendingWorkflow } from './pending-workflow.ts';

export interface FilingServices {
  repo: FilingRepository;
  hasher: KeyedHasher;
  workflow: FilingWorkflow;
}

let services: FilingServices | undefined;

export function filingServices(): FilingServices {
  if (!services) {
    const { cipher, hasher } = fieldProtectionFromEnv();
    const repo = createFilingRepository({
      doc: createDocumentClient(),
      tableName: requireEnv(ENV.tableName),
      cipher,
      hasher,
    });
    services = { repo, hasher, workflow: pendingWorkflow };
  }
  return services;
}
