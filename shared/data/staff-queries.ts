// The StaffQueries port on DynamoDB. A unit's filings come from the keys-only index
// `filingsByUnit` (gsi1pk = PROGRAM#p#UNIT#u, gsi1sk = createdAt#filingId), newest first; a
// search by the start of a credit code or an enterprise name from `filingSearch` (gsi3pk the same
// partition, gsi3sk begins_with CREDIT#<code> or NAME#<name>; filing-search-item.ts), so both read
// one unit's partition and never more items than the page asks for.
// Access entries are written twice in one transaction: under the filing
// (`FILING#id` / `ACCESS#<at>#<n>`) and under the unit (`ACCESS#<program>#<unit>` /
// `<at>#<n>`), so both audit logs are one Query each.
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, invalidCursor } from '../domain/cursor.ts';
import type { AccessEntry, StaffQueries } from '../ports/staff.ts';
import { searchPrefix } from './filing-search-item.ts';
import { TABLE } from './table.ts';

type Index = (typeof TABLE.indexes)[keyof typeof TABLE.indexes];

/**
 * The transaction items that write one access entry (under the unit, and under the filing when
 * it names one); exported so that an action audited with its own write goes in one transaction.
 */
export function accessPuts(tableName: string, entry: AccessEntry) {
  const n = randomBytes(4).toString('hex');
  const item = { ...entry, type: 'Access' };
  const items = [{ pk: `ACCESS#${entry.programId}#${entry.unit}`, sk: `${entry.at}#${n}`, ...item }];
  if (entry.filingId) items.push({ pk: `FILING#${entry.filingId}`, sk: `ACCESS#${entry.at}#${n}`, ...item });
  return items.map((Item) => ({
    Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
  }));
}

/**
 * Accepts a key of this query only: the table's key, plus the index's for an index query, all
 * strings, in the query's partition. Anything else never came from this query.
 */
function keyOf(partition: string, index?: Index, sortPrefix = '') {
  const names = [TABLE.partitionKey, TABLE.sortKey, ...(index ? [index.partitionKey, index.sortKey] : [])];
  const partitionName = index ? index.partitionKey : TABLE.partitionKey;
  return (value: unknown): value is Record<string, string> => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const key = value as Record<string, unknown>;
    const own = Object.keys(key);
    return (
      own.length === names.length &&
      names.every((n) => typeof key[n] === 'string') &&
      key[partitionName] === partition &&
      // A search's cursor starts inside the same search.
      (!index || String(key[index.sortKey]).startsWith(sortPrefix))
    );
  };
}

/**
 * A cursor of the right shape whose values are made up is refused by DynamoDB as a starting key
 * that does not fit the query: the caller's bad input (422 at `cursor`), not a server error.
 */
async function startingAt<T>(cursor: string | undefined, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (cursor !== undefined && (error as Error).name === 'ValidationException') throw invalidCursor();
    throw error;
  }
}

const entryOf = (item: Record<string, unknown>): AccessEntry => {
  const { pk: _pk, sk: _sk, type: _type, ...entry } = item;
  return entry as unknown as AccessEntry;
};

export function createStaffQueries(doc: DynamoDBDocumentClient, tableName: string): StaffQueries {
  return {
    async unitFilings({ programId, unit, from, to, search, limit, cursor }) {
      const partition = `PROGRAM#${programId}#UNIT#${unit}`;
      const index = search ? TABLE.indexes.filingSearch : TABLE.indexes.filingsByUnit;
      const prefix = search ? searchPrefix(search.by, search.prefix) : '';
      const start = decodeCursor(cursor, keyOf(partition, index, prefix));
      const range = search
        ? { condition: 'begins_with(#sk, :prefix)', values: { ':prefix': prefix } }
        : {
            condition: '#sk BETWEEN :from AND :to',
            values: {
              ':from': from ?? '0',
              // Dates compare as prefixes of createdAt: `to` includes that whole day.
              ':to': `${to ?? '9999'}\uffff`,
            },
          };
      const out = await startingAt(cursor, () =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: `#pk = :pk AND ${range.condition}`,
            ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
            ExpressionAttributeValues: { ':pk': partition, ...range.values },
            ScanIndexForward: !!search,
            Limit: limit,
            ExclusiveStartKey: start,
          }),
        ),
      );
      const filingIds = (out.Items ?? []).map((item) => String(item.pk).replace(/^FILING#/, ''));
      const next = out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined;
      return { filingIds, ...(next ? { next } : {}) };
    },

    async recordAccess(entry) {
      await doc.send(new TransactWriteCommand({ TransactItems: accessPuts(tableName, entry) }));
    },

    async filingAccess(filingId) {
      const entries: AccessEntry[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':p': 'ACCESS#' },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) entries.push(entryOf(item));
        start = out.LastEvaluatedKey;
      } while (start);
      return entries;
    },

    async unitAccess({ programId, unit, limit, cursor }) {
      const partition = `ACCESS#${programId}#${unit}`;
      const start = decodeCursor(cursor, keyOf(partition));
      const out = await startingAt(cursor, () =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            Limit: limit,
            ExclusiveStartKey: start,
          }),
        ),
      );
      const next = out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined;
      return { entries: (out.Items ?? []).map(entryOf), ...(next ? { next } : {}) };
    },
  };
}
