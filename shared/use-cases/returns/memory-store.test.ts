// The in-memory store keeps the ReturnStore contract the DynamoDB adapter keeps
// (test/integration/return-store.test.ts runs the same contract against DynamoDB Local); the
// assertions live in the shared contract (expect calls in test/support/return-store-contract.ts).
import { returnStoreContract } from '../../../test/support/return-store-contract.ts';
import { memoryReturnStore } from './memory-store.ts';

returnStoreContract('in memory', () => memoryReturnStore());
