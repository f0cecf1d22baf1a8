// The in-memory repository keeps the FilingRepository contract the DynamoDB adapter keeps
// (test/integration/filing-repository-contract.test.ts runs the same contract against DynamoDB
// Local); the assertions live in the shared contract (test/support/filing-repository-contract.ts).
import { randomBytes } from 'node:crypto';
import { localHasher } from '#shared/data/keyed-hash.ts';
import { filingRepositoryContract } from '../support/filing-repository-contract.ts';
import { MemoryFilingRepository } from '../support/memory-filing-repository.ts';

filingRepositoryContract('in memory', () => new MemoryFilingRepository(localHasher(randomBytes(32))));
