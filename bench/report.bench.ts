// report.rcu.1k / report.rcu.100k: read capacity units of one target-progress report
// (Liaoning, as of 2025-12-31, with ten years of data since 2016) when the pool holds 1,000 and
// 100,000 people, as DynamoDB Local reports them (ReturnConsumedCapacity TOTAL on the counter
// reader), checked against the AWS rule for eventually consistent reads (each request's item
// sizes summed, rounded up to 4 KB, half a unit each). Goal ≤ 20 RCU. The figure is a report
// that finds the closed years' summary stored (every report but the first of a year); the
// first one, which reads every year's items and stores the summary, is given in the note. The counters are written directly: the history of each
// filing since the programme's launch (2021-10) is generated, turned into counter updates
// by counterDelta exactly as the repository's transactions make them, summed per counter
// item and put; 100,000 filings through transactions would take hours on DynamoDB Local, and
// the counters' shape is all the report reads.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { counterDelta, counterKey, counterSummaryKey } from '#shared/data/counter-item.ts';
import { type CounterReadPage, createCounterReader } from '#shared/data/counter-reader.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import type { FilingState } from '#shared/domain/lifecycle.ts';
import { liaoningCso } from '#shared/domain/programs/liaoning-cso.ts';
import { targetProgress } from '#shared/use-cases/reports/target-progress.ts';
import { type Metric, recordMetrics } from './lib/results.ts';
import { itemSize } from './lib/wcu-meter.ts';

const AS_OF = '2025-12-31';
const NOW = new Date('2026-01-05T02:00:00Z');
const LAUNCH = Date.parse('2016-01-01T00:00:00+08:00');
const LAST = Date.parse('2026-03-31T00:00:00+08:00');
const DAY = 86_400_000;
const GOAL_RCU = 20;

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Counter items of a programme whose pool holds `members` people at AS_OF: filings arrive
 * evenly since the launch; most are approved and included within weeks, some are rejected,
 * withdrawn, declined or sent back for changes, a few of the included are removed later, and
 * the newest are still under review.
 */
function counterItems(members: number, seed: number): Record<string, unknown>[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const units = liaoningCso.reportingUnits.map((u) => u.code);
  const roles = liaoningCso.roles.map((r) => r.id);
  const items = new Map<string, Record<string, unknown>>();
  const cutoff = Date.parse(`${AS_OF}T23:59:59+08:00`);
  let pool = 0;
  while (pool < members) {
    const unit = pick(units);
    const role = pick(roles);
    let t = LAUNCH + Math.floor(next() * (LAST - LAUNCH));
    const path: FilingState[] = ['submitted', 'city_review'];
    const r = next();
    if (r < 0.08) path.push('rejected');
    else if (r < 0.12) path.push('withdrawn');
    else if (r < 0.2) path.push('changes_requested', 'city_review', 'province_review', 'in_pool');
    else if (r < 0.24) path.push('province_review', 'declined');
    else path.push('province_review', 'in_pool');
    if (path.at(-1) === 'in_pool' && next() < 0.06) path.push('removed');
    let from: FilingState | null = null;
    let state: FilingState | null = null;
    for (const to of path) {
      if (t > LAST) break;
      const delta = counterDelta({
        programId: liaoningCso.id,
        unit,
        role,
        from,
        to,
        at: new Date(t).toISOString(),
      });
      if (delta) {
        const item = items.get(delta.key.sk) ?? {
          ...counterKey(liaoningCso.id, String(delta.ExpressionAttributeValues[':year']), unit, role),
          type: 'Counter',
          unit,
          role,
          year: delta.ExpressionAttributeValues[':year'],
        };
        for (const [alias, attr] of Object.entries(delta.ExpressionAttributeNames)) {
          if (!alias.startsWith('#a')) continue;
          item[attr] =
            Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${alias.slice(2)}`]);
        }
        items.set(delta.key.sk, item);
      }
      if (t <= cutoff) state = to;
      from = to;
      t += Math.floor((to === 'in_pool' ? 200 + next() * 500 : 1 + next() * 20) * DAY);
    }
    if (state === 'in_pool') pool++;
  }
  return [...items.values()];
}

async function put(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = items
      .slice(i, i + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    while (requests && requests.length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = out.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
    }
  }
}

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const ddb = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const doc = createDocumentClient(client);
    const measured: Record<
      string,
      { rcu: number; pages: number; items: number; bytes: number; awsRule: number; firstRcu: number }
    > = {};
    // 10,000 is measured too (not recorded): it shows where the cost stops growing.
    for (const [name, members] of [
      ['1k', 1_000],
      ['10k', 10_000],
      ['100k', 100_000],
    ] as const) {
      const tableName = `bench-report-${name}`;
      await ensureTable(client, tableName);
      const items = counterItems(members, members);
      await put(doc, tableName, items);
      const reportOnce = async () => {
        const pages: CounterReadPage[] = [];
        const counters = createCounterReader({ doc, tableName, onPage: (p) => pages.push(p) });
        const report = await targetProgress(
          { counters, now: () => NOW },
          { programId: liaoningCso.id, asOf: AS_OF },
        );
        if (report.pool !== members)
          throw new Error(`the ${name} programme's pool is ${report.pool}, not ${members}`);
        return { pages, rcu: pages.reduce((n, p) => n + p.capacityUnits, 0) };
      };
      // The first report of the year stores the closed years' summary; the next ones read it.
      const first = await reportOnce();
      const { pages, rcu } = await reportOnce();
      const year = AS_OF.slice(0, 4);
      const open = items.filter((i) => String(i.year) === year);
      const openBytes = open.reduce((n, i) => n + itemSize(marshall(i)), 0);
      const summary = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: counterSummaryKey(liaoningCso.id, String(Number(year) - 1)),
        }),
      );
      if (!summary.Item) throw new Error('the first report stored no summary of the closed years');
      const summaryBytes = itemSize(marshall(summary.Item));
      const bytes = openBytes + summaryBytes;
      const awsRule = Math.ceil(summaryBytes / 4096) / 2 + Math.ceil(openBytes / 4096) / 2;
      if (awsRule !== rcu)
        throw new Error(`DynamoDB Local reports ${rcu} RCU, the AWS rule gives ${awsRule}`);
      measured[name] = {
        rcu,
        pages: pages.length,
        items: open.length + 1,
        bytes,
        awsRule,
        firstRcu: first.rcu,
      };
    }
    const metric = (name: '1k' | '100k', members: number): Omit<Metric, 'measuredAt'> => {
      const m = measured[name] ?? {
        rcu: Number.NaN,
        pages: 0,
        items: 0,
        bytes: 0,
        awsRule: Number.NaN,
        firstRcu: Number.NaN,
      };
      return {
        value: m.rcu,
        unit: 'RCU',
        goal: GOAL_RCU,
        better: 'lower',
        note:
          `one report of a ${members.toLocaleString('en')}-member pool (Liaoning, ten years: 2016-01 to ${AS_OF}, as of ${AS_OF}): ` +
          `the closed years' summary (one GetItem) and the open year (one Query): ${m.pages} requests, ${m.items} items, ` +
          `${(m.bytes / 1024).toFixed(1)} KB, eventually consistent; DynamoDB Local ConsumedCapacity = AWS rule = ${m.rcu}. ` +
          `The cost follows units × roles and the months since the launch (a few numbers a month in the summary), not ` +
          `people nor years of counter items: 1k ${measured['1k']?.rcu}, 10k ${measured['10k']?.rcu}, ` +
          `100k ${measured['100k']?.rcu} RCU. The year's first report reads every year's items and stores the summary: ` +
          `${m.firstRcu} RCU once (read) plus one small write`,
      };
    };
    return { 'report.rcu.1k': metric('1k', 1_000), 'report.rcu.100k': metric('100k', 100_000) };
  } finally {
    await ddb.stop();
  }
}

if (import.meta.main) {
  const metrics = await run();
  recordMetrics(metrics);
  console.log(JSON.stringify(metrics, null, 2));
}
