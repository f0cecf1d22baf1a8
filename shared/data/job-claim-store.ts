// The JobClaims port on the table (items of shared/data/job-claim-item.ts). Every write is
// conditional: a claim is taken only when absent or when a claimed one's lease has ended, and
// it is marked done or given back only by the run that holds it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, JobClaimKey, JobClaims } from '../ports/job-claims.ts';
import { type JobClaimItem, jobClaimKey, toJobClaimItem } from './job-claim-item.ts';

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';

export function createJobClaimStore(doc: DynamoDBDocumentClient, tableName: string): JobClaims {
  const keyOf = (key: JobClaimKey) => jobClaimKey(key.job, key.period, key.part);
  return {
    async claim(key, runId, at): Promise<ClaimOutcome> {
      try {
        const put = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: toJobClaimItem(key, runId, at),
            ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claimed': 'claimed', ':now': at.getTime() },
            ReturnValues: 'ALL_OLD',
          }),
        );
        return { status: 'claimed', runId, takenOver: put.Attributes !== undefined };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }),
      );
      const held = Item as JobClaimItem | undefined;
      if (held?.state === 'done') return { status: 'done', doneAt: held.doneAt ?? held.claimedAt };
      if (held) return { status: 'running', leaseUntil: new Date(held.leaseUntil).toISOString() };
      // Given back between the put and the read: the caller's run may try again later.
      return { status: 'running', leaseUntil: at.toISOString() };
    },

    async complete(key, runId, at) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'SET #state = :done, doneAt = :at',
            ConditionExpression: '#state = :claimed AND runId = :run',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':done': 'done',
              ':claimed': 'claimed',
              ':at': at.toISOString(),
              ':run': runId,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async release(key, runId) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keyOf(key),
            ConditionExpression: '#state = :claimed AND runId = :run',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claimed': 'claimed', ':run': runId },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
