// The outbox against DynamoDB Local: a state change and its outbox item are one transaction (a
// refused change writes neither), and the local stream reader delivers each outbox record once
// per position, resuming after a restart from where it was, with failures retried.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalStreamReader } from '#infra/local/stream-reader.ts';
import { fromOutboxItem, OUTBOX_FILTERS, OUTBOX_PREFIX } from '#shared/data/outbox-item.ts';
import { ConcurrentModificationError, ConflictError } from '#shared/domain/errors.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import type { OutboxEntry } from '#shared/ports/outbox.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const AT = '2025-05-10T02:00:00.000Z';
let seq = 0;
const newId = () => `F${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

let env: Env;
beforeAll(async () => {
  env = await freshTable();
});

function create(filingId: string, n: number) {
  return env.repo.create({
    filingId,
    programId: 'liaoning-cso',
    filing: parseFiling(validFiling({ n })),
    warnings: [],
    actor: { role: 'applicant' },
    at: AT,
    outbox: ['review.start'],
  });
}

async function itemsOf(filingId: string) {
  return (await scanAll(env.doc, env.tableName)).filter((i) => i.pk === `FILING#${filingId}`);
}

describe('the outbox item is written with its state change', () => {
  it('a stored submission has its review.start item; a refused one (duplicate person) has neither filing nor item', async () => {
    const first = newId();
    await create(first, 770_001);
    const outbox = (await itemsOf(first)).filter((i) => String(i.sk).startsWith(OUTBOX_PREFIX));
    expect(outbox.map((i) => fromOutboxItem(i))).toEqual([
      { kind: 'review.start', filingId: first, programId: 'liaoning-cso', version: 1, at: AT },
    ]);
    // The same person again: the claim's condition fails, so the whole transaction is refused.
    const second = newId();
    const error = await create(second, 770_001).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('duplicate_person');
    expect(await itemsOf(second)).toEqual([]);
  });

  it('a transition carries its outbox item under its own version; a stale one writes neither event nor item', async () => {
    const filingId = newId();
    await create(filingId, 770_002);
    const moved = await env.repo.transition({
      filingId,
      expected: { state: 'submitted', version: 1 },
      action: 'start_city_review',
      actor: { role: 'system' },
      at: AT,
      outbox: ['review.amended'],
    });
    expect(moved.version).toBe(2);
    const stale = await env.repo
      .transition({
        filingId,
        expected: { state: 'submitted', version: 1 },
        action: 'withdraw',
        actor: { role: 'applicant' },
        at: '2025-05-10T03:00:00.000Z',
        outbox: ['review.start'],
      })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConcurrentModificationError);
    const kinds = (await itemsOf(filingId))
      .filter((i) => String(i.sk).startsWith(OUTBOX_PREFIX))
      .map((i) => [i.kind, i.version]);
    expect(kinds.sort()).toEqual([
      ['review.amended', 2],
      ['review.start', 1],
    ]);
  });
});

describe('the local stream reader', () => {
  const streams = () =>
    new DynamoDBStreamsClient({
      endpoint: inject('dynamodbEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  function reader(dir: string, handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>) {
    return new LocalStreamReader({
      ddb: env.client,
      streams: streams(),
      tableName: env.tableName,
      filters: Object.values(OUTBOX_FILTERS),
      handler,
      positionFile: join(dir, 'positions.json'),
      failureFile: join(dir, 'failed.jsonl'),
      maxAttempts: 3,
      log: () => undefined,
    });
  }

  const entries = (event: DynamoDBStreamEvent): OutboxEntry[] =>
    event.Records.map((r) =>
      fromOutboxItem(unmarshall(r.dynamodb?.NewImage as Parameters<typeof unmarshall>[0])),
    ).filter((e): e is OutboxEntry => e !== undefined);

  it('delivers only outbox records, and a restarted reader resumes after what it delivered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sso-stream-'));
    const seen: OutboxEntry[] = [];
    const record = async (event: DynamoDBStreamEvent) => {
      seen.push(...entries(event));
      return { batchItemFailures: [] };
    };
    const a = newId();
    await create(a, 770_101);
    const first = reader(dir, record);
    await first.drain();
    // Every outbox record of the table so far, this filing's among them, and no other item.
    expect(seen.filter((e) => e.filingId === a).map((e) => e.kind)).toEqual(['review.start']);
    expect(seen.every((e) => e.kind === 'review.start' || e.kind === 'review.amended')).toBe(true);
    const before = seen.length;

    const b = newId();
    await create(b, 770_102);
    const second = reader(dir, record);
    await second.drain();
    expect(seen.slice(before).map((e) => e.filingId)).toEqual([b]);
    await second.drain();
    expect(seen.slice(before).map((e) => e.filingId)).toEqual([b]);
  });

  it('retries a failed record from that record on, and sets it aside after its last attempt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sso-stream-'));
    // Catch up first: only what this test writes counts below.
    await reader(dir, async () => ({ batchItemFailures: [] })).drain();
    const failing = newId();
    const after = newId();
    await create(failing, 770_201);
    await create(after, 770_202);
    const calls: string[] = [];
    let failures = 1;
    const handler = async (event: DynamoDBStreamEvent) => {
      const [entry] = entries(event);
      calls.push(entry?.filingId ?? '');
      if (entry?.filingId === failing && failures-- > 0) {
        return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }] };
      }
      return { batchItemFailures: [] };
    };
    const r = reader(dir, handler);
    expect((await r.drain()).behind).toBe(true);
    // Nothing after the failed record was attempted.
    expect(calls).toEqual([failing]);
    let state = await r.drain();
    while (state.behind) state = await r.drain();
    expect(calls).toEqual([failing, failing, after]);

    // A record that always fails is set aside after maxAttempts and the ones after it go on.
    const poisoned = newId();
    const next = newId();
    await create(poisoned, 770_203);
    await create(next, 770_204);
    const delivered: string[] = [];
    const r2 = reader(dir, async (event) => {
      const [entry] = entries(event);
      if (entry?.filingId === poisoned) throw new Error('always');
      delivered.push(entry?.filingId ?? '');
      return { batchItemFailures: [] };
    });
    let s2 = await r2.drain();
    while (s2.behind) s2 = await r2.drain();
    expect(delivered).toEqual([next]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'failed.jsonl'), 'utf8')).toContain(poisoned);
  });
});
