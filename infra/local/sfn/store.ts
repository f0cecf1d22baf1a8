// Persistence of the local Step Functions engine, so that waiting executions survive a restart
// of `npm start`: a table of its own beside the application table, on the same DynamoDB, so
// that the application table holds application data only (what an operator scans, what tests
// compare). Local only: the cloud runs on AWS Step Functions.
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { EngineStore, ExecutionRecord, PendingTask } from './engine.ts';

/** The partition every engine item lives in (in the application table before it had its own). */
const PK = 'LOCALSFN';

export const LOCAL_SFN_TABLE_SUFFIX = '-local-sfn';

/** The engine's table for an application table. */
export const localSfnTableName = (appTable: string) => `${appTable}${LOCAL_SFN_TABLE_SUFFIX}`;

type Item = Record<string, unknown>;

/** A projection and a filter on the items read (their names and values join the key's). */
interface QueryNarrowing {
  ProjectionExpression: string;
  FilterExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

async function queryAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  prefix = '',
  narrowing?: QueryNarrowing,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
        ...narrowing,
        ExpressionAttributeValues: {
          ...(prefix ? { ':pk': PK, ':p': prefix } : { ':pk': PK }),
          ...narrowing?.ExpressionAttributeValues,
        },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Writes (puts or deletes) in batches of 25, until DynamoDB has taken every one. */
async function batchWrite(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string],
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let batch = requests.slice(i, i + 25);
    for (let attempt = 0; batch.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
      batch = out.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/**
 * Creates the engine's table if it is missing (on-demand, string keys pk and sk) and moves into
 * it the engine items a data directory from before kept in the application table: copied
 * first, then deleted, so that a process stopped half-way loses nothing and the next start
 * finishes the move. Returns how many items were moved.
 */
export async function prepareEngineTable(
  doc: DynamoDBDocumentClient,
  appTable: string,
  tableName = localSfnTableName(appTable),
): Promise<number> {
  try {
    await doc.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await doc.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
    } catch (created) {
      // Created meanwhile by another process on the same DynamoDB.
      if (!(created instanceof ResourceInUseException)) throw created;
    }
  }
  const old = await queryAll(doc, appTable);
  if (old.length === 0) return 0;
  // The copy in the application table is the last one the engine wrote: it wins over a copy
  // left by a move that stopped before its deletes.
  await batchWrite(
    doc,
    tableName,
    old.map((Item) => ({ PutRequest: { Item } })),
  );
  await batchWrite(
    doc,
    appTable,
    old.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
  );
  return old.length;
}

export function dynamoEngineStore(doc: DynamoDBDocumentClient, tableName: string): EngineStore {
  const strip = <T>(item: Item): T => {
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
      return (await queryAll(doc, tableName, 'EXEC#')).map((i) => strip<ExecutionRecord>(i));
    },
    async listRunning() {
      // Only the fields the settled check needs: an execution's history is most of its item.
      const items = await queryAll(doc, tableName, 'EXEC#', {
        ProjectionExpression: 'executionArn, stateName',
        FilterExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING' },
      });
      return items.map((i) => ({
        executionArn: String(i.executionArn),
        ...(i.stateName ? { stateName: String(i.stateName) } : {}),
      }));
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
      return (await queryAll(doc, tableName, 'TASK#')).map((i) => strip<PendingTask>(i));
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
