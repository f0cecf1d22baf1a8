// The capacity meter used by the benchmarks: single writes agree with DynamoDB Local's own
// figures, transactions are charged double, index key changes cost a delete and a put, and the
// units are told by item type (the key prefixes) as the workflow benchmark reports them.
import { PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { TABLE } from '#shared/data/table.ts';
import { createWcuMeter, itemSize } from '../../bench/lib/wcu-meter.ts';
import { freshTable } from '../support/ddb.ts';

describe('WCU meter', () => {
  it('agrees with ReturnConsumedCapacity on single puts and doubles transactions', async () => {
    const { client, tableName } = await freshTable();
    const meter = createWcuMeter({
      endpoint: inject('dynamodbEndpoint'),
      keyAttributes: [TABLE.partitionKey, TABLE.sortKey],
      indexes: Object.values(TABLE.indexes),
    });
    meter.attach(client);
    for (const size of [100, 1100, 2500]) {
      meter.reset();
      const item = { pk: { S: `P#${size}` }, sk: { S: 'X' }, pad: { S: 'é'.repeat(size / 2) } };
      const out = await client.send(
        new PutItemCommand({ TableName: tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(meter.total()).toBe(out.ConsumedCapacity?.CapacityUnits);
      expect(meter.total()).toBe(Math.ceil(itemSize(item) / 1024));
    }
    meter.reset();
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [1, 2, 3, 4].map((i) => ({
          Put: { TableName: tableName, Item: { pk: { S: `T#${i}` }, sk: { S: 'X' } } },
        })),
      }),
    );
    expect(meter.total()).toBe(8);
    expect(meter.byType()).toEqual({ 'T/X': 8 });

    meter.reset();
    const indexed = { pk: { S: 'G#1' }, sk: { S: 'X' }, gsi1pk: { S: 'A' }, gsi1sk: { S: '1' } };
    await client.send(new PutItemCommand({ TableName: tableName, Item: indexed }));
    expect(meter.total()).toBe(2); // the item and its new index entry
    meter.reset();
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'G#1' }, sk: { S: 'X' } },
        UpdateExpression: 'SET gsi1pk = :b',
        ExpressionAttributeValues: { ':b': { S: 'B' } },
      }),
    );
    expect(meter.total()).toBe(3); // the item, plus delete and put of the index entry
    expect(meter.byType()).toEqual({ 'G/X': 3 }); // index writes counted with their item
    meter.reset();
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'G#1' }, sk: { S: 'X' } },
        UpdateExpression: 'SET note1 = :o',
        ExpressionAttributeValues: { ':o': { S: 'x' } },
      }),
    );
    expect(meter.total()).toBe(1); // no index key changed: no index write
  });
});
