// DynamoDB adapter of the ReviewStore port. Item types, each small:
//   FILING#<id> / TASK        the wait a filing is in (token, deadline, first decision, batch);
//                             a province task not yet batched nor decided carries the keys of
//                             the sparse awaitingBatch index (gsi2pk, gsi2sk)
//   LINK#<sha256> / LINK      a review link (only the hash of its token), with a TTL
//   BATCH#<id> / BATCH        a city summary batch (附件2) sent to the province
// Decisions are conditional writes: the first one for a stage and round wins.
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.ts';
import type { Batch, Decision, ReviewLink, ReviewStore, ReviewTask } from '../ports/reviews.ts';
import { TABLE } from './table.ts';

const taskKey = (filingId: string) => ({ pk: `FILING#${filingId}`, sk: 'TASK' });
const linkKey = (tokenHash: string) => ({ pk: `LINK#${tokenHash}`, sk: 'LINK' });
const batchKey = (batchId: string) => ({ pk: `BATCH#${batchId}`, sk: 'BATCH' });

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, type: _type, expiresAt: _ttl, gsi2pk: _qpk, gsi2sk: _qsk, ...rest } = item;
  return rest as T;
}

const AWAITING = TABLE.indexes.awaitingBatch;
export const awaitingPartition = (programId: string, unit: string) => `PROGRAM#${programId}#UNIT#${unit}`;

/** The awaitingBatch index keys of a task that waits for its city's batch; none otherwise. */
function awaitingKeys(task: ReviewTask): Record<string, string> {
  if (task.stage !== 'province' || task.batchId || task.decided) return {};
  return {
    [AWAITING.partitionKey]: awaitingPartition(task.programId, task.unit),
    [AWAITING.sortKey]: task.filingId,
  };
}

/** Taken off the awaitingBatch index, in the same update that batches or decides the task. */
const LEAVE_AWAITING = `REMOVE ${AWAITING.partitionKey}, ${AWAITING.sortKey}`;

/** Tasks marked with their batch at once. */
const MARKS_AT_ONCE = 10;

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export function createReviewStore(doc: DynamoDBDocumentClient, tableName: string): ReviewStore {
  async function getTask(filingId: string): Promise<ReviewTask | undefined> {
    const out = await doc.send(
      new GetCommand({ TableName: tableName, Key: taskKey(filingId), ConsistentRead: true }),
    );
    return out.Item ? strip<ReviewTask>(out.Item) : undefined;
  }

  return {
    getTask,

    async openTask(task) {
      try {
        // A new stage or round replaces the task; a re-entry after a reminder keeps its decision
        // (a decision that raced the reminder is then delivered by the caller).
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...taskKey(task.filingId), type: 'ReviewTask', ...task, ...awaitingKeys(task) },
            ConditionExpression: 'attribute_not_exists(pk) OR seq <> :seq OR attribute_not_exists(decided)',
            ExpressionAttributeValues: { ':seq': task.seq },
          }),
        );
        return task;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const stored = await getTask(task.filingId);
        if (!stored) throw error;
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: taskKey(task.filingId),
            UpdateExpression: 'SET taskToken = :t, deadline = :d',
            ExpressionAttributeValues: { ':t': task.taskToken, ':d': task.deadline },
          }),
        );
        return { ...stored, taskToken: task.taskToken, deadline: task.deadline };
      }
    },

    async decide(filingId, seq, decision: Decision) {
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: taskKey(filingId),
            UpdateExpression: `SET decided = :d ${LEAVE_AWAITING}`,
            ConditionExpression: 'attribute_exists(pk) AND seq = :seq AND attribute_not_exists(decided)',
            ExpressionAttributeValues: { ':d': decision, ':seq': seq },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return strip<ReviewTask>(out.Attributes ?? {});
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const stored = await getTask(filingId);
        if (stored?.seq === seq && stored.decided) {
          throw new ConflictError('already_decided', { zh: '该事项已有处理结果', en: 'already decided' });
        }
        throw new ConflictError('stale_link', {
          zh: '该链接对应的审核环节已结束',
          en: 'this review step is over',
        });
      }
    },

    async expire(filingId, seq) {
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: taskKey(filingId),
            UpdateExpression: 'SET expired = :t',
            ConditionExpression: 'seq = :seq AND attribute_not_exists(decided)',
            ExpressionAttributeValues: { ':t': true, ':seq': seq },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    },

    async putLink(link: ReviewLink) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...linkKey(link.tokenHash),
            type: 'ReviewLink',
            ...link,
            // The table's TTL attribute is `expiresAt` (epoch seconds): the link's own expiry is
            // kept as `validUntil`, and the item disappears a day after it.
            validUntil: link.expiresAt,
            [TABLE.ttlAttribute]: Math.floor(Date.parse(link.expiresAt) / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getLink(tokenHash) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: linkKey(tokenHash), ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      const { [TABLE.ttlAttribute]: _ttl, validUntil, ...item } = out.Item;
      return { ...strip<Omit<ReviewLink, 'expiresAt'>>(item), expiresAt: String(validUntil) };
    },

    async pendingForBatch(programId, unit) {
      // The unit's province tasks on the sparse awaitingBatch index (keys only, eventually
      // consistent), then the tasks themselves read consistently: one batched or decided since
      // the index was read is left out.
      const ids: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: AWAITING.name,
            KeyConditionExpression: `${AWAITING.partitionKey} = :pk`,
            ExpressionAttributeValues: { ':pk': awaitingPartition(programId, unit) },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) ids.push(String(item.pk).replace('FILING#', ''));
        start = out.LastEvaluatedKey;
      } while (start);
      const tasks: ReviewTask[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        let keys: Record<string, unknown>[] = ids.slice(i, i + 100).map(taskKey);
        while (keys.length > 0) {
          const out = await doc.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of out.Responses?.[tableName] ?? []) tasks.push(strip<ReviewTask>(item));
          keys = (out.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        }
      }
      return tasks
        .filter((t) => t.stage === 'province' && !t.batchId && !t.decided && t.unit === unit)
        .sort((a, b) => a.filingId.localeCompare(b.filingId));
    },

    async leaveBatchQueue(filingId) {
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: taskKey(filingId),
            UpdateExpression: LEAVE_AWAITING,
            ConditionExpression: 'attribute_exists(pk)',
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    },

    async createBatch(batch: Batch) {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...batchKey(batch.batchId), type: 'Batch', ...batch },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // A retry of the same batch goes on to mark the rest of its tasks; another batch under
        // the same id is a real conflict.
        if (!isConditionFailure(error)) throw error;
        const existing = await doc.send(
          new GetCommand({ TableName: tableName, Key: batchKey(batch.batchId), ConsistentRead: true }),
        );
        if (JSON.stringify(existing.Item?.filingIds) !== JSON.stringify(batch.filingIds)) throw error;
      }
      // Idempotent per task: a retry after a crash marks the rest; a task already batched is left
      // alone. Ten at a time: one after another, a city's batch of hundreds took a round trip each.
      const mark = (filingId: string) =>
        doc
          .send(
            new UpdateCommand({
              TableName: tableName,
              Key: taskKey(filingId),
              UpdateExpression: `SET batchId = :b ${LEAVE_AWAITING}`,
              ConditionExpression: 'stage = :s AND (attribute_not_exists(batchId) OR batchId = :b)',
              ExpressionAttributeValues: { ':b': batch.batchId, ':s': 'province' },
            }),
          )
          .catch((error: unknown) => {
            if (!isConditionFailure(error)) throw error;
          });
      for (let i = 0; i < batch.filingIds.length; i += MARKS_AT_ONCE) {
        await Promise.all(batch.filingIds.slice(i, i + MARKS_AT_ONCE).map(mark));
      }
    },

    async getBatch(batchId) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: batchKey(batchId), ConsistentRead: true }),
      );
      return out.Item ? strip<Batch>(out.Item) : undefined;
    },
  };
}
