// console.p95Ms: how long the staff console's reads take for a city user (Dalian, 210200) when
// Liaoning holds 100,000 filings across its 14 units, on DynamoDB Local: the filings list's
// first page, a later page by its cursor, a search by a whole credit code, a search by the start
// of an enterprise name (each 20 rows, the page size the console asks for), and the dashboard.
// Each kind runs REQUESTS times after a few warm-up requests; the worst kind's p95 is recorded,
// each kind's p95 and read units per request (ReturnConsumedCapacity TOTAL on every read) are in
// the note. The requests are the use cases on the real adapters, as the handlers wire them (no
// Lambda, API Gateway nor network in between), so the figure is the data layer's part.
//
// The filings are written directly with BatchWrite, the items the repository writes for them
// (body, latest event, FilingName) plus the counters their histories make (counterDelta, summed
// per item): 100,000 submissions through transactions would take hours on DynamoDB Local, and
// these items are all the reads touch. Most filings are in the pool; each unit's newest 1 % are
// still under review, as on a working day.
import { availableParallelism, loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { counterDeltas } from '#shared/data/counter-item.ts';
import { createCounterReader } from '#shared/data/counter-reader.ts';
import { createDashboardReads } from '#shared/data/dashboard-reads.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { localHasher } from '#shared/data/field-crypto.ts';
import { toBodyItem } from '#shared/data/filing-body-item.ts';
import { toEventItem } from '#shared/data/filing-event-item.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { toFilingNameItem } from '#shared/data/filing-search-item.ts';
import { createPlanStore } from '#shared/data/plan-store.ts';
import { createReturnStore } from '#shared/data/return-store.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import type { FilingState } from '#shared/domain/lifecycle.ts';
import { liaoningCso } from '#shared/domain/programs/liaoning-cso.ts';
import type { StaffPrincipal } from '#shared/domain/staff.ts';
import type { FilingEvent } from '#shared/ports/filings.ts';
import { staffDashboard } from '#shared/use-cases/staff/dashboard.ts';
import { listFilings, type StaffDeps } from '#shared/use-cases/staff/staff-filings.ts';
import { usccFor, validFiling } from '../test/support/fixtures.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const FILINGS = Number(process.env.CONSOLE_BENCH_FILINGS ?? 100_000);
const REQUESTS = 60;
const WARM_UP = 5;
const GOAL_MS = 300;
const P = liaoningCso.id;
const CITY = '210200';
const NOW = new Date('2026-12-07T02:00:00Z');
const FIRST = Date.parse('2021-10-01T00:00:00+08:00');
const DAY = 86_400_000;
const OPEN_SHARE = 0.01;

// Parts of enterprise names: a city, then two words, so that a name's start of two or three
// characters matches a few hundred of a unit's filings and a longer one a few dozen.
const WORDS = ['海湾', '北方', '星海', '东港', '金州', '华晨', '远洋', '恒通', '中科', '新锐'];
const TRADES = ['重工', '电气', '物流', '软件', '化工', '船舶', '精密', '医药', '食品', '材料'];
const FORMS = ['有限公司', '股份有限公司', '集团有限公司'];

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Seeded {
  items: object[];
  codes: string[];
  names: string[];
}

/** The items of `count` filings of one unit, oldest first; the newest OPEN_SHARE still open. */
function unitFilings(unit: string, cityZh: string, start: number, count: number, next: () => number): Seeded {
  const template = parseFiling(validFiling({ n: 1, unit }));
  const idCipher = new Uint8Array(60).fill(7);
  const items: object[] = [];
  const codes: string[] = [];
  const names: string[] = [];
  const changes: Parameters<typeof counterDeltas>[0][number][] = [];
  const span = NOW.getTime() - 30 * DAY - FIRST;
  for (let i = 0; i < count; i++) {
    const n = start + i;
    const filingId = `FB${String(n).padStart(12, '0')}`;
    const createdAt = new Date(FIRST + Math.floor((span * i) / count)).toISOString();
    const open = i >= count * (1 - OPEN_SHARE);
    const role = liaoningCso.roles[n % liaoningCso.roles.length]?.id ?? 'cso';
    const name = `${cityZh}${WORDS[Math.floor(next() * WORDS.length)]}${TRADES[Math.floor(next() * TRADES.length)]}${FORMS[n % FORMS.length]}${n}`;
    // The demonstration zone's code is no region: its enterprises take Shenyang's, numbered apart.
    const code = /^\d{6}$/.test(unit) ? usccFor(i + 1, unit) : usccFor(500_000 + i, '210100');
    codes.push(code);
    names.push(name);
    const filing = { ...template, role, enterprise: { ...template.enterprise, name, uscc: code } };
    const body = toBodyItem({
      filingId,
      programId: P,
      createdAt,
      filing,
      idCipher,
      personKey: `bench-${n}`,
      warnings: [],
    });
    items.push(body, toFilingNameItem({ programId: P, unit, enterpriseName: name, createdAt, filingId }));
    const path: [string, FilingState][] = open
      ? ([
          ['submit', 'submitted'],
          ['start_city_review', 'city_review'],
          ['approve', 'province_review'],
        ].slice(0, 1 + (n % 3)) as [string, FilingState][])
      : [
          ['submit', 'submitted'],
          ['start_city_review', 'city_review'],
          ['approve', 'province_review'],
          ['include', 'in_pool'],
        ];
    let from: FilingState | null = null;
    let at = Date.parse(createdAt);
    let last: FilingEvent | undefined;
    path.forEach(([action, to], v) => {
      const iso = new Date(at).toISOString();
      last = {
        filingId,
        version: v + 1,
        action: action as FilingEvent['action'],
        actor: { role: v === 0 ? 'applicant' : 'system' } as FilingEvent['actor'],
        from,
        to,
        at: iso,
        programId: P,
        unit,
        role,
      };
      changes.push({ programId: P, unit, role, from, to, at: iso });
      from = to;
      at += (open ? 0.2 : 3) * DAY;
    });
    if (last) items.push(toEventItem(last, `bench-${filingId}-${last.version}`));
  }
  // The counters as the repository's transactions leave them: each delta summed per item.
  const counters = new Map<string, Record<string, unknown>>();
  for (const change of changes) {
    for (const delta of counterDeltas([change])) {
      const id = `${delta.key.pk}|${delta.key.sk}`;
      const item = counters.get(id) ?? {
        ...delta.key,
        type: 'Counter',
        unit,
        role: change.role,
        year: delta.ExpressionAttributeValues[':year'],
      };
      for (const [alias, attr] of Object.entries(delta.ExpressionAttributeNames)) {
        if (!alias.startsWith('#a')) continue;
        item[attr] = Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${alias.slice(2)}`]);
      }
      counters.set(id, item);
    }
  }
  items.push(...counters.values());
  return { items, codes, names };
}

async function put(doc: DynamoDBDocumentClient, tableName: string, items: object[]) {
  const batches: object[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let nextBatch = 0;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (nextBatch < batches.length) {
        const batch = batches[nextBatch++] ?? [];
        let requests: Record<string, unknown>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
        while (requests && requests.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = out.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined;
        }
      }
    }),
  );
}

/** Read units of the reads sent through the client since the last take (every read asks DynamoDB for them). */
function meterReads(client: DynamoDBClient) {
  let units = 0;
  let requests = 0;
  const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (READS.has(String(context.commandName))) {
        input.ReturnConsumedCapacity = 'TOTAL';
        requests++;
      }
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        units += Number((c as { CapacityUnits?: number }).CapacityUnits ?? 0);
      }
      return out;
    },
    { step: 'initialize', name: 'consoleBenchReadMeter' },
  );
  return {
    /** Read units and read requests since the last take. */
    take() {
      const taken = { units, requests };
      units = 0;
      requests = 0;
      return taken;
    },
  };
}

const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] ?? Number.NaN;
};

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const ddb = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const doc = createDocumentClient(client);
    const tableName = 'bench-console';
    await ensureTable(client, tableName);

    const seedStarted = performance.now();
    const units = liaoningCso.reportingUnits;
    const next = random(2026);
    let city: Seeded | undefined;
    let written = 0;
    for (const [u, unit] of units.entries()) {
      const count = Math.floor(FILINGS / units.length) + (u < FILINGS % units.length ? 1 : 0);
      const seeded = unitFilings(unit.code, unit.name.zh, 1_000_000 * (u + 1), count, next);
      await put(doc, tableName, seeded.items);
      written += count;
      if (unit.code === CITY) city = seeded;
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    if (!city || written !== FILINGS) throw new Error('the seed did not write every unit');
    console.log(`console bench: ${written} filings seeded in ${seedSeconds.toFixed(0)} s`);

    const meter = meterReads(client);
    // Reads only: the hasher is never asked (no person key is computed).
    const repo = createFilingRepository({ doc, tableName, hasher: localHasher(new Uint8Array(32)) });
    const queries = createStaffQueries(doc, tableName);
    const deps: StaffDeps = { repo, queries, now: () => NOW };
    const { saveYearSummary: _write, ...counters } = createCounterReader({ doc, tableName });
    const dashboardDeps = {
      counters,
      plans: createPlanStore({ doc, tableName }),
      queries,
      reads: createDashboardReads(doc, tableName),
      returns: createReturnStore(doc, tableName),
      now: () => NOW,
    };
    const principal: StaffPrincipal = {
      subject: 'bench-city',
      scopes: [{ role: 'city', programId: P, unit: CITY }],
    };
    const pick = random(7);
    const sample = <T>(list: T[]) => list[Math.floor(pick() * list.length)] as T;
    const cityZh = units.find((u) => u.code === CITY)?.name.zh ?? '';
    let cursor: string | undefined;

    const kinds: Record<string, () => Promise<number>> = {
      firstPage: async () => (await listFilings(deps, principal, { programId: P })).items.length,
      laterPage: async () => {
        // Each request turns the page the one before it reached: pages 2 to 66 of the unit.
        if (!cursor) cursor = (await listFilings(deps, principal, { programId: P })).next;
        meter.take();
        const page = await listFilings(deps, principal, { programId: P, cursor: cursor ?? '' });
        cursor = page.next;
        return page.items.length;
      },
      creditCode: async () =>
        (await listFilings(deps, principal, { programId: P, creditCode: sample(city?.codes ?? []) })).items
          .length,
      namePrefix: async () =>
        (
          await listFilings(deps, principal, {
            programId: P,
            name: `${cityZh}${sample(WORDS)}${pick() < 0.5 ? sample(TRADES) : ''}`,
          })
        ).items.length,
      dashboard: async () => {
        const board = await staffDashboard(dashboardDeps, principal, { programId: P });
        return board.units.length;
      },
    };

    const results: Record<
      string,
      { p95: number; rcuMean: number; rcuMax: number; reads: number; rows: number }
    > = {};
    for (const [kind, request] of Object.entries(kinds)) {
      for (let i = 0; i < WARM_UP; i++) await request();
      const times: number[] = [];
      const rcus: number[] = [];
      const reads: number[] = [];
      let rows = 0;
      for (let i = 0; i < REQUESTS; i++) {
        meter.take();
        const t0 = performance.now();
        rows += await request();
        times.push(performance.now() - t0);
        const taken = meter.take();
        rcus.push(taken.units);
        reads.push(taken.requests);
      }
      if (rows === 0) throw new Error(`${kind}: every request came back empty`);
      results[kind] = {
        p95: Math.round(p95(times)),
        rcuMean: rcus.reduce((a, b) => a + b, 0) / rcus.length,
        rcuMax: Math.max(...rcus),
        reads: reads.reduce((a, b) => a + b, 0) / reads.length,
        rows: rows / REQUESTS,
      };
      console.log(
        `console bench: ${kind} p95 ${results[kind]?.p95} ms, ${results[kind]?.rcuMean.toFixed(1)} RCU`,
      );
    }
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
    const worst = Math.max(...Object.values(results).map((r) => r.p95));
    const perKind = Object.entries(results)
      .map(
        ([kind, r]) =>
          `${kind} p95 ${r.p95} ms, ${r.rcuMean.toFixed(1)} RCU (max ${r.rcuMax}) in ${r.reads.toFixed(0)} reads, ${r.rows.toFixed(1)} rows`,
      )
      .join('; ');
    return {
      'console.p95Ms': {
        value: worst,
        unit: 'ms',
        goal: GOAL_MS,
        better: 'lower',
        note:
          `the worst p95 of the staff console's reads for a city user (Dalian) with ${FILINGS.toLocaleString('en')} ` +
          `filings across Liaoning's ${units.length} units in DynamoDB Local (seeded in ${seedSeconds.toFixed(0)} s), ` +
          `${REQUESTS} requests per kind after ${WARM_UP} warm-up, page size 20, the use cases on the real adapters ` +
          `(no Lambda or network): ${perKind}. Read units are DynamoDB Local's ConsumedCapacity, summed per request. ` +
          `The machine's load average (1/5/15 min) at the end: ${load} on ${availableParallelism()} cores, shared with other work.`,
      },
    };
  } finally {
    await ddb.stop();
  }
}

if (import.meta.main) {
  const metrics = await run();
  recordMetrics(metrics);
  console.log(JSON.stringify(metrics, null, 2));
}
