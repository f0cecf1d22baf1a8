// The outbox's delivery function: invoked by the table's stream (only the INSERTs of outbox
// items pass the event-source filters, infra/constructs/outbox.ts) and, locally, by the runtime's
// stream reader with the same event shape. A failed record is reported (reportBatchItemFailures):
// the stream retries from it, a bounded number of times, then the batch goes to the on-failure
// queue, whose depth is alarmed.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/observability/logger.ts';
import { deliverOutboxRecords } from '#shared/use-cases/outbox/deliver.ts';
import { filingServices } from '#shared/wiring/filing-services.ts';

type Image = Parameters<typeof unmarshall>[0];

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { repo, workflow } = filingServices();
  const records = event.Records.map((r) => ({
    sequenceNumber: r.dynamodb?.SequenceNumber ?? '',
    newImage: r.dynamodb?.NewImage ? unmarshall(r.dynamodb.NewImage as Image) : undefined,
  }));
  const report = await deliverOutboxRecords({ repo, workflow }, records);
  for (const entry of report.delivered) {
    logger.info('outbox delivered', { kind: entry.kind, filingId: entry.filingId, version: entry.version });
  }
  if (!report.failed) return { batchItemFailures: [] };
  const { entry, error, sequenceNumber } = report.failed;
  // The error's name and message only: ids and kinds, never the filing.
  logger.error('outbox delivery failed', {
    kind: entry.kind,
    filingId: entry.filingId,
    version: entry.version,
    error: { name: error.name, message: error.message },
  });
  return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
}
