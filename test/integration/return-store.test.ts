// The annual return's store against DynamoDB Local: the contract the use-case fakes keep, and
// what only the table can say: units with pool members from the counters, a unit's filings
// from the index, enterprises past a batch write's 25, and return links that a review page
// never resolves.
import { beforeAll, describe, expect, it } from 'vitest';
import { createReturnStore } from '#shared/data/return-store.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { ReturnStore } from '#shared/ports/returns.ts';
import { hashLinkToken, newLinkToken } from '#shared/use-cases/workflow/links.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';
import { returnStoreContract } from '../support/return-store-contract.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

let env: Env;
let store: ReturnStore;
let n = 640_000;

beforeAll(async () => {
  env = await freshTable();
  store = createReturnStore(env.doc, env.tableName);
});

returnStoreContract('DynamoDB', () => store);

async function filing(unit: string, to: 'submitted' | 'in_pool' | 'removed') {
  const filingId = newFilingId();
  const at = new Date().toISOString();
  let { state, version } = await env.repo.create({
    filingId,
    programId: 'liaoning-cso',
    filing: parseFiling(validFiling({ n: n++, unit })),
    warnings: [],
    actor: { role: 'applicant' },
    at,
  });
  const path = [
    ['start_city_review', 'system'],
    ['approve', 'city'],
    ['include', 'province'],
    ['remove', 'system'],
  ] as const;
  for (const [action, role] of path) {
    if (state === to) break;
    const event = await env.repo.transition({
      filingId,
      expected: { state, version },
      action,
      actor: { role },
      at,
      ...(action === 'remove' ? { reason: '撤回同意' } : {}),
    });
    state = event.to;
    version = event.version;
  }
  return filingId;
}

describe('what the table says', () => {
  it('lists the units with pool members from the counters, and a unit’s filings from the index', async () => {
    const a = await filing('210100', 'in_pool');
    const b = await filing('210100', 'submitted');
    await filing('210200', 'removed');
    await filing('210300', 'in_pool');
    expect(await store.unitsWithPoolMembers('liaoning-cso')).toEqual(['210100', '210300']);
    expect(await store.unitsWithPoolMembers('anhui-std-director')).toEqual([]);
    expect((await store.unitFilingIds('liaoning-cso', '210100')).sort()).toEqual([a, b].sort());
  });

  it('writes and reads a unit of more enterprises than one batch write takes', async () => {
    const year = '2999';
    const unit = '211000';
    const enterprises = Array.from({ length: 60 }, (_v, i) => ({
      programId: 'liaoning-cso',
      year,
      unit,
      seq: i + 1,
      uscc: `USCC${i}`,
      name: `企业${i}`,
      recipients: [`c${i}@example.cn`],
      fallback: false,
      members: [{ filingId: `F${i}`, name: '张*', role: 'cso', position: '经理' }],
    }));
    await store.createUnit(
      {
        programId: 'liaoning-cso',
        year,
        unit,
        status: 'collecting',
        openedAt: '2026-11-01T00:00:00.000Z',
        deadline: '2026-11-22T00:00:00.000Z',
        enterprises: 60,
        members: 60,
        answered: 0,
        unreachable: [],
      },
      enterprises,
    );
    expect((await store.enterpriseRange('liaoning-cso', year, unit, 1, 60)).map((e) => e.seq)).toEqual(
      enterprises.map((e) => e.seq),
    );
    expect((await store.enterpriseRange('liaoning-cso', year, unit, 51, 100)).length).toBe(10);
  });

  it('keeps return links apart from review links under the same hash space', async () => {
    const { token, hash } = newLinkToken();
    await store.putLink({
      tokenHash: hash,
      programId: 'liaoning-cso',
      year: '2026',
      unit: '210100',
      kind: 'city',
      reviewer: { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: '210100' },
      createdAt: '2026-11-01T00:00:00.000Z',
      expiresAt: '2026-12-13T00:00:00.000Z',
    });
    expect(await createReviewStore(env.doc, env.tableName).getLink(hashLinkToken(token))).toBeUndefined();
    expect((await store.getLink(hash))?.unit).toBe('210100');
  });
});
