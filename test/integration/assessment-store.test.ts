// The annual assessment's store against DynamoDB Local: the contract the use-case fakes keep,
// and what only the table can say: units with pool members from the counters, a unit's
// filings from the index, and grading links that a review page never resolves.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAssessmentStore } from '#shared/data/assessment-store.ts';
import { createReviewStore } from '#shared/data/review-store.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { newFilingId } from '#shared/domain/ids.ts';
import type { AssessmentStore } from '#shared/use-cases/assessment/ports.ts';
import { hashLinkToken, newLinkToken } from '#shared/use-cases/workflow/links.ts';
import { assessmentStoreContract } from '../support/assessment-store-contract.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

let env: Env;
let store: AssessmentStore;
let n = 640_000;

beforeAll(async () => {
  env = await freshTable();
  store = createAssessmentStore(env.doc, env.tableName);
});

assessmentStoreContract('DynamoDB', () => store);

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

  it('keeps grading links apart from review links under the same hash space', async () => {
    const { token, hash } = newLinkToken();
    await store.putLink({
      tokenHash: hash,
      programId: 'liaoning-cso',
      year: '2026',
      unit: '210100',
      stage: 'assessment',
      reviewer: { role: 'city', id: 'review-210100@liaoning-cso.example.cn', unit: '210100' },
      createdAt: '2026-11-01T00:00:00.000Z',
      expiresAt: '2026-12-13T00:00:00.000Z',
    });
    expect(await createReviewStore(env.doc, env.tableName).getLink(hashLinkToken(token))).toBeUndefined();
    expect((await store.getLink(hash))?.unit).toBe('210100');
  });
});
