// The in-memory store keeps the AssessmentStore contract the DynamoDB adapter keeps
// (test/integration/assessment-store.test.ts runs the same contract against DynamoDB Local).
// The assertions live in the shared contract (test/support/assessment-store-contract.ts).
import { assessmentStoreContract } from '../../../test/support/assessment-store-contract.ts';
import { memoryAssessmentStore } from './memory-store.ts';

assessmentStoreContract('in memory', () => memoryAssessmentStore());
