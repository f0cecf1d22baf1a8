// ensureTable on DynamoDB Local: a new table gets every index; a table made before the
// awaitingBatch index existed gets the index, and its province tasks already waiting for the
// weekly batch get the index keys, so the batch finds them (a local data directory kept across
// versions; `npm run backfill` does the same on a deployed table). On a DynamoDB Local of its
// own: on the suite's shared one, busy with every other file's tables, a new index stayed
// CREATING for over 30 s under the full `npm test` (about 1 s alone).

import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { backfillAwaitingBatch } from '#shared/data/awaiting-batch-backfill.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { createTableInput } from '#shared/data/table.ts';

let ddb: DynamoDbLocal;
let client: DynamoDBClient;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  doc = createDocumentClient(client);
}, 180_000);

afterAll(async () => {
  await ddb?.stop();
});

const indexNames = async (TableName: string) =>
  ((await client.send(new DescribeTableCommand({ TableName }))).Table?.GlobalSecondaryIndexes ?? [])
    .map((i) => i.IndexName)
    .sort();

/** A province task as the version before the index wrote it: no index keys. */
const oldTask = (filingId: string, extra: Record<string, unknown> = {}) => ({
  pk: `FILING#${filingId}`,
  sk: 'TASK',
  type: 'ReviewTask',
  filingId,
  programId: 'liaoning-cso',
  unit: '210200',
  stage: 'province',
  seq: 'province#0',
  taskToken: `t-${filingId}`,
  escalated: false,
  deadline: '2026-12-20T00:00:00.000Z',
  ...extra,
});

describe('ensureTable', () => {
  it('creates a new table with every index, then finds it as it is', async () => {
    const TableName = `ensure-${randomBytes(5).toString('hex')}`;
    expect(await ensureTable(client, TableName)).toBe('created');
    expect(await indexNames(TableName)).toEqual(['awaitingBatch', 'filingSearch', 'filingsByUnit']);
    expect(await ensureTable(client, TableName)).toBe('exists');
  });

  it('adds the indexes made since (awaitingBatch, filingSearch) to a table made before them, and the waiting tasks to the index', async () => {
    const TableName = `ensure-${randomBytes(5).toString('hex')}`;
    const input = createTableInput(TableName);
    await client.send(
      new CreateTableCommand({
        ...input,
        GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.filter((i) => i.IndexName === 'filingsByUnit'),
        AttributeDefinitions: input.AttributeDefinitions?.filter(
          (a) => !a.AttributeName?.startsWith('gsi2') && !a.AttributeName?.startsWith('gsi3'),
        ),
      }),
    );
    const items = [
      oldTask('F0000000000001'),
      oldTask('F0000000000002'),
      oldTask('F0000000000003', { batchId: 'B0000000000001' }),
      oldTask('F0000000000004', {
        decided: { decision: 'include', actor: { role: 'province', id: 'p' }, at: 'x' },
      }),
      oldTask('F0000000000005', { stage: 'city', seq: 'city#0' }),
      oldTask('F0000000000006', { unit: '210300' }),
    ];
    for (const Item of items) await doc.send(new PutCommand({ TableName, Item }));

    expect(await ensureTable(client, TableName)).toBe('updated');
    expect(await indexNames(TableName)).toEqual(['awaitingBatch', 'filingSearch', 'filingsByUnit']);
    const reviews = createReviewStore(doc, TableName);
    expect((await reviews.pendingForBatch('liaoning-cso', '210200')).map((t) => t.filingId)).toEqual([
      'F0000000000001',
      'F0000000000002',
    ]);
    expect((await reviews.pendingForBatch('liaoning-cso', '210300')).map((t) => t.filingId)).toEqual([
      'F0000000000006',
    ]);
    // run again (the deployed-table command), nothing is left to do
    expect(await backfillAwaitingBatch(doc, TableName)).toBe(0);
    expect(await ensureTable(client, TableName)).toBe('exists');
  });
});
