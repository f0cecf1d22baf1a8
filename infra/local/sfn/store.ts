// Persistence of the local Step Functions engine in the local table (partition LOCALSFN),
// so that waiting executions survive a restart of `npm start`. Local only: the cloud runs
// on AWS Step Functions.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EngineStore, ExecutionRecord, PendingTask } from './engine.ts';

const PK = 'LOCALSFN';

export function dynamoEngineStore(doc: DynamoDBDocumentClient, tableName: string): EngineStore {
  async function query(prefix: string) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': PK, ':p': prefix },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
  const strip = <T>(item: Record<string, unknown>): T => {
    const { pk: _pk, sk: _sk, ...rest } = item;
    return rest as T;
  };
  return {
    async putExecution(record: ExecutionRecord) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: PK, sk: `EXEC#${record.executionArn}`, ...record },
        }),
      );
    },
    async getExecution(arn) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: PK, sk: `EXEC#${arn}` }, ConsistentRead: true }),
      );
      return out.Item ? strip<ExecutionRecord>(out.Item) : undefined;
    },
    async listExecutions() {
      return (await query('EXEC#')).map((i) => strip<ExecutionRecord>(i));
    },
    async putTask(task: PendingTask) {
      await doc.send(
        new PutCommand({ TableName: tableName, Item: { pk: PK, sk: `TASK#${task.token}`, ...task } }),
      );
    },
    async getTask(token) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: PK, sk: `TASK#${token}` }, ConsistentRead: true }),
      );
      return out.Item ? strip<PendingTask>(out.Item) : undefined;
    },
    async deleteTask(token) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: PK, sk: `TASK#${token}` } }));
    },
    async markInvoked(token) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: PK, sk: `TASK#${token}` },
            UpdateExpression: 'SET invoked = :t',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':t': true },
          }),
        );
      } catch (error) {
        // Answered (and deleted) meanwhile: nothing to mark.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    async listTasks() {
      return (await query('TASK#')).map((i) => strip<PendingTask>(i));
    },
    async getClockOffset() {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: PK, sk: 'CLOCK' }, ConsistentRead: true }),
      );
      return Number(out.Item?.offset ?? 0);
    },
    async setClockOffset(ms) {
      await doc.send(new PutCommand({ TableName: tableName, Item: { pk: PK, sk: 'CLOCK', offset: ms } }));
    },
  };
}
