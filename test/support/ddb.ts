// Test helpers for the integration suite: clients pointed at the run's DynamoDB Local, a
// fresh table per test file, and the repository wired with local keys.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { encryptionSdkCipher, localHasher, rawAesKeyring } from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { scanAllAt } from './scan.ts';

export function localClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
}

export async function freshTable(client = localClient()) {
  const tableName = `test-${randomBytes(6).toString('hex')}`;
  await ensureTable(client, tableName);
  const doc = createDocumentClient(client);
  const keys = { fieldKey: randomBytes(32), hmacKey: randomBytes(32) };
  const cipher = encryptionSdkCipher(rawAesKeyring(keys.fieldKey));
  const hasher = localHasher(keys.hmacKey);
  const repo = createFilingRepository({ doc, tableName, cipher, hasher });
  return { client, doc, tableName, repo, cipher, hasher };
}

/** Every item of a table (tests only: request paths never scan). */
export const scanAll = scanAllAt;
