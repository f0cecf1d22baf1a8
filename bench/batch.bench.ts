// batch.*: the weekly city-summary job (附件2) for one city through the real data layer on
// DynamoDB Local, with the outbox mailer. `batch.pendingMs` is finding the filings waiting for a
// batch (the sparse awaitingBatch index, then their tasks), measured with none and with many of
// the unit's earlier filings already decided: it must not grow with them. `batch.sendSeconds` is
// the whole sendBatch of WAITING filings, with where its time goes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { createMailer } from '#shared/adapters/mail/mailer.ts';
import { mailNotifier } from '#shared/adapters/mail/notifier.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { encryptionSdkCipher, localHasher, rawAesKeyring } from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import type { FilingRepository } from '#shared/ports/filings.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import type { ReviewStore } from '#shared/ports/reviews.ts';
import { sendBatch } from '#shared/use-cases/workflow/review.ts';
import { validFiling } from '../test/support/fixtures.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const PROGRAM = 'liaoning-cso';
const UNIT = '210100';
/** A busy city's week. */
const WAITING = 200;
/** The city's filings decided before (a year or two of them). */
const EARLIER = 1000;
const AT = '2026-12-01T02:00:00.000Z';

interface Span {
  calls: number;
  first: number;
  last: number;
}

/**
 * Records, for each method of a port, its calls and the span from the first call's start to the
 * last call's end (calls run concurrently: a sum of their times would exceed the wall time).
 */
function timed<T extends object>(port: T, name: string, spans: Map<string, Span>): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const label = `${name}.${String(key)}`;
        const start = performance.now();
        const span = spans.get(label) ?? { calls: 0, first: start, last: start };
        spans.set(label, span);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          span.calls++;
          span.last = Math.max(span.last, performance.now());
        }
      };
    },
  });
}

async function median(times: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await f();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const ddb = await startDynamoDbLocal();
  const outbox = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  try {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tableName = 'bench-batch';
    await ensureTable(client, tableName);
    const doc = createDocumentClient(client);
    const repo = createFilingRepository({
      doc,
      tableName,
      cipher: encryptionSdkCipher(rawAesKeyring(randomBytes(32))),
      hasher: localHasher(randomBytes(32)),
    });
    const reviews = createReviewStore(doc, tableName);

    let n = 0;
    /** A filing of the unit at the province, its province task open (as the workflow leaves it). */
    async function atProvince(): Promise<string> {
      const filingId = `F${String(++n).padStart(13, '0')}`;
      const filing = parseFiling(validFiling({ n, unit: UNIT }));
      await repo.create({
        filingId,
        programId: PROGRAM,
        filing,
        warnings: [],
        actor: { role: 'applicant' },
        at: AT,
      });
      await repo.transition({
        filingId,
        expected: { state: 'submitted', version: 1 },
        action: 'start_city_review',
        actor: { role: 'system' },
        at: AT,
      });
      await repo.transition({
        filingId,
        expected: { state: 'city_review', version: 2 },
        action: 'approve',
        actor: { role: 'city', id: 'reviewer-210100', unit: UNIT },
        at: AT,
      });
      await reviews.openTask({
        filingId,
        programId: PROGRAM,
        unit: UNIT,
        stage: 'province',
        seq: 'province#0',
        taskToken: `token-${filingId}`,
        escalated: false,
        deadline: '2026-12-29T02:00:00.000Z',
      });
      return filingId;
    }

    // The unit's waiting filings, then the same read with its earlier filings decided and batched.
    const waiting: string[] = [];
    for (let i = 0; i < WAITING; i++) waiting.push(await atProvince());
    const pendingAlone = await median(9, () => reviews.pendingForBatch(PROGRAM, UNIT));
    for (let i = 0; i < EARLIER; i++) {
      const filingId = await atProvince();
      await reviews.decide(filingId, 'province#0', {
        decision: 'include',
        actor: { role: 'province', id: 'province-staff' },
        at: AT,
      });
    }
    const pending = await reviews.pendingForBatch(PROGRAM, UNIT);
    if (pending.length !== WAITING) throw new Error(`expected ${WAITING} waiting, found ${pending.length}`);
    const pendingWithHistory = await median(9, () => reviews.pendingForBatch(PROGRAM, UNIT));

    const spent = new Map<string, Span>();
    const deps = {
      repo: timed<FilingRepository>(repo, 'repo', spent),
      reviews: timed<ReviewStore>(reviews, 'reviews', spent),
      notifier: timed<Notifier>(
        mailNotifier(
          createMailer({ MAIL_TRANSPORT: 'outbox', MAIL_FROM: 'noreply@example.cn', OUTBOX_DIR: outbox }),
        ),
        'notifier',
        spent,
      ),
      tasks: {
        succeed: async () => undefined,
        fail: async () => undefined,
      },
      apiBaseUrl: 'http://127.0.0.1:3000',
      now: () => new Date(AT),
    };
    const start = performance.now();
    const batch = await sendBatch(deps, PROGRAM, UNIT);
    const sendMs = performance.now() - start;
    if (batch?.filingIds.length !== WAITING)
      throw new Error(`the batch holds ${batch?.filingIds.length ?? 0}`);
    const after = await reviews.pendingForBatch(PROGRAM, UNIT);
    if (after.length !== 0) throw new Error(`${after.length} still waiting after the batch`);
    const parts = [...spent.entries()]
      .map(([k, span]) => ({ k, calls: span.calls, ms: span.last - span.first }))
      .sort((a, b) => b.ms - a.ms)
      .map(({ k, calls, ms }) => `${k} ×${calls} ${(ms / 1000).toFixed(2)} s`)
      .join(', ');

    return {
      'batch.pendingMs': {
        value: Number(pendingWithHistory.toFixed(1)),
        unit: 'ms',
        goal: Math.max(50, Number((pendingAlone * 2).toFixed(1))),
        better: 'lower',
        note: `finding a city's ${WAITING} filings waiting for its batch (awaitingBatch index, then their tasks) with ${EARLIER} earlier filings of the city decided: ${pendingWithHistory.toFixed(1)} ms; with none: ${pendingAlone.toFixed(1)} ms (median of 9 each, DynamoDB Local); goal: not growing with the earlier filings (≤ twice the figure without them, at least 50 ms)`,
      },
      'batch.sendSeconds': {
        value: Number((sendMs / 1000).toFixed(2)),
        unit: 's',
        goal: 30,
        better: 'lower',
        note: `one city's batch of ${WAITING} filings: found, each read and decrypted, the batch and its marks written, province links, the mail with its summary table (outbox); by port method, calls and first start to last end: ${parts}; goal: a tenth of the weekly job's 300 s limit for one busy city`,
      },
    };
  } finally {
    await ddb.stop();
    rmSync(outbox, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const metrics = await run();
  recordMetrics(metrics);
  console.log(JSON.stringify(metrics, null, 2));
}
