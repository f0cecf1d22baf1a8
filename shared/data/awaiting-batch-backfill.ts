// Gives the province tasks written before the awaitingBatch index existed its keys, so that the
// weekly batch finds them. Idempotent and safe while the system runs: each task is updated only
// if it still waits (not batched, not decided), and tasks that already carry the keys are skipped.
// Run by ensureTable when it adds the index locally, and by `npm run backfill` on a deployed table.
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awaitingPartition } from './review-store.ts';
import { TABLE } from './table.ts';

const WAITING = 'stage = :province AND attribute_not_exists(batchId) AND attribute_not_exists(decided)';

/** Returns how many tasks were given the index keys. */
export async function backfillAwaitingBatch(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const index = TABLE.indexes.awaitingBatch;
  let updated = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `sk = :task AND ${WAITING} AND attribute_not_exists(${index.partitionKey})`,
        ProjectionExpression: 'pk, sk, programId, filingId, #unit',
        ExpressionAttributeNames: { '#unit': 'unit' },
        ExpressionAttributeValues: { ':task': 'TASK', ':province': 'province' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: `SET ${index.partitionKey} = :qpk, ${index.sortKey} = :qsk`,
            ConditionExpression: `attribute_exists(pk) AND ${WAITING}`,
            ExpressionAttributeValues: {
              ':qpk': awaitingPartition(String(item.programId), String(item.unit)),
              ':qsk': String(item.filingId),
              ':province': 'province',
            },
          }),
        );
        updated++;
      } catch (error) {
        // Batched or decided since the scan read it: it no longer waits.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return updated;
}
