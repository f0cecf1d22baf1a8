// DynamoDB adapter of the CounterReader port: one paginated Query on the programme's counter
// partition, `sk <= '<year>#\uffff'` (sort keys are `<year>#<unit>#<role>`), so a report
// reads one small item per year × unit × role whatever the pool size, and never a filing.
// Eventually consistent (half the read units): a report may miss a transition of the last
// second, which the next one shows. Every page reports its consumed capacity to `onPage`,
// which the benchmark and the integration test use to show the cost does not grow with the pool.
// Enterprise coverage is one more Query, on the programme's coverage partition: one item per unit.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { STATES } from '../domain/lifecycle.ts';
import type { CounterReader, CounterRecord, CoverageRecord } from '../ports/counters.ts';
import { counterPartition, counterSummaryKey } from './counter-item.ts';
import { COVERAGE_CELLS, coveragePartition } from './coverage-item.ts';

export interface CounterReadPage {
  items: number;
  /** Read capacity units DynamoDB reports for the page (ReturnConsumedCapacity TOTAL). */
  capacityUnits: number;
}

export interface CounterReaderDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  onPage?: (page: CounterReadPage) => void;
}

const NET = /^n_(\w+)$/;
const MONTHLY = /^m(\d{2})_(\w+)$/;
const STATE_SET = new Set<string>(STATES);

/** A stored counter item as a record; attributes it does not know (or non-numbers) are left out. */
export function fromCounterItem(item: Record<string, unknown>): CounterRecord {
  const record: CounterRecord = {
    year: String(item.year),
    unit: String(item.unit),
    role: String(item.role),
    net: {},
    entries: {},
  };
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    const net = NET.exec(name);
    if (net?.[1] && STATE_SET.has(net[1])) {
      record.net[net[1] as keyof CounterRecord['net']] = value;
      continue;
    }
    const monthly = MONTHLY.exec(name);
    if (monthly?.[1] && monthly[2] && STATE_SET.has(monthly[2])) {
      const month = record.entries[monthly[1]] ?? {};
      month[monthly[2] as keyof CounterRecord['net']] = value;
      record.entries[monthly[1]] = month;
    }
  }
  return record;
}

/** A stored Coverage item as a record: its unit and the cells it holds. */
export function fromCoverageItem(item: Record<string, unknown>): CoverageRecord {
  const cells: CoverageRecord['cells'] = {};
  for (const cell of COVERAGE_CELLS) {
    const n = item[`n_${cell}`];
    if (typeof n === 'number') cells[cell] = n;
  }
  return { unit: String(item.unit ?? item.sk), cells };
}

export function createCounterReader(deps: CounterReaderDeps): CounterReader {
  async function queryItems(pk: string, condition: string, values: Record<string, string>) {
    const all: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await deps.doc.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: `pk = :pk${condition ? ` AND ${condition}` : ''}`,
          ExpressionAttributeValues: { ':pk': pk, ...values },
          ExclusiveStartKey: start,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      const items = out.Items ?? [];
      all.push(...items);
      deps.onPage?.({ items: items.length, capacityUnits: out.ConsumedCapacity?.CapacityUnits ?? 0 });
      start = out.LastEvaluatedKey;
    } while (start);
    return all;
  }
  async function query(programId: string, condition: string, values: Record<string, string>) {
    return (await queryItems(counterPartition(programId), condition, values)).map(fromCounterItem);
  }
  return {
    countersUpTo: (programId, upToYear) => query(programId, 'sk <= :last', { ':last': `${upToYear}#\uffff` }),
    countersOfYear: (programId, year) =>
      query(programId, 'sk BETWEEN :first AND :last', { ':first': `${year}#`, ':last': `${year}#\uffff` }),
    async yearSummary(programId, throughYear) {
      const out = await deps.doc.send(
        new GetCommand({
          TableName: deps.tableName,
          Key: counterSummaryKey(programId, throughYear),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      deps.onPage?.({ items: out.Item ? 1 : 0, capacityUnits: out.ConsumedCapacity?.CapacityUnits ?? 0 });
      return typeof out.Item?.summary === 'string' ? JSON.parse(out.Item.summary) : undefined;
    },
    coverage: async (programId) =>
      (await queryItems(coveragePartition(programId), '', {})).map(fromCoverageItem),
    async saveYearSummary(programId, throughYear, summary) {
      try {
        await deps.doc.send(
          new PutCommand({
            TableName: deps.tableName,
            Item: {
              ...counterSummaryKey(programId, throughYear),
              type: 'CounterSummary',
              throughYear,
              summary: JSON.stringify(summary),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Two first readers at once: the other stored the same summary.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
  };
}
