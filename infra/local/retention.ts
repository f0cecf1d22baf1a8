// `node infra/local/retention.ts --endpoint <DynamoDB Local> --s3-endpoint <local S3>
//    [--program <id>] [--now 2030-01-01] [--limit <n>] [--dry-run]`
// Runs the retention purge of the daily schedule (functions/schedules/retention.ts) against
// the running local runtime's table and attachment bucket, measured to `--now` (default: now),
// so that what a future run would anonymize can be seen today, and then its sweep of documents
// no stored filing names (older than two days at `--now`); `--dry-run` only counts.
//
// `npm start` gives DynamoDB Local and s3rver free ports and prints them ("DynamoDB Local
// http://127.0.0.1:…", "S3 (s3rver) http://127.0.0.1:…"): pass those. Started on fixed ports
// (`DYNAMODB_PORT=8000 S3_PORT=4569 npm start`), the same variables given to this command
// (or DYNAMODB_ENDPOINT, as start.ts reads it) are enough.
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { s3AttachmentStore } from '#shared/adapters/s3-attachments.ts';
import { ATTACHMENT_BUCKET } from '#shared/data/attachment-bucket.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { createDocumentOwners, createRetentionStore } from '#shared/data/retention-store.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { purgeExpired } from '#shared/use-cases/retention/anonymize.ts';
import { sweepStrayDocuments } from '#shared/use-cases/retention/stray-documents.ts';
import { LOCAL_S3_CREDENTIALS, localS3Client } from './s3-local.ts';

/** The table `npm start` creates (infra/local/start.ts). */
const LOCAL_TABLE = 'standards-officer-local';
const usage =
  'usage: node infra/local/retention.ts --endpoint <DynamoDB Local URL> --s3-endpoint <S3 URL> [--program <id>] [--now <ISO date>] [--limit <n>] [--dry-run]';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    's3-endpoint': { type: 'string' },
    program: { type: 'string' },
    now: { type: 'string' },
    limit: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    table: { type: 'string', default: LOCAL_TABLE },
    bucket: { type: 'string', default: ATTACHMENT_BUCKET.localName },
  },
});

const env = process.env;
const portUrl = (port: string | undefined) => (port ? `http://127.0.0.1:${port}` : undefined);
const endpoint = values.endpoint ?? env.DYNAMODB_ENDPOINT ?? portUrl(env.DYNAMODB_PORT);
const s3Endpoint = values['s3-endpoint'] ?? portUrl(env.S3_PORT);

const now = values.now === undefined ? new Date() : new Date(values.now);
if (Number.isNaN(now.getTime())) fail(`--now is not a date: ${values.now}\n${usage}`);
const limit = values.limit === undefined ? undefined : Number(values.limit);
if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
  fail(`--limit must be a positive integer\n${usage}`);
if (values.program !== undefined && !PROGRAMS.some((p) => p.id === values.program)) {
  fail(`unknown programme ${values.program} (known: ${PROGRAMS.map((p) => p.id).join(', ')})`);
}

/** What went wrong, in a word: a connection error's code (ECONNREFUSED) or the error's name. */
const reasonOf = (error: unknown) => (error as { code?: string }).code ?? (error as Error).name;

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

if (!endpoint || !s3Endpoint) {
  const site = `http://127.0.0.1:${env.PORT ?? 3000}`;
  const running = await answers(`${site}/_local/schedules.json`);
  fail(
    running
      ? `The local runtime answers at ${site}, but its DynamoDB Local and S3 ports are chosen when it starts.\n` +
          'Pass the addresses `npm start` printed (lines "DynamoDB Local" and "S3 (s3rver)").\n' +
          usage
      : `The local runtime is not running (nothing answers at ${site}). Start it with \`npm start\`, then pass\n` +
          'the DynamoDB Local and S3 addresses it prints.\n' +
          usage,
  );
}

const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: LOCAL_S3_CREDENTIALS,
});
try {
  await client.send(new DescribeTableCommand({ TableName: values.table }));
} catch (error) {
  const name = reasonOf(error);
  fail(
    name === 'ResourceNotFoundException'
      ? `DynamoDB at ${endpoint} has no table ${values.table}: is this the local runtime's DynamoDB Local?`
      : `Nothing usable answers at ${endpoint} (${name}): the local runtime is not running, or this is not the DynamoDB Local address it printed.`,
    1,
  );
}
const s3 = localS3Client(s3Endpoint);
try {
  await s3.send(new HeadBucketCommand({ Bucket: values.bucket }));
} catch (error) {
  fail(
    `The local S3 at ${s3Endpoint} has no bucket ${values.bucket}, or is not running (${reasonOf(error)}).`,
    1,
  );
}

const doc = createDocumentClient(client);
const attachments = s3AttachmentStore(s3, values.bucket);
const summary = await purgeExpired(
  { store: createRetentionStore(doc, values.table), attachments },
  {
    now,
    ...(values.program ? { programId: values.program } : {}),
    ...(limit ? { limit } : {}),
    dryRun: values['dry-run'],
  },
);
const strayDocuments = await sweepStrayDocuments(
  { inventory: attachments, owners: createDocumentOwners(doc, values.table) },
  { now, dryRun: values['dry-run'] },
);
console.log(JSON.stringify({ now: now.toISOString(), ...summary, strayDocuments }, null, 2));
process.exit(summary.failed > 0 ? 1 : 0);
