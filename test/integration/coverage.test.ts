// Enterprise coverage against DynamoDB Local through the real repository: registrations, a second director, removals,
// a supersession across enterprises, concurrent registrations in one enterprise, Liaoning left alone, the report read
// through the real counter reader, and the backfill that computes the counts from the current filings.
import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCounterReader } from '#shared/data/counter-reader.ts';
import { backfillCoverage } from '#shared/data/coverage-backfill.ts';
import { membersKey } from '#shared/data/coverage-item.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import type { Action, FilingState } from '#shared/domain/lifecycle.ts';
import { targetProgress } from '#shared/use-cases/reports/target-progress.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { ACTOR_FOR, usccFor, validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const ANHUI = 'anhui-std-director';
const AT = '2026-03-10T02:00:00.000Z';
let seq = 0;
const newId = () => `FCOV${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

interface DirectorOptions {
  unit?: string;
  uscc?: string;
  aboveScale?: boolean;
  emerging?: boolean;
  programId?: string;
  role?: string;
}

async function submit(env: Env, n: number, o: DirectorOptions = {}) {
  const filingId = newId();
  const input = validFiling({ n, role: o.role ?? 'director', unit: o.unit ?? '340100' });
  if (o.uscc) input.enterprise.uscc = o.uscc;
  input.enterprise.categories = o.aboveScale === false ? ['good_behavior'] : ['good_behavior', 'above_scale'];
  if (o.emerging) input.enterprise.emergingIndustries = ['new_materials'];
  await env.repo.create({
    filingId,
    programId: o.programId ?? ANHUI,
    filing: parseFiling(input),
    warnings: [],
    actor: { role: 'applicant' },
    at: AT,
  });
  return filingId;
}

async function act(env: Env, filingId: string, state: FilingState, version: number, action: Action) {
  return env.repo.transition({
    filingId,
    expected: { state, version },
    action,
    actor: { role: ACTOR_FOR[action], id: 'staff-1' },
    at: AT,
    ...(action === 'remove' ? { reason: '已离职', detail: { removal: 'left_post' } } : {}),
  });
}

/** A new director filing, registered; returns its id (version 3, registered). */
async function registered(env: Env, n: number, o: DirectorOptions = {}) {
  const filingId = await submit(env, n, o);
  await act(env, filingId, 'submitted', 1, 'start_city_review');
  await act(env, filingId, 'city_review', 2, 'register');
  return filingId;
}

async function coverage(env: Env, programId = ANHUI) {
  const reader = createCounterReader({ doc: env.doc, tableName: env.tableName });
  const records = (await reader.coverage?.(programId)) ?? [];
  return Object.fromEntries(records.map((r) => [r.unit, r.cells]));
}

async function members(env: Env, uscc: string) {
  const out = await env.doc.send(
    new GetCommand({ TableName: env.tableName, Key: membersKey(ANHUI, uscc), ConsistentRead: true }),
  );
  return out.Item?.members as number | undefined;
}

describe('enterprise coverage on DynamoDB Local', () => {
  let env: Env;
  beforeAll(async () => {
    env = await freshTable();
  });

  it('counts an enterprise once however many directors it has, and gives it back when the last one leaves', async () => {
    const uscc = usccFor(9001, '340100');
    const first = await registered(env, 9001, { uscc, emerging: true });
    expect(await members(env, uscc)).toBe(1);
    expect((await coverage(env))['340100']).toEqual({ above_emerging: 1 });
    // A second director of the same enterprise (declaring it differently): no change in coverage.
    const second = await registered(env, 9002, { uscc, aboveScale: false });
    expect(await members(env, uscc)).toBe(2);
    expect((await coverage(env))['340100']).toEqual({ above_emerging: 1 });
    // Filed but not registered, or withdrawn: not a member.
    const open = await submit(env, 9003, { uscc });
    await act(env, open, 'submitted', 1, 'withdraw');
    expect(await members(env, uscc)).toBe(2);
    await act(env, first, 'registered', 3, 'remove');
    expect(await members(env, uscc)).toBe(1);
    expect((await coverage(env))['340100']).toEqual({ above_emerging: 1 });
    await act(env, second, 'registered', 3, 'remove');
    expect(await members(env, uscc)).toBeUndefined();
    expect((await coverage(env))['340100']).toEqual({ above_emerging: 0 });
  });

  it('moves the coverage when a director’s later filing for another enterprise supersedes the earlier one', async () => {
    const from = usccFor(9101, '340200');
    const earlier = await registered(env, 9101, { unit: '340200', uscc: from, aboveScale: false });
    expect((await coverage(env))['340200']).toEqual({ neither: 1 });
    // The same person (same n: same ID number) moves to an enterprise of Guangde.
    const to = usccFor(9101, '341882');
    const later = await submit(env, 9101, { unit: '341882', uscc: to, emerging: true });
    expect((await env.repo.get(later)).supersedes).toBe(earlier);
    await act(env, later, 'submitted', 1, 'start_city_review');
    await act(env, later, 'city_review', 2, 'register');
    expect((await env.repo.get(earlier)).state).toBe('superseded');
    const after = await coverage(env);
    expect(after['340200']).toEqual({ neither: 0 });
    expect(after['341882']).toEqual({ above_emerging: 1 });
    expect(await members(env, from)).toBeUndefined();
    expect(await members(env, to)).toBe(1);
  });

  it('counts an enterprise once when its directors are registered at the same moment', async () => {
    const uscc = usccFor(9201, '340300');
    const ids = await Promise.all(
      [9201, 9202, 9203, 9204].map((n) => submit(env, n, { unit: '340300', uscc, aboveScale: false })),
    );
    await Promise.all(ids.map((id) => act(env, id, 'submitted', 1, 'start_city_review')));
    await Promise.all(ids.map((id) => act(env, id, 'city_review', 2, 'register')));
    expect(await members(env, uscc)).toBe(4);
    expect((await coverage(env))['340300']).toEqual({ neither: 1 });
    await Promise.all(ids.map((id) => act(env, id, 'registered', 3, 'remove')));
    expect(await members(env, uscc)).toBeUndefined();
    expect((await coverage(env))['340300']).toEqual({ neither: 0 });
  });

  it('rebuilds its coverage writes when another registration in the enterprise lands between its read and write', async () => {
    const uscc = usccFor(9601, '340400');
    const [a, b] = await Promise.all([
      submit(env, 9601, { unit: '340400', uscc }),
      submit(env, 9602, { unit: '340400', uscc }),
    ]);
    for (const id of [a, b]) await act(env, id ?? '', 'submitted', 1, 'start_city_review');
    // A client that, just before the first transaction writing the member count, lets the other registration in.
    let interleaved = false;
    let transactions = 0;
    const doc = new Proxy(env.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: Parameters<typeof target.send>[0]) => {
          if (command instanceof TransactWriteCommand) {
            transactions++;
            const writesMembers = command.input.TransactItems?.some(
              (i) => i.Put?.Item?.type === 'EnterpriseMembers',
            );
            if (writesMembers && !interleaved) {
              interleaved = true;
              await act(env, b ?? '', 'city_review', 2, 'register');
            }
          }
          return target.send(command);
        };
      },
    });
    const racing = createFilingRepository({
      doc,
      tableName: env.tableName,
      cipher: env.cipher,
      hasher: env.hasher,
    });
    const event = await racing.transition({
      filingId: a ?? '',
      expected: { state: 'city_review', version: 2 },
      action: 'register',
      actor: { role: 'city', id: 'staff-1' },
      at: AT,
    });
    expect(event.to).toBe('registered');
    expect(interleaved).toBe(true);
    // Refused once on the member count it had read (0), then written from a fresh read (1).
    expect(transactions).toBe(2);
    expect(await members(env, uscc)).toBe(2);
    expect((await coverage(env))['340400']).toEqual({ above_only: 1 });
    expect(await env.repo.history(a ?? '')).toHaveLength(3);
  });

  it('writes no coverage for Liaoning', async () => {
    const filingId = await submit(env, 9301, { programId: 'liaoning-cso', role: 'director', unit: '210100' });
    await act(env, filingId, 'submitted', 1, 'start_city_review');
    await act(env, filingId, 'city_review', 2, 'approve');
    await act(env, filingId, 'province_review', 3, 'include');
    expect((await env.repo.get(filingId)).state).toBe('in_pool');
    expect(await coverage(env, 'liaoning-cso')).toEqual({});
    const items = await scanAll(env.doc, env.tableName);
    expect(items.filter((i) => String(i.pk).includes('liaoning-cso') && i.sk === 'MEMBERS')).toEqual([]);
  });

  it('gives the report its coverage through the real counter reader', async () => {
    const fresh = await freshTable();
    const shared = usccFor(9401, '340100');
    await registered(fresh, 9401, { uscc: shared, emerging: true });
    await registered(fresh, 9402, { uscc: shared });
    await registered(fresh, 9403);
    await registered(fresh, 9404, { unit: '341882', aboveScale: false, emerging: true });
    const pages: number[] = [];
    const report = await targetProgress(
      {
        counters: createCounterReader({
          doc: fresh.doc,
          tableName: fresh.tableName,
          onPage: (p) => pages.push(p.items),
        }),
        now: () => new Date('2026-03-20T04:00:00Z'),
      },
      { programId: ANHUI, asOf: '2026-03-20' },
    );
    expect(report.pool).toBe(4);
    expect(report.coverage?.totals).toMatchObject({ covered: 3, aboveScale: 2, emerging: 2 });
    expect(report.coverage?.units.find((u) => u.unit === '340100')).toMatchObject({
      covered: 2,
      aboveScale: 2,
      emerging: 1,
    });
    expect(report.coverage?.units.find((u) => u.unit === '341882')).toMatchObject({
      covered: 1,
      aboveScale: 0,
      emerging: 1,
    });
    // The coverage read on its own: one page of one item per unit with coverage, half a read unit at most.
    const coveragePages: { items: number; capacityUnits: number }[] = [];
    await createCounterReader({
      doc: fresh.doc,
      tableName: fresh.tableName,
      onPage: (p) => coveragePages.push(p),
    }).coverage?.(ANHUI);
    expect(coveragePages.map((p) => p.items)).toEqual([2]);
    expect(coveragePages[0]?.capacityUnits ?? 1).toBeLessThanOrEqual(0.5);
    expect(pages.length).toBeGreaterThan(0);
  });

  it('backfills the member and coverage counts from the current filings, and a second run writes nothing', async () => {
    const fresh = await freshTable();
    const shared = usccFor(9501, '340100');
    await registered(fresh, 9501, { uscc: shared, emerging: true });
    const left = await registered(fresh, 9502, { uscc: shared });
    await act(fresh, left, 'registered', 3, 'remove');
    await registered(fresh, 9503, { uscc: shared });
    await registered(fresh, 9504, { unit: '341882', aboveScale: false });
    await submit(fresh, 9505, { unit: '340200' });
    const expected = await coverage(fresh);
    expect(expected).toEqual({ '340100': { above_emerging: 1 }, '341882': { neither: 1 } });
    // As stored before coverage was kept: neither item type exists.
    for (const item of await scanAll(fresh.doc, fresh.tableName)) {
      if (item.type === 'EnterpriseMembers' || item.type === 'Coverage') {
        await fresh.doc.send(
          new DeleteCommand({ TableName: fresh.tableName, Key: { pk: item.pk, sk: item.sk } }),
        );
      }
    }
    expect(await coverage(fresh)).toEqual({});
    expect(await backfillCoverage(fresh.doc, fresh.tableName)).toEqual({
      enterprises: 3,
      corrected: 2,
      raced: 0,
    });
    expect(await coverage(fresh)).toEqual(expected);
    const key = membersKey(ANHUI, shared);
    const item = await fresh.doc.send(
      new GetCommand({ TableName: fresh.tableName, Key: key, ConsistentRead: true }),
    );
    expect(item.Item).toMatchObject({ members: 2, unit: '340100', aboveScale: true, emerging: true });
    expect(await backfillCoverage(fresh.doc, fresh.tableName)).toEqual({
      enterprises: 3,
      corrected: 0,
      raced: 0,
    });
    // Transitions after the backfill carry on from its counts.
    const more = await registered(fresh, 9506, { unit: '341882', uscc: usccFor(9504, '341882') });
    await act(fresh, more, 'registered', 3, 'remove');
    expect(await coverage(fresh)).toEqual(expected);
  });
});
