// Submit throughput through the local runtime (autocannon, 20 connections, unique valid
// bodies, each with its two uploaded PDFs) against the throughput of the bare requests one
// submission makes (per attachment HeadObject, a ranged GetObject, HeadObject of the target
// and CopyObject; one DeleteObjects; the same four-item transaction), issued directly with the
// SDK at the same concurrency, plus raw PutItem for reference. The local engines are the
// limit here, so the goal is about our overhead: submit ≥ 0.8 × the bare requests.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { createDocumentClient } from '#shared/data/client.ts';
import { counterDelta } from '#shared/data/counter-item.ts';
import { toBodyItem } from '#shared/data/filing-body-item.ts';
import { toEventItem } from '#shared/data/filing-event-item.ts';
import { toPersonItem } from '#shared/data/person-item.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { attachmentRefs, samplePdf } from '../test/support/attachments.ts';
import { validFiling } from '../test/support/fixtures.ts';
import { startRuntime } from '../test/support/runtime.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const CONNECTIONS = 20;
const SECONDS = 10;
/** Submissions prepared (uploads stored) for the API run: more than it can send in SECONDS. */
const PREPARED = 2500;
const PROGRAM = 'liaoning-cso';

async function closedLoop(
  concurrency: number,
  seconds: number,
  op: (i: number) => Promise<boolean>,
): Promise<{ rps: number; failed: number }> {
  let done = 0;
  let failed = 0;
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        if (await op(next++)) done++;
        else failed++;
      }
    }),
  );
  return { rps: done / seconds, failed };
}

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  // The API alone: the workflow's own writes would compete for DynamoDB Local and blur our overhead.
  const runtime = await startRuntime({ LOCAL_WORKFLOWS: 'off' });
  try {
    const s3 = new S3Client({
      endpoint: runtime.s3Endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const pdf = samplePdf('bench');
    /** The filing of person n with its attachments uploaded, as the browser would have left them. */
    const prepare = async (n: number) => {
      const attachments = attachmentRefs(PROGRAM, n, undefined, 'bench');
      await Promise.all(
        attachments.map((ref) =>
          s3.send(
            new PutObjectCommand({
              Bucket: runtime.bucket,
              Key: ref.key,
              Body: pdf,
              ContentType: ref.contentType,
            }),
          ),
        ),
      );
      return JSON.stringify({ ...validFiling({ n }), attachments });
    };
    const prepared: string[] = [];
    for (let i = 0; i < PREPARED + 20; i += 50) {
      prepared.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => prepare(100_000 + i + j)))));
    }
    // Warm up: the handlers' first requests build their clients and keys.
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${runtime.baseUrl}/programs/${PROGRAM}/filings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: prepared.pop() ?? '',
      });
      if (res.status !== 201) throw new Error(`warm-up submit answered ${res.status}: ${await res.text()}`);
    }
    let next = 0;
    const api = await autocannon({
      url: runtime.baseUrl,
      connections: CONNECTIONS,
      duration: SECONDS,
      amount: PREPARED,
      requests: [
        {
          method: 'POST',
          path: `/programs/${PROGRAM}/filings`,
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: prepared[next++ % PREPARED] }),
        },
      ],
    });
    if (next > PREPARED)
      throw new Error(`the API run sent ${next} submissions, more than the ${PREPARED} prepared`);
    const non2xx = api.non2xx;
    const submitRps = api.requests.average;

    // The same four-item transaction, straight to DynamoDB Local.
    const client = new DynamoDBClient({
      endpoint: runtime.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const doc = createDocumentClient(client);
    const filing = parseFiling(validFiling({ n: 1 }));
    const cipher = randomBytes(244);
    const at = new Date().toISOString();
    const table = runtime.tableName;
    // Uploads for the bare loop, stored before it starts (as for the API run).
    const bareUploads = Array.from({ length: PREPARED }, (_, i) =>
      attachmentRefs(PROGRAM, i, undefined, 'bare'),
    );
    for (let i = 0; i < bareUploads.length; i += 50) {
      await Promise.all(
        bareUploads
          .slice(i, i + 50)
          .flat()
          .map((ref) => s3.send(new PutObjectCommand({ Bucket: runtime.bucket, Key: ref.key, Body: pdf }))),
      );
    }
    const head = (Key: string) =>
      s3.send(new HeadObjectCommand({ Bucket: runtime.bucket, Key })).then(
        () => true,
        () => false,
      );
    const bare = await closedLoop(CONNECTIONS, SECONDS, async (i) => {
      const filingId = `BARE${i}-${randomBytes(4).toString('hex')}`;
      const uploads = bareUploads[i % PREPARED] ?? [];
      const targets = uploads.map((ref) => `filings/${filingId}/${ref.kind}.pdf`);
      await Promise.all(
        uploads.map(async (ref) => {
          await head(ref.key);
          const got = await s3.send(
            new GetObjectCommand({ Bucket: runtime.bucket, Key: ref.key, Range: 'bytes=0-15' }),
          );
          await got.Body?.transformToByteArray();
        }),
      );
      const body = toBodyItem({
        filingId,
        programId: 'liaoning-cso',
        createdAt: at,
        filing,
        idCipher: cipher,
        personKey: filingId,
        warnings: [],
      });
      const event = {
        filingId,
        version: 1,
        action: 'submit' as const,
        actor: { role: 'applicant' as const },
        from: null,
        to: 'submitted' as const,
        at,
        programId: 'liaoning-cso',
        unit: body.unit,
        role: body.role,
      };
      const delta = counterDelta(event);
      if (!delta) throw new Error('no counter delta');
      return doc
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table, Item: body, ConditionExpression: 'attribute_not_exists(pk)' } },
              {
                Put: {
                  TableName: table,
                  Item: toEventItem(event, filingId),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: toPersonItem('liaoning-cso', filingId, filingId, at),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: table,
                  Key: delta.key,
                  UpdateExpression: delta.UpdateExpression,
                  ExpressionAttributeNames: delta.ExpressionAttributeNames,
                  ExpressionAttributeValues: delta.ExpressionAttributeValues,
                },
              },
            ],
          }),
        )
        .then(
          async () => {
            await Promise.all(
              uploads.map(async (ref, j) => {
                await head(targets[j] ?? '');
                await s3.send(
                  new CopyObjectCommand({
                    Bucket: runtime.bucket,
                    Key: targets[j],
                    CopySource: `${runtime.bucket}/${ref.key}`,
                  }),
                );
              }),
            );
            await s3.send(
              new DeleteObjectsCommand({
                Bucket: runtime.bucket,
                Delete: { Objects: uploads.map((ref) => ({ Key: ref.key })), Quiet: true },
              }),
            );
            return true;
          },
          (error: Error) => {
            // A conflict on the shared counter item: the real submit retries it; here it counts as failed.
            if (error.name !== 'TransactionCanceledException') throw error;
            return false;
          },
        );
    });
    const put = await closedLoop(CONNECTIONS, SECONDS, async (i) => {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `PUT#${i}` }, sk: { S: 'X' }, pad: { S: 'x'.repeat(600) } },
        }),
      );
      return true;
    });
    const bareRps = bare.rps;
    const putRps = put.rps;
    const ratio = submitRps / bareRps;
    const note = `each submission with its 2 uploaded PDFs, 9 S3 requests to s3rver, which is the limit now (a transaction-only submit measured 0.59 of the bare transaction before attachments were required); ${CONNECTIONS} connections, ${SECONDS} s each; submit ${submitRps.toFixed(0)}/s (${non2xx} non-2xx), bare requests (S3 + transaction) ${bareRps.toFixed(0)}/s (${bare.failed} cancelled by conflicts on the shared counter item), PutItem ${putRps.toFixed(0)}/s`;
    return {
      'api.submit.throughputRatio': {
        value: Number(ratio.toFixed(2)),
        unit: 'ratio',
        goal: 0.8,
        better: 'higher',
        note,
      },
      'api.submit.rps': {
        value: Math.round(submitRps),
        unit: 'req/s',
        goal: Math.round(0.8 * bareRps),
        better: 'higher',
        note,
      },
      'api.submit.p50Ms': {
        value: api.latency.p50,
        unit: 'ms',
        goal: 500,
        better: 'lower',
        note: `design budget (no latency goal is set); ${note}`,
      },
      'api.submit.p99Ms': {
        value: api.latency.p99,
        unit: 'ms',
        goal: 2000,
        better: 'lower',
        note: `design budget (no latency goal is set); ${note}`,
      },
      'ddb.putItem.rps': {
        value: Math.round(putRps),
        unit: 'req/s',
        goal: 0,
        better: 'higher',
        note: 'reference only',
      },
    };
  } finally {
    await runtime.stop();
  }
}

if (import.meta.main) recordMetrics(await run());
