// Submit throughput through the local runtime (autocannon, 20 connections, unique valid
// bodies) against the throughput of the bare DynamoDB requests one submission makes (the same
// four-item transaction, issued directly with the SDK at the same concurrency), plus raw
// PutItem for reference. DynamoDB Local is the limit here, so the goal is about our overhead:
// submit ≥ 0.8 × the bare requests.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { createDocumentClient } from '#shared/data/client.ts';
import { counterDelta } from '#shared/data/counter-item.ts';
import { toBodyItem } from '#shared/data/filing-body-item.ts';
import { toEventItem } from '#shared/data/filing-event-item.ts';
import { toPersonItem } from '#shared/data/person-item.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { validFiling } from '../test/support/fixtures.ts';
import { startRuntime } from '../test/support/runtime.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const CONNECTIONS = 20;
const SECONDS = 10;

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
    // Warm up: the handlers' first requests build their clients and keys.
    for (let i = 0; i < 20; i++) {
      await fetch(`${runtime.baseUrl}/programs/liaoning-cso/filings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validFiling({ n: 900_000 + i })),
      });
    }
    let n = 100_000;
    const api = await autocannon({
      url: runtime.baseUrl,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          path: '/programs/liaoning-cso/filings',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify(validFiling({ n: n++ })) }),
        },
      ],
    });
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
    const bare = await closedLoop(CONNECTIONS, SECONDS, async (i) => {
      const filingId = `BARE${i}-${randomBytes(4).toString('hex')}`;
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
          () => true,
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
    const note = `${CONNECTIONS} connections, ${SECONDS} s each; submit ${submitRps.toFixed(0)}/s (${non2xx} non-2xx), bare transaction ${bareRps.toFixed(0)}/s (${bare.failed} cancelled by conflicts on the shared counter item), PutItem ${putRps.toFixed(0)}/s`;
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
        note: `design budget (the issue names no latency goal); ${note}`,
      },
      'api.submit.p99Ms': {
        value: api.latency.p99,
        unit: 'ms',
        goal: 2000,
        better: 'lower',
        note: `design budget (the issue names no latency goal); ${note}`,
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
