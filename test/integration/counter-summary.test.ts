// The closed years' summary on DynamoDB Local: the first report of a year after it closed reads
// every year's counter items and stores the summary; the next ones read the summary and the
// open year only, give the same report, and cost the same however many years lie behind.
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { counterDelta, counterKey, counterSummaryKey } from '#shared/data/counter-item.ts';
import { type CounterReadPage, createCounterReader } from '#shared/data/counter-reader.ts';
import type { FilingState } from '#shared/domain/lifecycle.ts';
import { liaoningCso } from '#shared/domain/programs/liaoning-cso.ts';
import { targetProgress } from '#shared/use-cases/reports/target-progress.ts';
import { freshTable } from '../support/ddb.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;
const PROGRAM = liaoningCso.id;
const UNITS = liaoningCso.reportingUnits.map((u) => u.code);
const ROLES = liaoningCso.roles.map((r) => r.id);

/** Counter items of `perMonth` inclusions a month in every unit × role from January of `from` to December of `to`. */
function items(from: number, to: number, perMonth: number) {
  const out = new Map<string, Record<string, unknown>>();
  const path: FilingState[] = ['submitted', 'city_review', 'province_review', 'in_pool'];
  for (let y = from; y <= to; y++) {
    for (let m = 1; m <= 12; m++) {
      const at = `${y}-${String(m).padStart(2, '0')}-10T04:00:00Z`;
      for (const unit of UNITS) {
        for (const role of ROLES) {
          let prev: FilingState | null = null;
          for (const to of path) {
            const d = counterDelta({ programId: PROGRAM, unit, role, from: prev, to, at });
            prev = to;
            if (!d) continue;
            const item = out.get(d.key.sk) ?? {
              ...counterKey(PROGRAM, String(y), unit, role),
              type: 'Counter',
              unit,
              role,
              year: String(y),
            };
            for (const [alias, attr] of Object.entries(d.ExpressionAttributeNames)) {
              if (!alias.startsWith('#a')) continue;
              item[attr] =
                Number(item[attr] ?? 0) +
                perMonth * Number(d.ExpressionAttributeValues[`:v${alias.slice(2)}`]);
            }
            out.set(d.key.sk, item);
          }
        }
      }
    }
  }
  return [...out.values()];
}

async function put(env: Env, list: Record<string, unknown>[]) {
  for (let i = 0; i < list.length; i += 25) {
    const batch = list.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await env.doc.send(new BatchWriteCommand({ RequestItems: { [env.tableName]: batch } }));
  }
}

async function measured(env: Env, asOf: string, now: string) {
  const pages: CounterReadPage[] = [];
  const counters = createCounterReader({
    doc: env.doc,
    tableName: env.tableName,
    onPage: (p) => pages.push(p),
  });
  const report = await targetProgress({ counters, now: () => new Date(now) }, { programId: PROGRAM, asOf });
  return { report, pages, rcu: pages.reduce((n, p) => n + p.capacityUnits, 0) };
}

describe('closed years summarized, on DynamoDB Local', () => {
  it('stores the summary on the first read after New Year’s Day and reads it after', async () => {
    const env = await freshTable();
    await put(env, items(2016, 2025, 1));
    const perYear = UNITS.length * ROLES.length * 12;
    // On New Year's Day nothing is stored: a late transaction of the old year may still land.
    const newYear = await measured(env, '2026-01-01', '2026-01-01T04:00:00Z');
    expect(newYear.report.pool).toBe(10 * perYear);
    const none = await env.doc.send(
      new GetCommand({ TableName: env.tableName, Key: counterSummaryKey(PROGRAM, '2025') }),
    );
    expect(none.Item).toBeUndefined();
    const first = await measured(env, '2026-01-01', '2026-01-05T04:00:00Z');
    const stored = await env.doc.send(
      new GetCommand({ TableName: env.tableName, Key: counterSummaryKey(PROGRAM, '2025') }),
    );
    expect(stored.Item).toMatchObject({ type: 'CounterSummary', throughYear: '2025' });
    const second = await measured(env, '2026-01-01', '2026-01-05T04:00:00Z');
    expect(second.report).toEqual(first.report);
    // The same figures (the notes say "today" on New Year's Day only).
    expect(second.report.byUnit).toEqual(newYear.report.byUnit);
    expect(second.report.trend).toEqual(newYear.report.trend);
    expect(second.report.trend[0]?.month).toBe('2016-01');
    // One GetItem of the summary, one Query of the open year's items (none yet).
    expect(second.pages.map((p) => p.items)).toEqual([1, 0]);
    expect(second.rcu).toBeLessThan(first.rcu / 3);
  });

  it('costs the same with ten closed years behind as with two', async () => {
    const two = await freshTable();
    const ten = await freshTable();
    await put(two, items(2023, 2025, 5));
    await put(ten, items(2015, 2025, 5));
    for (const env of [two, ten]) await measured(env, '2025-06-30', '2026-01-05T04:00:00Z');
    const a = await measured(two, '2025-06-30', '2026-01-05T04:00:00Z');
    const b = await measured(ten, '2025-06-30', '2026-01-05T04:00:00Z');
    expect(b.report.pool).toBeGreaterThan(a.report.pool * 3);
    // The open year's query is the same; the summary grows by a few numbers a month.
    expect(b.pages[1]).toEqual(a.pages[1]);
    expect(b.rcu - a.rcu).toBeLessThanOrEqual(1.5);
  });
});
