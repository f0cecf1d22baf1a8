// Delivers the outbox (ports/outbox.ts): each stream record of an outbox item becomes its
// consequence. Delivery is at least once (a batch is retried from its first failed record, a
// restarted local reader re-reads from its last saved position), so every consequence is
// idempotent: the review workflow starts under the filing id as its execution name (a second
// start is the same execution, or ExecutionAlreadyExists, which is done), and an amendment
// answers only the wait it ended, once more if it was answered before.
import { fromOutboxItem } from '../../data/outbox-item.ts';
import type { FilingRepository } from '../../ports/filings.ts';
import type { OutboxEntry } from '../../ports/outbox.ts';
import type { FilingWorkflow } from '../../ports/workflow.ts';

export interface OutboxDeliveryDeps {
  repo: Pick<FilingRepository, 'get'>;
  workflow: FilingWorkflow;
}

export async function deliverOutboxEntry(deps: OutboxDeliveryDeps, entry: OutboxEntry): Promise<void> {
  switch (entry.kind) {
    case 'review.start':
      await deps.workflow.filingSubmitted({ filingId: entry.filingId, programId: entry.programId });
      return;
    case 'review.amended': {
      // Any later event means the workflow went past this amendment (the city decides again only
      // once the amendment wait is answered; a withdrawal ends the wait itself), so a late
      // redelivery must not answer a later round's wait with it.
      const record = await deps.repo.get(entry.filingId);
      if (record.version !== entry.version) return;
      await deps.workflow.filingAmended(entry.filingId);
      return;
    }
  }
}

/** A stream record as Lambda and the local reader pass it: its sequence number and new image (unmarshalled). */
export interface OutboxRecord {
  sequenceNumber: string;
  newImage: Record<string, unknown> | undefined;
}

export interface DeliveryReport {
  /** The first record that failed: it and every later one of the batch are delivered again. */
  failed?: { sequenceNumber: string; entry: OutboxEntry; error: Error };
  delivered: OutboxEntry[];
}

/**
 * Delivers a batch in order and stops at the first failure: a stream shard is retried from the
 * failed record on (reportBatchItemFailures), so the records after it are not attempted now.
 * Records that are no outbox item (the event-source filter lets none through) are skipped.
 */
export async function deliverOutboxRecords(
  deps: OutboxDeliveryDeps,
  records: readonly OutboxRecord[],
): Promise<DeliveryReport> {
  const delivered: OutboxEntry[] = [];
  for (const record of records) {
    const entry = fromOutboxItem(record.newImage);
    if (!entry) continue;
    try {
      await deliverOutboxEntry(deps, entry);
      delivered.push(entry);
    } catch (error) {
      return { delivered, failed: { sequenceNumber: record.sequenceNumber, entry, error: error as Error } };
    }
  }
  return { delivered };
}
