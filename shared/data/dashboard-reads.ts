// DynamoDB adapter of the DashboardReads port. Every read names its key: a filing's latest
// event (`FILING#<id>`, `sk begins_with EVENT#`, newest first, limit 1, three attributes), its
// failures and restarts (`FILING#<id>`, `begins_with FAILURE#` / `RESUME#`, Select COUNT), and
// a unit's entries on the sparse awaitingBatch index (Select COUNT, keys only). Nothing scans.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Action, FilingState } from '../domain/lifecycle.ts';
import type { DashboardReads } from '../ports/dashboard.ts';
import { EVENT_PREFIX } from './filing-event-item.ts';
import { RESUME_PREFIX } from './review-resume-item.ts';
import { awaitingPartition } from './review-store.ts';
import { TABLE } from './table.ts';

const FAILURE_PREFIX = 'FAILURE#';
const AWAITING = TABLE.indexes.awaitingBatch;

export function createDashboardReads(doc: DynamoDBDocumentClient, tableName: string): DashboardReads {
  /** Items of a filing's partition under a prefix, counted (every page: Select COUNT pages too). */
  async function countPrefix(filingId: string, prefix: string): Promise<number> {
    let n = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':p': prefix },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      n += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return n;
  }

  return {
    async latestEvent(filingId) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':p': EVENT_PREFIX },
          ExpressionAttributeNames: { '#to': 'to', '#action': 'action', '#at': 'at' },
          ProjectionExpression: '#to, #action, #at',
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = out.Items?.[0];
      if (!item) return undefined;
      return { state: item.to as FilingState, action: item.action as Action, at: String(item.at) };
    },

    async failureCounts(filingId) {
      const [failures, resumes] = await Promise.all([
        countPrefix(filingId, FAILURE_PREFIX),
        countPrefix(filingId, RESUME_PREFIX),
      ]);
      return { failures, resumes };
    },

    async awaitingBatch(programId, unit) {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: AWAITING.name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': AWAITING.partitionKey },
            ExpressionAttributeValues: { ':pk': awaitingPartition(programId, unit) },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        n += out.Count ?? 0;
        start = out.LastEvaluatedKey;
      } while (start);
      return n;
    },
  };
}
