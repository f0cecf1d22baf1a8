// Cold first response of the public and reviewer routes: a fresh Node process imports the
// function's bundle and answers one real request (the API Gateway payload 2.0 event the local
// server builds) against the real local runtime (DynamoDB Local, s3rver, the local workflow
// engine, the local key file in place of KMS), with the environment `npm start` gives its
// handlers. Compared with a minimal handler bundled with the same SDK clients and heavy libraries
// that answers the same request with one call (a GetItem where it has DynamoDB). Time is read
// inside the process when the answer is ready (performance.now(): from the process's start, Node's
// own start-up included, as a Lambda cold start includes its runtime's). Median of 7 runs each.
// Requests that change state get state of their own per run, seeded through the runtime as
// people make it (submissions, emailed links, decisions); GETs repeat one request.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { allFunctions, heavyLibrariesOf } from '#infra/functions.ts';
import { LOCAL_REPORTS_BUCKET, LOCAL_S3_CREDENTIALS } from '#infra/local/s3-local.ts';
import { localStateMachineArn } from '#infra/local/sfn/local-workflows.ts';
import { ROOT } from '#infra/paths.ts';
import { ENV } from '#shared/config/env.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import { ALLOWED_ORIGINS_ENV } from '#shared/http/cors.ts';
import { matchPath, ROUTES } from '#shared/http/routes.ts';
import { PUBLIC_API_URL_ENV, PUBLIC_SITE_URL_ENV } from '#shared/wiring/workflow-services.ts';
import { FILING_WORKFLOW_ARN_ENV } from '#workflows/functions.ts';
import { type ApiDriver, apiDriver } from '../../test/e2e/driver.ts';
import { type Created, eventually, linkFor, staffHeader } from '../../test/support/concurrency-review.ts';
import { usccFor, validFiling } from '../../test/support/fixtures.ts';
import { type Runtime, startRuntime } from '../../test/support/runtime.ts';
import { bundle, bundleEach, floorModule, sdkClientsIn } from './bundle.ts';
import type { Metric } from './results.ts';

const run = promisify(execFile);
const RUNS = 7;
const GOAL = 1.3;
const LIAONING = 'liaoning-cso';
/** Sequence numbers of the people filed here (other suites use other ranges). */
let n = 960_000;

/** One request as a browser or reviewer sends it. */
interface Request {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A route measured: its requests (one per run, or one repeated) and the status it must answer. */
interface Case {
  routeId: string;
  label: string;
  status: number;
  /** The request of run i (prepared before the run; state-changing requests get fresh state). */
  request: (i: number) => Promise<Request>;
}

/** The event the local server (infra/local/server.ts) makes of a request. */
export function apiEvent(routeId: string, request: Request, host: string): APIGatewayProxyEventV2 {
  const route = ROUTES.find((r) => r.id === routeId);
  if (!route) throw new Error(`no route ${routeId}`);
  const url = new URL(request.path, `http://${host}`);
  const params = matchPath(route.path, url.pathname);
  if (!params) throw new Error(`${request.path} is not a path of ${routeId}`);
  const headers: Record<string, string> = { host, 'user-agent': 'bench', ...request.headers };
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] ? `${query[name]},${value}` : value;
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: `bench-${now.getTime()}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
    ...(request.body ? { body: request.body } : {}),
  };
}

/** The runner each fresh process starts with: import the bundle, answer the event, say when. */
const RUNNER = `import { readFileSync } from 'node:fs';
const [file, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const deadline = Date.now() + 30000;
const context = { callbackWaitsForEmptyEventLoop: false, functionName: 'bench', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:bench', memoryLimitInMB: '1024',
  awsRequestId: event.requestContext.requestId, logGroupName: '/aws/lambda/bench', logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
const { handler } = await import(file);
const result = await handler(event, context);
const ms = performance.now();
process.stdout.write('\\n' + JSON.stringify({ ms, status: result.statusCode, body: String(result.body ?? '').slice(0, 300) }) + '\\n');
process.exit(0);
`;

/** The environment `npm start` gives its handlers (infra/local/start.ts), for this runtime. */
function handlerEnv(runtime: Runtime): NodeJS.ProcessEnv {
  const sfn = /Step Functions\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(runtime.output())?.[1];
  if (!sfn) throw new Error('no Step Functions endpoint in the runtime output');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamodbEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: runtime.s3Endpoint,
    AWS_ENDPOINT_URL_SFN: sfn,
    [ENV.attachmentsBucket]: runtime.bucket,
    [ENV.reportsBucket]: LOCAL_REPORTS_BUCKET,
    [ENV.tableName]: runtime.tableName,
    [ENV.localKeyFile]: join(runtime.localDir, 'keys.json'),
    [ALLOWED_ORIGINS_ENV]: runtime.baseUrl,
    [FILING_WORKFLOW_ARN_ENV]: localStateMachineArn('FilingWorkflow'),
    [PUBLIC_API_URL_ENV]: runtime.baseUrl,
    [PUBLIC_SITE_URL_ENV]: runtime.baseUrl,
    POWERTOOLS_SERVICE_NAME: 'standards-officer-bench',
    MAIL_TRANSPORT: 'outbox',
    OUTBOX_DIR: join(runtime.localDir, 'outbox'),
    MAIL_FROM: '标准化人才备案（本地） <noreply@local.test>',
    ALERT_EMAIL: 'ops@local.test',
    ALERT_CONSOLE_URL: `${runtime.baseUrl}/_local/executions`,
  };
}

/**
 * The minimal handler of a route: the same SDK clients' classes and heavy libraries as the
 * function's floor, and one call to answer with (a GetItem where it has DynamoDB, else a
 * HeadBucket where it has S3, else none).
 */
async function baselineModule(clients: string[], libraries: ReturnType<typeof heavyLibrariesOf>) {
  const floor = await floorModule(clients, libraries);
  if (clients.includes('@aws-sdk/client-dynamodb')) {
    return `${floor}
import { DynamoDBClient as Db, GetItemCommand as Get } from '@aws-sdk/client-dynamodb';
const db = new Db({});
export const handler = async () => {
  const got = await db.send(new Get({ TableName: process.env.${ENV.tableName}, Key: { pk: { S: 'BENCH' }, sk: { S: 'BENCH' } } }));
  return { statusCode: 200, body: JSON.stringify({ found: got.Item !== undefined, kept: keep.length }) };
};`;
  }
  if (clients.includes('@aws-sdk/client-s3')) {
    return `${floor}
import { S3Client as S3, HeadBucketCommand as Head } from '@aws-sdk/client-s3';
const s3 = new S3({ forcePathStyle: true });
export const handler = async () => {
  await s3.send(new Head({ Bucket: process.env.${ENV.attachmentsBucket} }));
  return { statusCode: 200, body: JSON.stringify({ kept: keep.length }) };
};`;
  }
  return `${floor}
export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ kept: keep.length }) });`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** A filing submitted through the runtime (documents uploaded first, as the site does). */
async function submitted(api: ApiDriver, unit = '210100'): Promise<Created & { n: number }> {
  const k = n++;
  const res = await api.submit(LIAONING, validFiling({ n: k, unit }));
  if (res.status !== 201) throw new Error(`seeding: submit answered ${res.status}: ${res.text}`);
  return { ...(res.body as unknown as Created), n: k };
}

const receipt = (c: Created) => ({ authorization: `Receipt ${c.receiptToken}` });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const path = (link: string) => new URL(link).pathname;

async function statusOf(api: ApiDriver, c: Created): Promise<string> {
  return String((await api.status(c.filingId, c.receiptToken)).body.status);
}

/** An annual-return link of an enterprise in the pool (put there through the repository, as the return's workflow suite does). */
async function returnLink(api: ApiDriver, runtime: Runtime): Promise<string> {
  const repo = api.repository();
  const parsed = parseFiling(validFiling({ n: n++, unit: '210100' }));
  const filing = {
    ...parsed,
    enterprise: { ...parsed.enterprise, uscc: usccFor(960_001), contactEmail: 'bench@return.example.cn' },
  };
  const at = () => new Date().toISOString();
  const created = await repo.create({
    filingId: newFilingId(),
    programId: LIAONING,
    filing,
    warnings: [],
    actor: { role: 'applicant' },
    at: at(),
  });
  let { version, state } = created;
  for (const [action, role] of [
    ['start_city_review', 'system'],
    ['approve', 'city'],
    ['include', 'province'],
  ] as const) {
    const event = await repo.transition({
      filingId: created.filingId,
      expected: { state, version },
      action,
      actor: { role },
      at: at(),
    });
    version = event.version;
    state = event.to;
  }
  const year = String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear());
  const province = await staffHeader(runtime, [{ role: 'province', programId: LIAONING }], 'bench-province');
  const started = await api.call('POST', `/staff/programs/${LIAONING}/returns/${year}`, {
    headers: province,
  });
  if (started.status !== 202)
    throw new Error(`seeding: return start answered ${started.status}: ${started.text}`);
  let link = '';
  await eventually('the return request mail', async () => {
    const mail = (await api.outbox()).find(
      (m) => m.kind === 'return_request' && m.to.includes('bench@return.example.cn'),
    );
    link = mail?.links[0] ?? '';
    return link !== '';
  });
  return link;
}

/** The routes measured and how each run's request is made. */
function cases(api: ApiDriver, runtime: Runtime): Case[] {
  let shown: Promise<{ filing: Created; link: string }> | undefined;
  /** One filing under city review and its emailed link, for the read-only routes. */
  const underReview = () => {
    shown ??= (async () => {
      const filing = await submitted(api);
      return { filing, link: await linkFor(api, filing.filingId) };
    })();
    return shown;
  };
  /** Filings decided by a timed reviewDecide run (changes requested), amended by amend's runs. */
  const decided: Created[] = [];
  let returned: Promise<string> | undefined;
  return [
    {
      routeId: 'listPrograms',
      label: 'programmes list',
      status: 200,
      request: async () => ({ method: 'GET', path: '/programs' }),
    },
    {
      routeId: 'presignUpload',
      label: 'presign',
      status: 200,
      request: async () => ({
        method: 'POST',
        path: `/programs/${LIAONING}/uploads`,
        headers: { 'content-type': 'application/json', origin: runtime.baseUrl },
        body: JSON.stringify({ kind: 'appointment', contentType: 'application/pdf', size: 2048 }),
      }),
    },
    {
      routeId: 'submitFiling',
      label: 'submit',
      status: 201,
      request: async () => ({
        method: 'POST',
        path: `/programs/${LIAONING}/filings`,
        headers: { 'content-type': 'application/json', origin: runtime.baseUrl },
        body: JSON.stringify(await api.withDocuments(LIAONING, validFiling({ n: n++ }))),
      }),
    },
    {
      routeId: 'getFiling',
      label: 'status',
      status: 200,
      request: async () => {
        const { filing } = await underReview();
        return { method: 'GET', path: `/filings/${filing.filingId}`, headers: receipt(filing) };
      },
    },
    {
      routeId: 'reviewPage',
      label: 'review page',
      status: 200,
      request: async () => ({ method: 'GET', path: path((await underReview()).link) }),
    },
    {
      routeId: 'reviewDecide',
      label: 'review decision',
      status: 200,
      request: async () => {
        const filing = await submitted(api);
        const link = await linkFor(api, filing.filingId);
        decided.push(filing);
        return {
          method: 'POST',
          path: path(link),
          headers: { ...FORM, origin: runtime.baseUrl },
          body: form({ decision: 'request_changes', reason: '请补充聘任文件' }),
        };
      },
    },
    {
      routeId: 'amendFiling',
      label: 'amend',
      status: 200,
      request: async (i) => {
        const filing = decided[i];
        if (!filing) throw new Error('amend runs need the filings the decision runs sent back');
        await eventually(
          'changes requested',
          async () => (await statusOf(api, filing)) === 'changes_requested',
        );
        const k = (filing as Created & { n: number }).n;
        return {
          method: 'PUT',
          path: `/filings/${filing.filingId}`,
          headers: { ...receipt(filing), 'content-type': 'application/json', origin: runtime.baseUrl },
          body: JSON.stringify(await api.withDocuments(LIAONING, validFiling({ n: k }))),
        };
      },
    },
    {
      routeId: 'withdrawFiling',
      label: 'withdraw',
      status: 200,
      request: async () => {
        const filing = await submitted(api);
        await eventually('city review', async () => (await statusOf(api, filing)) === 'city_review');
        return {
          method: 'POST',
          path: `/filings/${filing.filingId}/withdraw`,
          headers: { ...receipt(filing), origin: runtime.baseUrl },
        };
      },
    },
    {
      routeId: 'reviewSendBatch',
      label: 'batch page',
      status: 200,
      // The city sends its approved filings to the province now: one unit per run, so each run
      // has a batch to send.
      request: async (i) => {
        const filing = await submitted(api, `21${String(i + 1).padStart(2, '0')}00`);
        const link = await linkFor(api, filing.filingId);
        const approved = await api.decide(link, { decision: 'approve' });
        if (approved.status !== 200) throw new Error(`seeding: approve answered ${approved.status}`);
        await eventually('province review', async () => (await statusOf(api, filing)) === 'province_review');
        return { method: 'POST', path: `${path(link)}/batch`, headers: { ...FORM, origin: runtime.baseUrl } };
      },
    },
    {
      routeId: 'returnPage',
      label: 'return page',
      status: 200,
      request: async () => {
        returned ??= returnLink(api, runtime);
        return { method: 'GET', path: path(await returned) };
      },
    },
  ];
}

interface Answer {
  ms: number;
  status: number;
  body: string;
}

async function answer(file: string, eventFile: string, env: NodeJS.ProcessEnv): Promise<Answer> {
  const { stdout } = await run(process.execPath, [join(file, '..', 'runner.mjs'), file, eventFile], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Answer;
}

/** bundle.coldFirstResponseRatio: the worst route's ratio, each route's figures in the note. */
export async function coldFirstResponse(dir: string): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  const runtime = await startRuntime();
  try {
    const api = apiDriver(runtime);
    const env = handlerEnv(runtime);
    const host = new URL(runtime.baseUrl).host;
    const list = cases(api, runtime);
    const functions = new Map(allFunctions().map((f) => [f.id, f]));
    const bundles = await bundleEach(
      list.map((c) => {
        const route = ROUTES.find((r) => r.id === c.routeId);
        if (!route) throw new Error(`no route ${c.routeId}`);
        return { id: c.routeId, path: join(ROOT, route.handler) };
      }),
      dir,
    );
    const rows: { label: string; id: string; fn: number; base: number; ratio: number }[] = [];
    for (const c of list) {
      const fn = bundles.get(c.routeId);
      const needs = functions.get(c.routeId)?.needs;
      if (!fn || !needs) throw new Error(`no bundle or needs for ${c.routeId}`);
      const base = await bundle(
        {
          contents: await baselineModule(sdkClientsIn(fn.inputs), heavyLibrariesOf(needs)),
          resolveDir: ROOT,
        },
        join(dir, `baseline-${c.routeId}.mjs`),
      );
      const fnMs: number[] = [];
      const baseMs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const eventFile = join(dir, `event-${c.routeId}-${i}.json`);
        writeFileSync(eventFile, JSON.stringify(apiEvent(c.routeId, await c.request(i), host)));
        // The workflow engine and the outbox reader at rest, so that they do not share the run's CPU.
        await api.settled(120_000);
        const got = await answer(fn.file, eventFile, env);
        if (got.status !== c.status) {
          throw new Error(`${c.routeId} answered ${got.status} (expected ${c.status}): ${got.body}`);
        }
        fnMs.push(got.ms);
        await api.settled(120_000);
        const minimal = await answer(base.file, eventFile, env);
        if (minimal.status !== 200) throw new Error(`the minimal ${c.routeId} answered ${minimal.status}`);
        baseMs.push(minimal.ms);
      }
      const row = { label: c.label, id: c.routeId, fn: median(fnMs), base: median(baseMs), ratio: 0 };
      row.ratio = row.fn / row.base;
      console.log(
        `${row.label} (${row.id}): ${row.fn.toFixed(0)} ms vs ${row.base.toFixed(0)} ms, ×${row.ratio.toFixed(2)}`,
      );
      rows.push(row);
    }
    const worst = rows.reduce((a, r) => (r.ratio > a.ratio ? r : a));
    const over = rows.filter((r) => r.ratio > GOAL).length;
    return {
      'bundle.coldFirstResponseRatio': {
        value: Number(worst.ratio.toFixed(2)),
        unit: 'ratio',
        goal: GOAL,
        better: 'lower',
        note: `worst: ${worst.label} (${worst.id}); ${over} of ${rows.length} routes over ${GOAL}. A fresh Node process imports the function's bundle and answers one real request (API Gateway 2.0 event as the local server builds it) against the local runtime (DynamoDB Local, s3rver, local workflow engine, local key file); time from the process's start to the answer, median of ${RUNS}; against a minimal handler bundled with the same SDK clients and heavy libraries answering the same request with one GetItem (presign: one HeadBucket; programmes list: no call). State-changing requests get fresh state per run, seeded through the runtime (submissions, emailed review links, a city approval before each batch, a return link from a pool member). Routes: ${rows.map((r) => `${r.label} (${r.id}) ${r.fn.toFixed(0)} ms / ${r.base.toFixed(0)} ms ×${r.ratio.toFixed(2)}`).join('; ')}`,
      },
    };
  } finally {
    await runtime.stop();
  }
}
