// `npm start`: the local runtime. Starts DynamoDB Local with its data under .local/ (kept
// between runs), creates the table from the shared definition, creates the local key file
// on first run, prints what it serves, and stops everything on Ctrl-C or SIGTERM.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { loadOrCreateLocalKeys } from '#shared/data/field-crypto.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const localDir = join(root, '.local');
const dataDir = join(localDir, 'dynamodb');
export const LOCAL_TABLE = 'standards-officer-local';

if (process.argv.includes('--reset')) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
loadOrCreateLocalKeys(join(localDir, 'keys.json'));

const ddb = await startDynamoDbLocal({ dataDir, port: Number(process.env.DYNAMODB_PORT ?? 0) || undefined });
const client = new DynamoDBClient({
  endpoint: ddb.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const table = await ensureTable(client, LOCAL_TABLE);

console.log(`DynamoDB Local  ${ddb.endpoint}  (data: ${dataDir})`);
console.log(`table           ${LOCAL_TABLE} (${table})`);
console.log(
  `environment     AWS_ENDPOINT_URL_DYNAMODB=${ddb.endpoint} TABLE_NAME=${LOCAL_TABLE} LOCAL_KEY_FILE=${join(localDir, 'keys.json')}`,
);
console.log('Ctrl-C stops everything.');

const stop = async () => {
  await ddb.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
