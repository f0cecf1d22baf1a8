// The applicant withdraws a filing that is not final yet (consent withdrawn before
// inclusion). Once final there is nothing to withdraw (409). The filing's documents are
// deleted with it (personal data: consent is withdrawn); a failure there is logged and left
// to the retention purge, which deletes the same prefix.

import { filingPrefix } from '../domain/attachments.ts';
import { logger } from '../observability/logger.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type { FilingRepository } from '../ports/filings.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { statusView } from './filing-status.ts';
import { requireReceipt } from './receipt.ts';
import { retryOnConcurrentChange } from './retry.ts';

export async function withdrawFiling(
  deps: {
    repo: FilingRepository;
    hasher: KeyedHasher;
    workflow: FilingWorkflow;
    attachments: AttachmentStore;
    now?: () => Date;
  },
  input: { filingId: string; receipt: string | undefined },
) {
  await requireReceipt(deps.hasher, input.filingId, input.receipt);
  const now = (deps.now ?? (() => new Date()))();
  await retryOnConcurrentChange(async () => {
    const current = await deps.repo.get(input.filingId);
    await deps.repo.transition({
      filingId: input.filingId,
      expected: { state: current.state, version: current.version },
      action: 'withdraw',
      actor: { role: 'applicant' },
      at: now.toISOString(),
      reason: '申请人撤回',
    });
  });
  try {
    const deleted = await deps.attachments.deletePrefix(filingPrefix(input.filingId));
    logger.info('attachments deleted', { audit: 'attachments_deleted', filingId: input.filingId, deleted });
  } catch (error) {
    logger.error('attachments of a withdrawn filing not deleted', {
      filingId: input.filingId,
      error: (error as Error).name,
    });
  }
  // Whatever the workflow waits for, the filing no longer needs it.
  await deps.workflow.filingWithdrawn(input.filingId);
  const [record, history] = await Promise.all([
    deps.repo.get(input.filingId),
    deps.repo.history(input.filingId),
  ]);
  return statusView(record, history);
}
