import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { counterDelta } from './counter-item.ts';
import { type CounterReadPage, createCounterReader, fromCounterItem } from './counter-reader.ts';

/** A document client that answers Queries from prepared pages and remembers what it was asked. */
function fakeDoc(pages: { Items: Record<string, unknown>[]; units: number }[]) {
  const inputs: QueryCommandInput[] = [];
  const doc = {
    async send(command: { input: QueryCommandInput }) {
      inputs.push(command.input);
      const index = inputs.length - 1;
      const page = pages[index];
      if (!page) throw new Error('no more pages');
      return {
        Items: page.Items,
        ConsumedCapacity: { CapacityUnits: page.units },
        ...(index < pages.length - 1 ? { LastEvaluatedKey: { pk: 'x', sk: String(index) } } : {}),
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, inputs };
}

describe('fromCounterItem', () => {
  it('reads the net changes and monthly entries, leaving out what it does not know', () => {
    expect(
      fromCounterItem({
        pk: 'COUNTERS#liaoning-cso',
        sk: '2025#210100#cso',
        type: 'Counter',
        year: '2025',
        unit: '210100',
        role: 'cso',
        n_submitted: 2,
        n_in_pool: -1,
        m03_submitted: 4,
        m11_in_pool: 1,
        n_unknown: 7,
        m13x_in_pool: 1,
        m04_bogus: 3,
        n_removed: '1',
      }),
    ).toEqual({
      year: '2025',
      unit: '210100',
      role: 'cso',
      net: { submitted: 2, in_pool: -1 },
      entries: { '03': { submitted: 4 }, '11': { in_pool: 1 } },
    });
  });

  it('reads what counterDelta writes', () => {
    const delta = counterDelta({
      programId: 'p',
      unit: '210200',
      role: 'director',
      from: 'province_review',
      to: 'in_pool',
      at: '2025-07-01T00:00:00Z',
    });
    const item: Record<string, unknown> = { year: '2025', unit: '210200', role: 'director' };
    for (const [name, attr] of Object.entries(delta?.ExpressionAttributeNames ?? {})) {
      if (name.startsWith('#a')) item[attr] = delta?.ExpressionAttributeValues[`:v${name.slice(2)}`];
    }
    expect(fromCounterItem(item)).toEqual({
      year: '2025',
      unit: '210200',
      role: 'director',
      net: { province_review: -1, in_pool: 1 },
      entries: { '07': { in_pool: 1 } },
    });
  });
});

describe('createCounterReader', () => {
  it('makes one key-bounded Query per page, up to the end of the year, and reports each page', async () => {
    const item = (sk: string) => ({ year: sk.slice(0, 4), unit: sk.slice(5, 11), role: 'cso', n_in_pool: 1 });
    const { doc, inputs } = fakeDoc([
      { Items: [item('2024#210100#cso'), item('2025#210100#cso')], units: 1.5 },
      { Items: [item('2025#210200#cso')], units: 0.5 },
    ]);
    const pages: CounterReadPage[] = [];
    const reader = createCounterReader({ doc, tableName: 't', onPage: (p) => pages.push(p) });
    const records = await reader.countersUpTo('liaoning-cso', '2025');
    expect(records.map((r) => `${r.year}#${r.unit}`)).toEqual(['2024#210100', '2025#210100', '2025#210200']);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({
      TableName: 't',
      KeyConditionExpression: 'pk = :pk AND sk <= :last',
      ExpressionAttributeValues: { ':pk': 'COUNTERS#liaoning-cso', ':last': '2025#\uffff' },
      ReturnConsumedCapacity: 'TOTAL',
    });
    expect(inputs[0]?.ExclusiveStartKey).toBeUndefined();
    expect(inputs[1]?.ExclusiveStartKey).toEqual({ pk: 'x', sk: '0' });
    expect(pages).toEqual([
      { items: 2, capacityUnits: 1.5 },
      { items: 1, capacityUnits: 0.5 },
    ]);
    // Every sort key of the year sorts below the bound, the next year's above it.
    expect('2025#21-SF#specialist' <= '2025#\uffff').toBe(true);
    expect('2026#210100#cso' <= '2025#\uffff').toBe(false);
  });
});
