// The target-progress report against DynamoDB Local. A province of 3,100 filings in random
// states over 2024–2026: 300 driven through the real repository (its transactions write the
// counters, amendments that move a filing to another unit included), and 2,800 generated
// ones whose counter updates are made by counterDelta, as in the repository's transactions,
// and summed per counter item before they are written (ADD commutes: the item ends the same
// as after one UpdateItem per transition), because 2,800 more encrypted creations and some
// 11,000 more transactions take minutes on DynamoDB Local. The report is checked against a
// recount of every filing's events (the audit trail read back for the real ones, the
// generated history for the others), its read cost is shown not to grow with the pool, and
// the local CLI is run against the same engine.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { type CounterDelta, counterDelta } from '#shared/data/counter-item.ts';
import { type CounterReadPage, createCounterReader } from '#shared/data/counter-reader.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { createTrainingStore } from '#shared/data/training-store.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import {
  type Action,
  type Actor,
  allowedActions,
  canTransition,
  type FilingState,
  REASON_REQUIRED,
  STATES,
  transition,
} from '#shared/domain/lifecycle.ts';
import { liaoningCso } from '#shared/domain/programs/liaoning-cso.ts';
import { shanghaiDate } from '#shared/domain/time.ts';
import type { TargetProgressReport } from '#shared/use-cases/reports/report-schema.ts';
import { targetProgress } from '#shared/use-cases/reports/target-progress.ts';
import { freshTable, localClient, scanAll } from '../support/ddb.ts';
import { ACTOR_FOR, validFiling } from '../support/fixtures.ts';
import { type ModelEvent, recount } from '../support/report-recount.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const REAL = 300;
const SYNTHETIC = 2_800;
const NOW = new Date('2026-06-01T04:00:00Z');
const FROM = Date.parse('2024-01-01T00:00:00+08:00');
const UNTIL = Date.parse('2026-05-20T00:00:00+08:00');
const DAY = 86_400_000;
const UNITS = liaoningCso.reportingUnits.map((u) => u.code);
const ROLES = liaoningCso.roles.map((r) => r.id);
const PROGRAM = liaoningCso.id;
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Deterministic random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Leans toward the happy path, so the pool is a good part of the filings. */
const WEIGHT: Record<Action, number> = {
  submit: 0,
  start_city_review: 8,
  approve: 6,
  include: 6,
  // The workflow registers only filings of a programme without a province stage (not Liaoning).
  register: 0,
  resubmit: 5,
  request_changes: 2,
  reject: 1,
  decline: 1,
  withdraw: 0.5,
  expire: 1,
  remove: 1,
  supersede: 0.5,
  assess: 2,
  // A hand-over to the province changes no count.
  escalate: 0,
};

interface Step {
  action: Action;
  from: FilingState;
  to: FilingState;
  at: string;
  /** The unit after the step: a resubmission may move the filing to another unit. */
  unit: string;
}
interface Plan {
  filingId: string;
  n: number;
  /** The unit filed under. */
  unit: string;
  role: string;
  createdAt: string;
  steps: Step[];
}

/** An action drawn by WEIGHT, given a number in [0, 1). */
function weighted(actions: readonly Action[], draw: number): Action | undefined {
  let left = draw * actions.reduce((s, a) => s + WEIGHT[a], 0);
  for (const action of actions) {
    left -= WEIGHT[action];
    if (left < 0) return action;
  }
  return undefined;
}

function plan(next: () => number, filingId: string, n: number): Plan {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const filedUnder = pick(UNITS);
  const role = pick(ROLES);
  let unit = filedUnder;
  let t = FROM + Math.floor(next() * (UNTIL - FROM));
  const createdAt = new Date(t).toISOString();
  const steps: Step[] = [];
  let state: FilingState = 'submitted';
  // A walk stops now and then, and mostly once in the pool (a few yearly assessments).
  while (next() > (state === 'in_pool' ? 0.6 : 0.08)) {
    const actions = (['applicant', 'city', 'province', 'system'] as Actor[])
      .flatMap((a) => allowedActions(state, a))
      .filter((a) => canTransition(state, a, ACTOR_FOR[a]));
    const action = weighted(actions, next());
    if (!action) break;
    t += Math.floor(next() * 40 * DAY);
    if (t > UNTIL) break;
    const to = transition(state, action, ACTOR_FOR[action]);
    if (action === 'resubmit' && next() < 0.3) unit = pick(UNITS);
    steps.push({ action, from: state, to, at: new Date(t).toISOString(), unit });
    state = to;
  }
  return { filingId, n, unit: filedUnder, role, createdAt, steps };
}

/** The counter updates a plan's transitions make, as the repository builds them. */
function deltas(p: Plan): CounterDelta[] {
  const out: (CounterDelta | undefined)[] = [
    counterDelta({
      programId: PROGRAM,
      unit: p.unit,
      role: p.role,
      from: null,
      to: 'submitted',
      at: p.createdAt,
    }),
  ];
  let unit = p.unit;
  for (const s of p.steps) {
    const base = { programId: PROGRAM, role: p.role, at: s.at };
    if (s.unit !== unit) {
      out.push(counterDelta({ ...base, unit, from: s.from, to: null }));
      out.push(counterDelta({ ...base, unit: s.unit, from: null, to: s.to }));
      unit = s.unit;
    } else {
      out.push(counterDelta({ ...base, unit, from: s.from, to: s.to }));
    }
  }
  return out.filter((d) => d !== undefined);
}

/** Many counter updates as one per counter item: the ADDs summed (what they add up to is the same). */
function sumDeltas(list: readonly CounterDelta[]): CounterDelta[] {
  const byItem = new Map<string, { first: CounterDelta; adds: Map<string, number> }>();
  for (const d of list) {
    const entry = byItem.get(d.key.sk) ?? { first: d, adds: new Map<string, number>() };
    byItem.set(d.key.sk, entry);
    for (const [alias, attr] of Object.entries(d.ExpressionAttributeNames)) {
      if (!alias.startsWith('#a')) continue;
      const value = Number(d.ExpressionAttributeValues[`:v${alias.slice(2)}`]);
      entry.adds.set(attr, (entry.adds.get(attr) ?? 0) + value);
    }
  }
  return [...byItem.values()].map(({ first, adds }) => {
    const names = Object.fromEntries(
      Object.entries(first.ExpressionAttributeNames).filter(([alias]) => !alias.startsWith('#a')),
    );
    const values = Object.fromEntries(
      Object.entries(first.ExpressionAttributeValues).filter(([alias]) => !alias.startsWith(':v')),
    );
    const parts = [...adds].map(([attr, n], i) => {
      names[`#a${i}`] = attr;
      values[`:v${i}`] = n;
      return `#a${i} :v${i}`;
    });
    const set = first.UpdateExpression.slice(0, first.UpdateExpression.indexOf(' ADD '));
    return {
      key: first.key,
      UpdateExpression: `${set} ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  });
}

function modelEvents(p: Plan): ModelEvent[] {
  return [
    { filingId: p.filingId, version: 1, at: p.createdAt, to: 'submitted', unit: p.unit, role: p.role },
    ...p.steps.map((s, i) => ({
      filingId: p.filingId,
      version: i + 2,
      at: s.at,
      to: s.to,
      unit: s.unit,
      role: p.role,
    })),
  ];
}

async function inParallel<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await run(item);
      }
    }),
  );
}

const update = (env: Pick<Env, 'doc' | 'tableName'>, d: CounterDelta) =>
  env.doc.send(
    new UpdateCommand({
      TableName: env.tableName,
      Key: d.key,
      UpdateExpression: d.UpdateExpression,
      ExpressionAttributeNames: d.ExpressionAttributeNames,
      ExpressionAttributeValues: d.ExpressionAttributeValues,
    }),
  );

/** Drives a plan through the real repository: creation, then each transition (amendments included). */
async function drive(env: Env, p: Plan) {
  await env.repo.create({
    filingId: p.filingId,
    programId: PROGRAM,
    filing: parseFiling(validFiling({ n: p.n, unit: p.unit, role: p.role })),
    warnings: [],
    actor: { role: 'applicant' },
    at: p.createdAt,
  });
  let unit = p.unit;
  for (const [i, s] of p.steps.entries()) {
    await env.repo.transition({
      filingId: p.filingId,
      expected: { state: s.from, version: i + 1 },
      action: s.action,
      actor: { role: ACTOR_FOR[s.action], id: 'staff-1', unit },
      at: s.at,
      ...(REASON_REQUIRED.includes(s.action) ? { reason: '测试' } : {}),
      ...(s.unit !== unit
        ? {
            amended: {
              filing: parseFiling(validFiling({ n: p.n, unit: s.unit, role: p.role })),
              warnings: [],
            },
          }
        : {}),
    });
    unit = s.unit;
  }
}

/** The programme's report as of a date, and the pages its read of the counters took. */
async function measuredReport(env: Pick<Env, 'doc' | 'tableName'>, asOf: string, withTraining = false) {
  const pages: CounterReadPage[] = [];
  // Every year's items, as a report reads them before its closed years are summarized: this
  // file adds counters to past years, which nothing else does (test/integration/counter-summary.test.ts
  // reads through the summary).
  const { countersUpTo } = createCounterReader({
    doc: env.doc,
    tableName: env.tableName,
    onPage: (p) => pages.push(p),
  });
  const counters = { countersUpTo };
  const report = await targetProgress(
    {
      counters,
      now: () => NOW,
      ...(withTraining ? { training: createTrainingStore(env.doc, env.tableName) } : {}),
    },
    { programId: PROGRAM, asOf },
  );
  return { report, pages };
}

function expectRecount(report: TargetProgressReport, events: ModelEvent[]) {
  const expected = recount(events, {
    monthEnd: report.basis.monthlyThrough,
    yearEnd: report.basis.yearlyThrough,
    firstMonth: report.trend[0]?.month ?? '',
  });
  const zero = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const row of report.rows) {
    const cell = expected.cells.get(`${row.unit}#${row.role}`) ?? { filed: 0, states: zero };
    expect(row.counts.states, `${row.unit} ${row.role}`).toEqual(cell.states);
    expect(row.counts.filed, `${row.unit} ${row.role}`).toBe(cell.filed);
  }
  for (const key of expected.cells.keys()) {
    const [unit, role] = key.split('#');
    expect(report.rows.some((r) => r.unit === unit && r.role === role)).toBe(true);
  }
  expect(report.trend.map((p) => [p.month, p.filed, p.included, p.removed, p.pool])).toEqual(
    [...expected.trend].map(([month, p]) => [month, p.filed, p.included, p.removed, p.pool]),
  );
  const pool = [...expected.cells.values()].reduce((n, c) => n + c.states.in_pool, 0);
  expect(report.pool).toBe(pool);
  expect(report.target?.pool).toBe(pool);
  // Lagging: the units with nobody entering the pool in the last three months of the recount.
  const stateAfter = new Map(events.map((e) => [`${e.filingId}#${e.version}`, e.to]));
  const recent = new Set(
    events
      .filter((e) => e.to === 'in_pool' && stateAfter.get(`${e.filingId}#${e.version - 1}`) !== 'in_pool')
      .filter((e) => report.lagging.months.includes(shanghaiDate(e.at).slice(0, 7)))
      .map((e) => e.unit),
  );
  expect(report.lagging.units).toEqual(UNITS.filter((u) => !recent.has(u)));
}

describe('target-progress report on DynamoDB Local', () => {
  let env: Env;
  let events: ModelEvent[];

  beforeAll(async () => {
    env = await freshTable();
    const next = random(20251231);
    const real = Array.from({ length: REAL }, (_, i) => plan(next, `REAL${i}`, 60_000 + i));
    const synthetic = Array.from({ length: SYNTHETIC }, (_, i) => plan(next, `SYN${i}`, 0));
    await inParallel(sumDeltas(synthetic.flatMap(deltas)), 8, async (d) => {
      await update(env, d);
    });
    await inParallel(real, 8, (p) => drive(env, p));
    const stored = (await scanAll(env.doc, env.tableName)).filter((i) => i.type === 'FilingEvent');
    expect(new Set(stored.map((e) => e.filingId)).size).toBe(REAL);
    events = [
      ...stored.map((e) => ({
        filingId: String(e.filingId),
        version: Number(e.version),
        at: String(e.at),
        to: e.to as FilingState,
        unit: String(e.unit),
        role: String(e.role),
      })),
      ...synthetic.flatMap(modelEvents),
    ];
  }, 300_000);

  it('equals a recount of every filing’s events: at a year end, within a year and today', async () => {
    for (const asOf of ['2025-12-31', '2025-06-30', '2026-05-31']) {
      const { report } = await measuredReport(env, asOf);
      expectRecount(report, events);
    }
    const { report } = await measuredReport(env, '2026-05-31');
    expect(report.totals.filed).toBe(REAL + SYNTHETIC);
    expect(report.trend[0]?.month).toBe('2024-01');
    // The generated province is varied enough to mean something.
    // Every state Liaoning's filings reach (`registered` is the end of a programme without a province stage).
    for (const state of STATES.filter((s) => s !== 'registered'))
      expect(report.totals.states[state], state).toBeGreaterThan(10);
    expect(report.totals.states.registered).toBe(0);
    expect(report.pool).toBeGreaterThan(600);
    // Some filings driven through the repository were moved to another unit by an amendment.
    const unitsOf = new Map<string, Set<string>>();
    for (const e of events.filter((x) => x.filingId.startsWith('REAL'))) {
      unitsOf.set(e.filingId, (unitsOf.get(e.filingId) ?? new Set()).add(e.unit));
    }
    expect([...unitsOf.values()].filter((u) => u.size > 1).length).toBeGreaterThan(3);
  });

  it('reads one page of counters whatever the pool size', async () => {
    const before = await measuredReport(env, '2025-12-31');
    expect(before.pages).toHaveLength(1);
    // Items: one per year × unit × role that saw a change (2024 and 2025), never a filing.
    expect(before.pages[0]?.items).toBeLessThanOrEqual(2 * UNITS.length * ROLES.length);
    const units = before.pages[0]?.capacityUnits ?? 0;
    expect(units).toBeGreaterThan(0);
    // Twice the pool: 3,000 more filings over the same years, units and roles. Their updates
    // are summed per counter item first (the sums are what the transactions would add).
    const next = random(7);
    const more = Array.from({ length: 3_000 }, (_, i) => plan(next, `MORE${i}`, 0));
    await inParallel(sumDeltas(more.flatMap(deltas)), 8, async (d) => {
      await update(env, d);
    });
    const after = await measuredReport(env, '2025-12-31');
    expect(after.report.pool).toBeGreaterThan(before.report.pool * 1.8);
    expect(after.pages).toHaveLength(1);
    expect(after.pages[0]?.items).toBe(before.pages[0]?.items);
    // The cost follows the items, not the people: a counter item stays under 1 KB (at most 9
    // net and 36 monthly numbers), so one eventually consistent read of N items costs at most
    // N × 1 KB / 4 KB × ½ units. Twice the pool adds a few attributes and digits, not items.
    const bound = ((after.pages[0]?.items ?? 0) * 1024) / 4096 / 2;
    expect(after.pages[0]?.capacityUnits ?? 0).toBeLessThanOrEqual(bound);
    expect((after.pages[0]?.capacityUnits ?? 0) / units).toBeLessThan(1.25);
  });
});

describe('npm run report (infra/local/report.ts)', () => {
  const run = promisify(execFile);
  async function cli(args: string[], env: Record<string, string>) {
    const clean = { ...process.env };
    for (const name of ['DYNAMODB_ENDPOINT', 'AWS_ENDPOINT_URL_DYNAMODB', 'DYNAMODB_PORT', 'LOCAL_DIR']) {
      delete clean[name];
    }
    try {
      const out = await run(process.execPath, ['infra/local/report.ts', ...args], {
        cwd: root,
        env: { ...clean, ...env },
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout: out.stdout, stderr: out.stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('prints the report of the runtime’s table as JSON, CSV or HTML', async () => {
    const client = localClient();
    const tableName = 'standards-officer-local';
    await ensureTable(client, tableName);
    const doc = createDocumentClient(client);
    const next = random(42);
    const plans = Array.from({ length: 60 }, (_, i) => plan(next, `CLI${i}`, 0));
    await inParallel(sumDeltas(plans.flatMap(deltas)), 8, async (d) => {
      await update({ doc, tableName }, d);
    });
    const endpoint = inject('dynamodbEndpoint');
    const json = await cli(['--program', PROGRAM, '--as-of', '2025-12-31'], { DYNAMODB_ENDPOINT: endpoint });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout) as TargetProgressReport;
    // The command reads the training batches as the scheduled report does.
    const { report } = await measuredReport({ doc, tableName }, '2025-12-31', true);
    expect(printed.trainingMilestones).toBeDefined();
    expect({ ...printed, generatedAt: '' }).toEqual({ ...report, generatedAt: '' });
    expect(printed.totals.filed).toBeGreaterThan(0);
    const csv = await cli(['--program', PROGRAM, '--as-of', '2025-12-31', '--format', 'csv'], {
      DYNAMODB_ENDPOINT: endpoint,
    });
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith('\uFEFF备案单位,')).toBe(true);
    const html = await cli(['--program', PROGRAM, '--as-of', '2025-12-31', '--format', 'html'], {
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    });
    expect(html.code).toBe(0);
    expect(html.stdout.match(/<svg[\s>]/g)).toHaveLength(2);
    const bad = await cli(['--program', PROGRAM, '--as-of', '2025-13-01'], { DYNAMODB_ENDPOINT: endpoint });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('asOf: a date as YYYY-MM-DD');
  });

  it('says DynamoDB Local is not running, with exit code 2', async () => {
    const localDir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    try {
      const none = await cli(['--program', PROGRAM], { LOCAL_DIR: localDir });
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('DynamoDB Local is not running');
      expect(none.stderr).toContain(join(localDir, 'dynamodb'));
      expect(none.stdout).toBe('');
      const closed = await cli(['--program', PROGRAM], {
        // Port 1: privileged and unused, so the connection is refused on any machine.
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      });
      expect(closed.code).toBe(2);
      expect(closed.stderr).toContain('DynamoDB Local is not running at http://127.0.0.1:');
    } finally {
      rmSync(localDir, { recursive: true, force: true });
    }
  });

  it('finds the DynamoDB Local that serves LOCAL_DIR, as npm start leaves it', async () => {
    const localDir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    mkdirSync(join(localDir, 'dynamodb'));
    const ddb = await startDynamoDbLocal({ dataDir: join(localDir, 'dynamodb') });
    try {
      const empty = await cli(['--program', PROGRAM, '--as-of', '2025-12-31'], { LOCAL_DIR: localDir });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain(
        `DynamoDB Local at ${ddb.endpoint} has no table standards-officer-local`,
      );
      const client = new DynamoDBClient({
        endpoint: ddb.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await ensureTable(client, 'standards-officer-local');
      client.destroy();
      const ok = await cli(['--program', 'anhui-std-director', '--as-of', '2025-12-31'], {
        LOCAL_DIR: localDir,
      });
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ programId: 'anhui-std-director', pool: 0, target: null });
    } finally {
      await ddb.stop();
      rmSync(localDir, { recursive: true, force: true });
    }
  });
});
