// Creates the table from the shared definition if it does not exist (local runtime, tests), and
// brings a table made by an earlier version up to it: an index added since is created, and the
// items written before it are given its keys (a local data directory kept across versions); a
// table without the stream gets it (from then on: what was written before is not in it).
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillAwaitingBatch } from './awaiting-batch-backfill.ts';
import { backfillFilingSearch } from './search-backfill.ts';
import { createTableInput, indexInput, TABLE } from './table.ts';

/** What a new index needs besides its definition: its keys on the items written before it. */
const BACKFILLS: Partial<
  Record<keyof typeof TABLE.indexes, (doc: DynamoDBDocumentClient, table: string) => Promise<number>>
> = {
  awaitingBatch: backfillAwaitingBatch,
  filingSearch: backfillFilingSearch,
};

export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'exists' | 'updated'> {
  let existing: Set<string>;
  let streamed: boolean;
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = new Set((out.Table?.GlobalSecondaryIndexes ?? []).map((i) => String(i.IndexName)));
    streamed = out.Table?.StreamSpecification?.StreamEnabled === true;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
    return 'created';
  }
  if (!streamed) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
      }),
    );
  }
  const missing = Object.entries(TABLE.indexes).filter(([, index]) => !existing.has(index.name));
  if (missing.length === 0) return streamed ? 'exists' : 'updated';
  const doc = DynamoDBDocumentClient.from(client);
  for (const [key, index] of missing) {
    // One index per UpdateTable, as DynamoDB requires.
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S' as const,
        })),
        GlobalSecondaryIndexUpdates: [{ Create: indexInput(index) }],
      }),
    );
    await active(client, tableName, index.name);
    await BACKFILLS[key as keyof typeof TABLE.indexes]?.(doc, tableName);
  }
  return 'updated';
}

/** Waits for a new index to be ACTIVE (at once on DynamoDB Local; a backfill on AWS). */
async function active(client: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = out.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === indexName);
    if (index?.IndexStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`index ${indexName} of ${tableName} did not become ACTIVE in 10 minutes`);
}
