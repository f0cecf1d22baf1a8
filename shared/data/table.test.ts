import { describe, expect, it } from 'vitest';
import { createTableInput, TABLE } from './table.ts';

describe('createTableInput', () => {
  const input = createTableInput('standards-test');

  it('names the table and bills on demand', () => {
    expect(input.TableName).toBe('standards-test');
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('keys the table by pk and sk', () => {
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('has the filingsByUnit (gsi1), awaitingBatch (gsi2) and filingSearch (gsi3) indexes, keys only', () => {
    expect(input.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'filingsByUnit',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: 'awaitingBatch',
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: 'filingSearch',
        KeySchema: [
          { AttributeName: 'gsi3pk', KeyType: 'HASH' },
          { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
  });

  it('defines every key attribute exactly once, as a string', () => {
    const names = (input.AttributeDefinitions ?? []).map((a) => a.AttributeName);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([
      'gsi1pk',
      'gsi1sk',
      'gsi2pk',
      'gsi2sk',
      'gsi3pk',
      'gsi3sk',
      'pk',
      'sk',
    ]);
    expect((input.AttributeDefinitions ?? []).every((a) => a.AttributeType === 'S')).toBe(true);
  });

  it('defines exactly the attributes used by the table and index key schemas', () => {
    const used = new Set([
      ...(input.KeySchema ?? []).map((k) => k.AttributeName),
      ...(input.GlobalSecondaryIndexes ?? []).flatMap((i) => (i.KeySchema ?? []).map((k) => k.AttributeName)),
    ]);
    expect(new Set((input.AttributeDefinitions ?? []).map((a) => a.AttributeName))).toEqual(used);
  });

  it('exposes the TTL attribute for the stack', () => {
    expect(TABLE.ttlAttribute).toBe('expiresAt');
    expect(TABLE.indexes.filingsByUnit.name).toBe('filingsByUnit');
  });
});
