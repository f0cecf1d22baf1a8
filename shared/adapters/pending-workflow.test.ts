import { describe, expect, it } from 'vitest';
import { pendingWorkflow } from './pending-workflow.ts';

describe('pendingWorkflow', () => {
  it('accepts a submitted filing and starts nothing', async () => {
    await expect(
      pendingWorkflow.filingSubmitted({ filingId: 'F0123456789ABC', programId: 'liaoning-cso' }),
    ).resolves.toBeUndefined();
  });
});
