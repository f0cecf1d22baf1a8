// The StaffQueries port on DynamoDB. A unit's filings come from the keys-only index
// `filingsByUnit` (gsi1pk = PROGRAM#p#UNIT#u, gsi1sk = createdAt#filingId), newest first.
// Access entries are written twice in one transaction: under the filing
// (`FILING#id` / `ACCESS#<at>#<n>`) and under the unit (`ACCESS#<program>#<unit>` /
// `<at>#<n>`), so both audit logs are one Query each.
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.ts';
import type { AccessEntry, StaffQueries } from '../ports/staff.ts';
import { TABLE } from './table.ts';

const index = TABLE.indexes.filingsByUnit;

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

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined, partition: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // A cursor only continues the query it came from, and is a key of it: the table's key,
    // plus the index's for an index query, all strings and nothing else.
    if (key === null || typeof key !== 'object' || Array.isArray(key)) return undefined;
    const names = Object.keys(key);
    if (!names.every((n) => typeof key[n] === 'string')) return undefined;
    const tableKey = [TABLE.partitionKey, TABLE.sortKey];
    const indexKey = [...tableKey, index.partitionKey, index.sortKey];
    const is = (want: string[]) => names.length === want.length && want.every((n) => n in key);
    if (key[index.partitionKey] === partition && is(indexKey)) return key;
    if (key[TABLE.partitionKey] === partition && is(tableKey)) return key;
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * A cursor of the right shape whose values are made up is refused by DynamoDB as a starting key
 * that does not fit the query: the caller's bad input (422 at `cursor`), not a server error.
 */
async function startingAt<T>(cursor: string | undefined, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (cursor && (error as Error).name === 'ValidationException') {
      throw new ValidationError([
        {
          path: 'cursor',
          code: 'invalid_query',
          message: {
            zh: '翻页标记无效，请从第一页重新查询',
            en: 'invalid cursor; start again from the first page',
          },
        },
      ]);
    }
    throw error;
  }
}

const entryOf = (item: Record<string, unknown>): AccessEntry => {
  const { pk: _pk, sk: _sk, type: _type, ...entry } = item;
  return entry as unknown as AccessEntry;
};

export function createStaffQueries(doc: DynamoDBDocumentClient, tableName: string): StaffQueries {
  return {
    async unitFilings({ programId, unit, from, to, limit, cursor }) {
      const partition = `PROGRAM#${programId}#UNIT#${unit}`;
      const out = await startingAt(cursor, () =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
            ExpressionAttributeValues: {
              ':pk': partition,
              ':from': from ?? '0',
              // Dates compare as prefixes of createdAt: `to` includes that whole day.
              ':to': `${to ?? '9999'}\uffff`,
            },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor, partition),
          }),
        ),
      );
      const filingIds = (out.Items ?? []).map((item) => String(item.pk).replace(/^FILING#/, ''));
      const next = encodeCursor(out.LastEvaluatedKey);
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
      const out = await startingAt(cursor, () =>
        doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            Limit: limit,
            ExclusiveStartKey: decodeCursor(cursor, partition),
          }),
        ),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return { entries: (out.Items ?? []).map(entryOf), ...(next ? { next } : {}) };
    },
  };
}
