// Vitest global setup of the integration suite: one DynamoDB Local per run, on a free
// loopback port, in memory, stopped when the run ends (the watchdog in startDynamoDbLocal
// also kills it if this process dies without running teardown).
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';

let ddb: DynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  ddb = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', ddb.endpoint);
}

export async function teardown(): Promise<void> {
  await ddb?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
