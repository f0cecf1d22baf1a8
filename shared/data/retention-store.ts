// DynamoDB adapter of the RetentionStore port, for the retention job (a scheduled job, never a
// request path).
//
// Finding due filings: the table has no index by state, so the job scans for the bodies not
// anonymized yet (`sk = BODY AND attribute_not_exists(anonymizedAt)`, two attributes
// projected) and reads each one's latest event (Query `EVENT#`, descending, limit 1). A scan
// is charged for every item it reads, filter or not: one pass costs about the table's size
// divided by 8 KB in read units (eventually consistent), plus half a unit per filing not
// anonymized yet for its latest event: for 10,000 filings of about 6 KB each, some 12,500
// read units, cents a month for a daily run, and a minute or two of Lambda time. Anonymized
// filings drop out of the filter, so the per-filing reads follow the filings still kept.
// The alternative that avoids the scan, a sparse index written when a filing reaches a final
// state, is a change to the repository's transition; it pays off only when the table is far
// larger than the programmes make it. The function needs `dynamodb:Scan` on the table
// (DynamoDB Local checks no permissions, so only the cloud would tell).
//
// Item layout this module relies on: the filing's partition `FILING#<id>` (BODY, EVENT#,
// ACCESS#, FAILURE#, TASK, SEARCH#NAME; see filing-repository.ts, staff-queries.ts, review-store.ts
// and filing-search-item.ts),
// the unit's copy of an access entry `ACCESS#<program>#<unit>` / `<at>#<n>`, and the
// anonymization record written here, `FILING#<id>` / `ANONYMIZED`.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FilingState } from '../domain/lifecycle.ts';
import type { StoredFiling } from '../ports/filings.ts';
import type { AnonymizationRecord, RetentionStore } from '../ports/retention.ts';
import type { DocumentOwners } from '../ports/stray-documents.ts';
import { bodyKey } from './filing-body-item.ts';
import { EVENT_PREFIX } from './filing-event-item.ts';
import { filingNameKey } from './filing-search-item.ts';
import { TABLE } from './table.ts';

const FILING_PK = 'FILING#';
const ACCESS_PREFIX = 'ACCESS#';
const FAILURE_PREFIX = 'FAILURE#';

export const anonymizationKey = (filingId: string) => ({
  pk: `${FILING_PK}${filingId}`,
  sk: 'ANONYMIZED' as const,
});

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export function createRetentionStore(doc: DynamoDBDocumentClient, tableName: string): RetentionStore {
  /** Sets one text attribute to the marker if the item is (still) there; true when written. */
  async function replaceText(
    key: { pk: string; sk: string },
    path: string[],
    marker: string,
    condition?: { filingId: string },
  ): Promise<boolean> {
    const names = Object.fromEntries(path.map((part, i) => [`#p${i}`, part]));
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${path.map((_, i) => `#p${i}`).join('.')} = :marker`,
          ConditionExpression: condition
            ? 'attribute_exists(pk) AND filingId = :filingId'
            : 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':marker': marker,
            ...(condition ? { ':filingId': condition.filingId } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    async *candidates({ programId }) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: `#sk = :body AND attribute_not_exists(#anonymizedAt)${
              programId ? ' AND #programId = :programId' : ''
            }`,
            ProjectionExpression: '#pk, #programId',
            ExpressionAttributeNames: {
              '#pk': 'pk',
              '#sk': 'sk',
              '#anonymizedAt': 'anonymizedAt',
              '#programId': 'programId',
            },
            ExpressionAttributeValues: { ':body': 'BODY', ...(programId ? { ':programId': programId } : {}) },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          yield { filingId: String(item.pk).slice(FILING_PK.length), programId: String(item.programId) };
        }
        start = out.LastEvaluatedKey;
      } while (start);
    },

    async latestState(filingId) {
      // Eventually consistent: a final state is final, so a stale read can only make a
      // filing look not due yet, never the other way round.
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ProjectionExpression: '#to, #version, #at, #detail.#erasure',
          ExpressionAttributeNames: {
            '#to': 'to',
            '#version': 'version',
            '#at': 'at',
            '#detail': 'detail',
            '#erasure': 'erasure',
          },
          ExpressionAttributeValues: { ':pk': `${FILING_PK}${filingId}`, ':prefix': EVENT_PREFIX },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = out.Items?.[0];
      if (!item) return undefined;
      return {
        state: item.to as FilingState,
        version: Number(item.version),
        at: String(item.at),
        ...(item.detail?.erasure ? { erasureRequested: true } : {}),
      };
    },

    async storedFiling(filingId) {
      const out = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: bodyKey(filingId),
          ProjectionExpression: '#filing, #anonymizedAt',
          ExpressionAttributeNames: { '#filing': 'filing', '#anonymizedAt': 'anonymizedAt' },
          ConsistentRead: true,
        }),
      );
      if (!out.Item || out.Item.anonymizedAt !== undefined) return undefined;
      return out.Item.filing as StoredFiling;
    },

    async redactTrail(filingId, marker) {
      const needs = (value: unknown) => typeof value === 'string' && value !== '' && value !== marker;
      let changed = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            // The small attributes only: the body (the one large item) is rewritten by seal().
            ProjectionExpression: 'pk, sk, #reason, #cause, #decided, #programId, #unit',
            ExpressionAttributeNames: {
              '#reason': 'reason',
              '#cause': 'cause',
              '#decided': 'decided',
              '#programId': 'programId',
              '#unit': 'unit',
            },
            ExpressionAttributeValues: { ':pk': `${FILING_PK}${filingId}` },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          const key = { pk: String(item.pk), sk: String(item.sk) };
          if (key.sk.startsWith(EVENT_PREFIX) && needs(item.reason)) {
            if (await replaceText(key, ['reason'], marker)) changed++;
          } else if (key.sk.startsWith(ACCESS_PREFIX) && needs(item.reason)) {
            // The unit's copy first: once the filing's copy carries the marker, both do.
            const unitCopy = {
              pk: `${ACCESS_PREFIX}${String(item.programId)}#${String(item.unit)}`,
              sk: key.sk.slice(ACCESS_PREFIX.length),
            };
            if (await replaceText(unitCopy, ['reason'], marker, { filingId })) changed++;
            if (await replaceText(key, ['reason'], marker)) changed++;
          } else if (key.sk.startsWith(FAILURE_PREFIX) && needs(item.cause)) {
            // An error's cause may quote an address a notice was sent to.
            if (await replaceText(key, ['cause'], marker)) changed++;
          } else if (key.sk === 'TASK' && needs((item.decided as { reason?: unknown } | undefined)?.reason)) {
            if (await replaceText(key, ['decided', 'reason'], marker)) changed++;
          }
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return changed;
    },

    async seal({ filing, record }: { filing: StoredFiling; record: AnonymizationRecord }) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: bodyKey(record.filingId),
                  // The ciphertext of the ID number and the keyed hashes (person, whole
                  // request) would let anyone holding the keys or the original filing find
                  // the person again: they go. Keys, unit, role and createdAt stay, so the
                  // filing keeps its place in the unit's list and in any recount. The search
                  // keys hold the enterprise's code and name, erased with the filing: they go
                  // too, with the FilingName item below.
                  UpdateExpression:
                    'SET #filing = :filing, #anonymizedAt = :at REMOVE #idCipher, #personKey, #requestHash, #qpk, #qsk',
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#anonymizedAt)',
                  ExpressionAttributeNames: {
                    '#filing': 'filing',
                    '#anonymizedAt': 'anonymizedAt',
                    '#idCipher': 'idCipher',
                    '#personKey': 'personKey',
                    '#requestHash': 'requestHash',
                    '#qpk': TABLE.indexes.filingSearch.partitionKey,
                    '#qsk': TABLE.indexes.filingSearch.sortKey,
                  },
                  ExpressionAttributeValues: { ':filing': filing, ':at': record.at },
                },
              },
              { Delete: { TableName: tableName, Key: filingNameKey(record.filingId) } },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...anonymizationKey(record.filingId), type: 'Anonymization', ...record },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        const codes =
          error instanceof TransactionCanceledException
            ? (error.CancellationReasons ?? []).map((r) => r.Code)
            : [];
        if (codes.includes('ConditionalCheckFailed')) return false;
        throw error;
      }
    },
  };
}

/** Keys per BatchGetItem (DynamoDB's limit). */
const BATCH_GET_KEYS = 100;

/**
 * The DocumentOwners port of the stray-document sweep: the bodies of the given filings,
 * projected to their attachment keys, 100 per BatchGetItem (unprocessed keys asked again after
 * a pause). Eventually consistent: the sweep only asks about documents two days old, long after
 * the body that names them was written. Charged by the body's size, projection or not: half a
 * read unit for a body under 4 KB.
 */
export function createDocumentOwners(doc: DynamoDBDocumentClient, tableName: string): DocumentOwners {
  return {
    async namedDocuments(filingIds) {
      const named = new Map<string, Set<string>>();
      for (let i = 0; i < filingIds.length; i += BATCH_GET_KEYS) {
        let keys: Record<string, unknown>[] = filingIds.slice(i, i + BATCH_GET_KEYS).map(bodyKey);
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt >= 8) {
            // Throttled throughout: the run fails and the scheduler's retry asks again.
            throw Object.assign(new Error(`${keys.length} filings not read (throttled)`), {
              name: 'ThrottlingException',
            });
          }
          if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2_000)));
          const out = await doc.send(
            new BatchGetCommand({
              RequestItems: {
                [tableName]: {
                  Keys: keys,
                  ProjectionExpression: '#filingId, #filing.#attachments',
                  ExpressionAttributeNames: {
                    '#filingId': 'filingId',
                    '#filing': 'filing',
                    '#attachments': 'attachments',
                  },
                },
              },
            }),
          );
          for (const item of out.Responses?.[tableName] ?? []) {
            const attachments = (item.filing as { attachments?: { key?: unknown }[] } | undefined)
              ?.attachments;
            named.set(
              String(item.filingId),
              new Set((attachments ?? []).flatMap((a) => (typeof a.key === 'string' ? [a.key] : []))),
            );
          }
          keys = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
        }
      }
      return named;
    },
  };
}
