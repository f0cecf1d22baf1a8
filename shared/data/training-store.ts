// The TrainingStore port on DynamoDB. A programme's batches are one partition
// (`TRAINING#<programme>` / `BATCH#<batchId>`, ids start with the first day, so a Query lists
// them by date); each pass is an item under the person (`TRAINEE#<programme>#<keyed hash>` /
// `CERT#<certificate number>`), so the match at submission is one Query of that person's passes.
// No name and no ID number is written: the keyed hash and the certificate number only.
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TrainingBatch, TrainingPass } from '../domain/training.ts';
import { passKey, type TrainingStore } from '../ports/training.ts';

const batchKey = (programId: string, batchId: string) => ({
  pk: `TRAINING#${programId}`,
  sk: `BATCH#${batchId}`,
});
const passItemKey = (programId: string, person: string, certificateNumber: string) => ({
  pk: `TRAINEE#${programId}#${person}`,
  sk: `CERT#${certificateNumber}`,
});

const batchOf = (item: Record<string, unknown>): TrainingBatch => {
  const { pk: _pk, sk: _sk, type: _type, ...batch } = item;
  return batch as unknown as TrainingBatch;
};
const passOf = (item: Record<string, unknown>): TrainingPass => ({
  person: item.person as string,
  certificateNumber: item.certificateNumber as string,
  batchId: item.batchId as string,
  course: item.course as string,
  organizer: item.organizer as string,
  passedOn: item.passedOn as string,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one batch request again with what DynamoDB left unprocessed, backing off, until none is left. */
async function untilProcessed<T>(send: (pending: T) => Promise<T | undefined>, first: T): Promise<void> {
  let pending: T | undefined = first;
  for (let attempt = 0; pending !== undefined; attempt++) {
    if (attempt > 0) await sleep(Math.min(1000, 20 * 2 ** attempt) * Math.random());
    if (attempt > 12) throw new Error('DynamoDB kept leaving items unprocessed');
    pending = await send(pending);
  }
}

export function createTrainingStore(doc: DynamoDBDocumentClient, tableName: string): TrainingStore {
  return {
    async putBatch(batch) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...batchKey(batch.programId, batch.batchId), type: 'TrainingBatch', ...batch },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getBatch(programId, batchId) {
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: batchKey(programId, batchId), ConsistentRead: true }),
      );
      return out.Item ? batchOf(out.Item) : undefined;
    },

    async listBatches(programId) {
      const batches: TrainingBatch[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :batch)',
            ExpressionAttributeValues: { ':pk': `TRAINING#${programId}`, ':batch': 'BATCH#' },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of out.Items ?? []) batches.push(batchOf(item));
        start = out.LastEvaluatedKey;
      } while (start);
      return batches;
    },

    async findPasses(programId, keys) {
      const found = new Map<string, TrainingPass>();
      const unique = [...new Map(keys.map((k) => [passKey(k.person, k.certificateNumber), k])).values()];
      for (let i = 0; i < unique.length; i += 100) {
        const chunk = unique
          .slice(i, i + 100)
          .map((k) => passItemKey(programId, k.person, k.certificateNumber));
        await untilProcessed(async (pending: Record<string, unknown>[]) => {
          const out = await doc.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of out.Responses?.[tableName] ?? []) {
            const pass = passOf(item);
            found.set(passKey(pass.person, pass.certificateNumber), pass);
          }
          const left = out.UnprocessedKeys?.[tableName]?.Keys;
          return left && left.length > 0 ? (left as Record<string, unknown>[]) : undefined;
        }, chunk);
      }
      return found;
    },

    async putPasses(programId, passes) {
      for (let i = 0; i < passes.length; i += 25) {
        const requests = passes.slice(i, i + 25).map((p) => ({
          PutRequest: {
            Item: { ...passItemKey(programId, p.person, p.certificateNumber), type: 'TrainingPass', ...p },
          },
        }));
        await untilProcessed(async (pending: typeof requests) => {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          const left = out.UnprocessedItems?.[tableName];
          return left && left.length > 0 ? (left as typeof requests) : undefined;
        }, requests);
      }
    },

    async passesOf(programId, person) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TRAINEE#${programId}#${person}` },
          // A person passes a handful of courses at most.
          Limit: 50,
        }),
      );
      return (out.Items ?? []).map(passOf);
    },

    async addToBatchCount(programId, batchId, added) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: batchKey(programId, batchId),
          UpdateExpression: 'ADD passes :n',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':n': added },
        }),
      );
    },
  };
}
