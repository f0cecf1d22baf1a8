// `npm start`: the local runtime, one process tree, no credentials, no internet.
// This supervisor starts DynamoDB Local (data under .local/, kept between runs), creates or
// migrates the table from the shared definition, runs the local S3 (s3rver, in this process,
// objects under .local/s3) with the attachment bucket, builds the static site, and runs the HTTP
// side (server.ts) as a child that it restarts when handler or shared code changes, without
// restarting DynamoDB Local. Ctrl-C or SIGTERM stops everything, Java included; if this
// process dies, its watchdogs stop DynamoDB Local and the child exits.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, rmSync, watch } from 'node:fs';
import type { Server } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ALERT_CONSOLE_URL_ENV,
  ALERT_EMAIL_ENV,
  ALLOWED_ORIGINS_ENV,
  ATTACHMENTS_BUCKET_ENV,
  FILING_WORKFLOW_ARN_ENV,
  LOCAL_KEY_FILE_ENV,
  MAIL_FROM_ENV,
  MAIL_TRANSPORT_ENV,
  OUTBOX_DIR_ENV,
  POWERTOOLS_SERVICE_NAME_ENV,
  PUBLIC_API_URL_ENV,
  PUBLIC_SITE_URL_ENV,
  REPORTS_BUCKET_ENV,
  TABLE_NAME_ENV,
} from '#shared/config/env.ts';
import { ATTACHMENT_BUCKET } from '#shared/data/attachment-bucket.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { loadOrCreateLocalKeys } from '#shared/data/field-crypto.ts';
import { STATE_MACHINES } from '#workflows/functions.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import {
  LOCAL_REPORTS_BUCKET,
  LOCAL_S3_CREDENTIALS,
  localS3Client,
  startLocalS3,
  sweepUploads,
} from './s3-local.ts';
import { localStateMachineArn } from './sfn/local-workflows.ts';
import { buildLocalSite } from './site.ts';
import { bindLoopback, SOCKET_HANDOFF_ENV, type SocketName } from './sockets.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const localDir = resolve(process.env.LOCAL_DIR ?? join(root, '.local'));
const dataDir = join(localDir, 'dynamodb');
const s3Dir = join(localDir, 's3');
const keyFile = join(localDir, 'keys.json');
const tableName = 'standards-officer-local';
const watchFiles = !process.argv.includes('--no-watch');

const outboxDir = join(localDir, 'outbox');
if (process.argv.includes('--reset')) {
  // Everything the runtime keeps: the table, the objects and the mails (which hold live links).
  for (const dir of [dataDir, s3Dir, outboxDir]) rmSync(dir, { recursive: true, force: true });
}
mkdirSync(dataDir, { recursive: true });
loadOrCreateLocalKeys(keyFile);

// DYNAMODB_ENDPOINT points the runtime at a DynamoDB that is already running (a benchmark's
// metering proxy, another local instance); otherwise DynamoDB Local is started here.
const external = process.env.DYNAMODB_ENDPOINT;
const ddb = external
  ? { endpoint: external, stop: async () => undefined }
  : await startDynamoDbLocal({ dataDir, port: Number(process.env.DYNAMODB_PORT ?? 0) || undefined });
const table = await ensureTable(
  new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
  tableName,
);
// The API's socket and the workflow engine's are bound here, before anything needs their ports
// (origins, links, the engine endpoint), and handed to the HTTP child; PORT=0 takes a free port.
const workflowsOn = process.env.LOCAL_WORKFLOWS !== 'off';
const sockets: Partial<Record<SocketName, { server?: Server; port: number }>> = {
  http: await bindLoopback(Number(process.env.PORT ?? 3000)),
  ...(workflowsOn ? { sfn: await bindLoopback(Number(process.env.SFN_PORT ?? 0)) } : {}),
};
const port = sockets.http?.port ?? 0;
const sfnPort = sockets.sfn?.port ?? 0;
const origin = `http://127.0.0.1:${port}`;
const allowedOrigins = process.env[ALLOWED_ORIGINS_ENV] ?? `${origin},http://localhost:${port}`;
// The attachment bucket: the site's origins may POST uploads to it.
const s3 = await startLocalS3({
  directory: s3Dir,
  bucket: ATTACHMENT_BUCKET.localName,
  origins: allowedOrigins.split(',').map((o) => o.trim()),
  port: Number(process.env.S3_PORT ?? 0) || undefined,
  otherBuckets: [LOCAL_REPORTS_BUCKET],
});
// The lifecycle rule's local stand-in: uploads no filing took are deleted after a day.
const sweep = () =>
  sweepUploads(localS3Client(s3.endpoint), s3.bucket).catch((error: Error) =>
    console.error(`upload sweep failed: ${error.message}`),
  );
void sweep();
setInterval(sweep, 3_600_000).unref();
// The site uploads to the local S3 on another loopback port (in the cloud: https, already allowed).
const buildServedSite = () => buildLocalSite({ connectSrc: ['http://127.0.0.1:*'] });
await buildServedSite();

const childEnv = {
  ...process.env,
  AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  [ATTACHMENTS_BUCKET_ENV]: s3.bucket,
  [REPORTS_BUCKET_ENV]: LOCAL_REPORTS_BUCKET,
  [TABLE_NAME_ENV]: tableName,
  [LOCAL_KEY_FILE_ENV]: keyFile,
  [ALLOWED_ORIGINS_ENV]: allowedOrigins,
  [POWERTOOLS_SERVICE_NAME_ENV]: 'standards-officer-local',
  // The workflow engine (in the server process) and how handlers reach it. LOCAL_WORKFLOWS=off
  // runs the API alone (filings stay `submitted`), as a benchmark of the API's own overhead does.
  ...(!workflowsOn
    ? {}
    : {
        SFN_PORT: String(sfnPort),
        AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${sfnPort}`,
        [FILING_WORKFLOW_ARN_ENV]: localStateMachineArn('FilingWorkflow'),
      }),
  [PUBLIC_API_URL_ENV]: process.env[PUBLIC_API_URL_ENV] ?? origin,
  [PUBLIC_SITE_URL_ENV]: process.env[PUBLIC_SITE_URL_ENV] ?? origin,
  // Mail goes to the outbox unless a relay is named (MAIL_TRANSPORT=smtp with SMTP_URL, as the
  // mail-outage soak does with a relay of its own).
  [MAIL_TRANSPORT_ENV]: process.env[MAIL_TRANSPORT_ENV] ?? 'outbox',
  [OUTBOX_DIR_ENV]: outboxDir,
  [MAIL_FROM_ENV]: process.env[MAIL_FROM_ENV] ?? '标准化人才备案（本地） <noreply@local.test>',
  [ALERT_EMAIL_ENV]: process.env[ALERT_EMAIL_ENV] ?? 'ops@local.test',
  [ALERT_CONSOLE_URL_ENV]: `${process.env[PUBLIC_API_URL_ENV] ?? origin}/_local/executions`,
  PORT: String(port),
  [SOCKET_HANDOFF_ENV]: '1',
  // The server verifies staff tokens with the local key set kept here (npm run token issues them).
  LOCAL_DIR: localDir,
};

let child: ChildProcess | undefined;
let stopping = false;

async function startServer(): Promise<number> {
  // A restarted child gets the same ports: the previous child closed them when it exited.
  for (const socket of Object.values(sockets)) socket.server ??= (await bindLoopback(socket.port)).server;
  return new Promise((resolveStart, reject) => {
    const started = Date.now();
    const proc = fork(join(root, 'infra/local/server.ts'), [], { env: childEnv, stdio: 'inherit' });
    child = proc;
    let listening = false;
    proc.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'ready-for-sockets') {
        for (const [name, socket] of Object.entries(sockets))
          proc.send({ type: 'socket', name }, socket.server);
      } else if (message.type === 'listening') {
        listening = true;
        // The child listens on its copies; ours would take connections too, with nobody to answer.
        for (const socket of Object.values(sockets)) {
          socket.server?.close();
          socket.server = undefined;
        }
        if (watchFiles) console.log(`http server ready in ${Date.now() - started} ms`);
        resolveStart(message.port ?? port);
      }
    });
    proc.once('exit', (code, signal) => {
      const current = child === proc;
      if (current) child = undefined;
      if (!stopping && !listening && code !== 0 && code !== null)
        reject(new Error(`local server exited with ${code}`));
      // The HTTP side died on its own (not stopped, not replaced by a restart): say so where the
      // runtime's output goes, with how it ended, so that the requests refused after it are explained.
      if (!stopping && listening && current) {
        console.error(`local server exited unexpectedly (code ${code}, signal ${signal})`);
      }
    });
  });
}

async function restartServer() {
  const old = child;
  // Replaced on purpose: its exit is not the unexpected one that brings it back.
  child = undefined;
  if (old) {
    const exited = new Promise((r) => old.once('exit', r));
    old.kill('SIGTERM');
    await exited;
  }
  await startServer().catch((error: Error) => console.error(error.message));
}

const actualPort = await startServer();
const base = `http://127.0.0.1:${actualPort}`;
const banner = [
  'Local runtime',
  `  site            ${base}/`,
  `  API             ${base}  (routes: ${base}/_local/routes.json)`,
  `  API reference   ${base}/docs   OpenAPI: ${base}/openapi.json`,
  `  inspection      ${base}/_local/  (outbox ${base}/_local/outbox, workflows ${base}/_local/executions)`,
  // The endpoint the AWS CLI and SDKs take as --endpoint-url / AWS_ENDPOINT_URL_SFN.
  ...(workflowsOn
    ? [
        `  Step Functions  http://127.0.0.1:${sfnPort}  (state machines ${STATE_MACHINES.map((m) => m.id).join(', ')})`,
      ]
    : []),
  `  DynamoDB Local  ${ddb.endpoint}  (table ${tableName}, ${table}; data ${dataDir})`,
  `  S3 (s3rver)     ${s3.endpoint}  (bucket ${s3.bucket}; reports ${LOCAL_REPORTS_BUCKET}; data ${s3Dir})`,
  'Ctrl-C stops everything.',
];
console.log(`\n${banner.join('\n')}`);

if (watchFiles) {
  let timer: NodeJS.Timeout | undefined;
  let siteChanged = false;
  let codeChanged = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const [site, code] = [siteChanged, codeChanged];
      siteChanged = false;
      codeChanged = false;
      if (site)
        await buildServedSite().catch((error: Error) => console.error(`site build failed: ${error.message}`));
      if (code) await restartServer();
    }, 50);
  };
  for (const dir of ['shared', 'functions', 'infra/local', 'workflows']) {
    watch(join(root, dir), { recursive: true }, (_event, file) => {
      if (file && /\.ts$/.test(file) && !file.endsWith('.test.ts')) {
        codeChanged = true;
        schedule();
      }
    });
  }
  watch(join(root, 'site'), { recursive: true }, (_event, file) => {
    if (file && !file.startsWith('dist')) {
      siteChanged = true;
      schedule();
    }
  });
}

async function stop() {
  if (stopping) return;
  stopping = true;
  child?.kill('SIGTERM');
  await Promise.all([ddb.stop(), s3.stop()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// A runtime a test started outlives a test process that was killed (a timeout, Ctrl-C on the
// runner) unless it notices: re-parented means the starter is gone, so everything stops.
if (process.argv.includes('--exit-with-parent')) {
  const starter = process.ppid;
  setInterval(() => {
    if (process.ppid !== starter) void stop();
  }, 500).unref();
}
