// The filing repository against DynamoDB Local, through the contract the in-memory repository
// of the use-case tests keeps too (test/unit/memory-filing-repository.test.ts); what only the
// table can say (counters, items, races) is in filing-repository.test.ts.
import { beforeAll } from 'vitest';
import type { EnterpriseIndex, FilingRepository } from '#shared/ports/filings.ts';
import { freshTable } from '../support/ddb.ts';
import { filingRepositoryContract } from '../support/filing-repository-contract.ts';

let repo: FilingRepository & EnterpriseIndex;

beforeAll(async () => {
  repo = (await freshTable()).repo;
});

filingRepositoryContract('DynamoDB', () => repo);
