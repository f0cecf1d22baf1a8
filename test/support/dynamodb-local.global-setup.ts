// Vitest global setup of the integration suite: one DynamoDB Local per run, on a free
// loopback port, in memory, stopped when the run ends (the watchdog in startDynamoDbLocal
// also kills it if this process dies without running teardown); and one local S3 (s3rver,
// in this process) with the attachment bucket in a temporary folder, removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { type LocalS3, startLocalS3 } from '#infra/local/s3-local.ts';
import { ATTACHMENT_BUCKET } from '#shared/data/attachment-bucket.ts';

let ddb: DynamoDbLocal | undefined;
let s3: LocalS3 | undefined;
let s3Dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  s3Dir = mkdtempSync(join(tmpdir(), 'integration-s3-'));
  [ddb, s3] = await Promise.all([
    startDynamoDbLocal(),
    startLocalS3({
      directory: s3Dir,
      bucket: ATTACHMENT_BUCKET.localName,
      origins: ['https://site.example'],
    }),
  ]);
  project.provide('dynamodbEndpoint', ddb.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('attachmentsBucket', s3.bucket);
}

export async function teardown(): Promise<void> {
  await Promise.all([ddb?.stop(), s3?.stop()]);
  if (s3Dir) rmSync(s3Dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    s3Endpoint: string;
    attachmentsBucket: string;
  }
}
