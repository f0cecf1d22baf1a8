// Wiring of the filing use cases for Lambda and the local runtime, built once per process
// (cold start) from the environment: the table, the keys (KMS in the cloud, the local key
// file locally) and the workflow adapter. Two flavours: `filingWriteServices` encrypts ID
// numbers (submit, amend) and bundles the AWS Encryption SDK; `filingServices` does not
// (status, withdraw, state changes), which keeps those functions small and quick to start.

import { SFNClient } from '@aws-sdk/client-sfn';
import { pendingWorkflow } from '../adapters/pending-workflow.ts';
import { sfnFilingWorkflow } from '../adapters/sfn-workflow.ts';
import { FILING_WORKFLOW_ARN_ENV } from '../config/env.ts';
import { createFilingRepository } from '../data/filing-repository.ts';
import { createReviewStore } from '../data/review-store.ts';
import type { FieldCipher, KeyedHasher } from '../ports/crypto.ts';
import type { EnterpriseIndex, FilingRepository } from '../ports/filings.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { filingTableAccess } from './filing-table-access.ts';

export interface FilingServices {
  repo: FilingRepository;
  enterprises: EnterpriseIndex;
  hasher: KeyedHasher;
  workflow: FilingWorkflow;
}

export function createFilingServices(cipher?: FieldCipher): FilingServices {
  const { doc, tableName, hasher, repo: withoutCipher } = filingTableAccess();
  const repo = cipher ? createFilingRepository({ doc, tableName, hasher, cipher }) : withoutCipher;
  // Deployments name their workflow; a deployment without one keeps filings in `submitted`.
  const workflowArn = process.env[FILING_WORKFLOW_ARN_ENV];
  const workflow = workflowArn
    ? sfnFilingWorkflow(new SFNClient({}), workflowArn, createReviewStore(doc, tableName))
    : pendingWorkflow;
  return { repo, enterprises: repo, hasher, workflow };
}

let services: FilingServices | undefined;

/** Services without field encryption: reading status, withdrawing, moving state. */
export function filingServices(): FilingServices {
  services ??= createFilingServices();
  return services;
}
