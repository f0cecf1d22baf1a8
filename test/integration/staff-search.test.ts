// Staff search by the start of a credit code or an enterprise name, on the real repository and
// the filingSearch index in DynamoDB Local: a city sees its own unit's matches only, the province
// every unit's, a search pages by its own cursor, and filings stored before the index are found
// once the backfill has given them its keys.
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { filingNameKey } from '#shared/data/filing-search-item.ts';
import { backfillFilingSearch } from '#shared/data/search-backfill.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import type { StaffPrincipal } from '#shared/domain/staff.ts';
import { listFilings, type StaffDeps } from '#shared/use-cases/staff/staff-filings.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

const P = 'liaoning-cso';
let env: Awaited<ReturnType<typeof freshTable>>;
let deps: StaffDeps;
const province: StaffPrincipal = { subject: 'p-1', scopes: [{ role: 'province', programId: P }] };
const shenyang: StaffPrincipal = { subject: 'c-1', scopes: [{ role: 'city', programId: P, unit: '210100' }] };
const dalian: StaffPrincipal = { subject: 'c-2', scopes: [{ role: 'city', programId: P, unit: '210200' }] };
const uscc: Record<string, string> = {};

async function file(filingId: string, n: number, unit: string, name: string, sameCodeAs?: string) {
  const input = validFiling({ n, unit });
  input.enterprise.name = name;
  if (sameCodeAs) input.enterprise.uscc = uscc[sameCodeAs] ?? '';
  uscc[filingId] = input.enterprise.uscc;
  await env.repo.create({
    filingId,
    programId: P,
    filing: parseFiling(input),
    warnings: [],
    actor: { role: 'applicant' },
    at: `2025-0${(n % 9) + 1}-10T02:00:00.000Z`,
  });
}

const ids = (page: { items: { filingId: string }[] }) => page.items.map((r) => r.filingId).sort();

beforeAll(async () => {
  env = await freshTable();
  deps = { repo: env.repo, queries: createStaffQueries(env.doc, env.tableName), now: () => new Date() };
  await file('FSEARCH1', 93_001, '210100', '沈阳北方重工有限公司');
  await file('FSEARCH2', 93_002, '210100', '沈阳北方电气有限公司');
  await file('FSEARCH3', 93_003, '210100', '鞍山钢铁有限公司');
  // Dalian: the same name's start and the very same credit code as a Shenyang filing.
  await file('FSEARCH4', 93_004, '210200', '沈阳北方重工大连分公司', 'FSEARCH1');
});

describe('search by the start of an enterprise name', () => {
  it('finds a city’s own matches only, however the name is typed', async () => {
    const page = await listFilings(deps, shenyang, { programId: P, name: '沈阳 北方' });
    expect(ids(page)).toEqual(['FSEARCH1', 'FSEARCH2']);
    expect(page.items.every((r) => r.enterprise.startsWith('沈阳北方'))).toBe(true);
    expect(ids(await listFilings(deps, dalian, { programId: P, name: '沈阳北方' }))).toEqual(['FSEARCH4']);
    expect(ids(await listFilings(deps, dalian, { programId: P, name: '鞍山' }))).toEqual([]);
  });

  it('finds every unit’s matches for the province, and pages by the search’s cursor', async () => {
    expect(ids(await listFilings(deps, province, { programId: P, name: '沈阳北方' }))).toEqual([
      'FSEARCH1',
      'FSEARCH2',
      'FSEARCH4',
    ]);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listFilings(deps, shenyang, {
        programId: P,
        name: '沈阳北方',
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((r) => r.filingId));
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(['FSEARCH1', 'FSEARCH2']);
  });

  it('still applies the other filters', async () => {
    expect(
      ids(await listFilings(deps, shenyang, { programId: P, name: '沈阳北方', status: 'in_pool' })),
    ).toEqual([]);
    expect(
      ids(
        await listFilings(deps, shenyang, {
          programId: P,
          name: '沈阳北方',
          from: '2025-06-01',
          to: '2025-06-30',
        }),
      ),
    ).toEqual(['FSEARCH2']);
  });
});

describe('search by the start of a credit code', () => {
  it('finds the whole code or its start in the caller’s unit only: 210200 finds nothing of 210100', async () => {
    const code = uscc.FSEARCH1 ?? '';
    expect(ids(await listFilings(deps, shenyang, { programId: P, creditCode: code }))).toEqual(['FSEARCH1']);
    expect(ids(await listFilings(deps, dalian, { programId: P, creditCode: code }))).toEqual(['FSEARCH4']);
    expect(ids(await listFilings(deps, dalian, { programId: P, creditCode: uscc.FSEARCH2 ?? '' }))).toEqual(
      [],
    );
    // Typed on an IME: full width, lower case.
    const typed = [...code.slice(0, 17).toLowerCase()]
      .map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0))
      .join('');
    expect(ids(await listFilings(deps, province, { programId: P, creditCode: typed }))).toEqual([
      'FSEARCH1',
      'FSEARCH4',
    ]);
  });

  it('refuses a name search’s cursor on a credit code search, and both searches at once', async () => {
    const page = await listFilings(deps, shenyang, { programId: P, name: '沈阳北方', limit: 1 });
    expect(page.next).toBeDefined();
    const forged = listFilings(deps, shenyang, { programId: P, creditCode: '9', cursor: page.next ?? '' });
    await expect(forged).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'cursor' })] });
    const both = listFilings(deps, shenyang, { programId: P, name: '沈阳', creditCode: '9' });
    await expect(both).rejects.toBeInstanceOf(ValidationError);
    await expect(both).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'name' })] });
  });
});

describe('an amendment', () => {
  it('moves the filing to its new name, code and unit in the index', async () => {
    await file('FSEARCH5', 93_005, '210100', '沈阳旧名称机床有限公司');
    const steps = [
      ['submitted', 1, 'start_city_review', 'system'],
      ['city_review', 2, 'request_changes', 'city'],
    ] as const;
    for (const [state, version, action, role] of steps) {
      await env.repo.transition({
        filingId: 'FSEARCH5',
        expected: { state, version },
        action,
        actor: { role, id: `${role}-x` },
        at: '2025-07-01T02:00:00.000Z',
        ...(action === 'request_changes' ? { reason: '请补充材料' } : {}),
      });
    }
    const amended = validFiling({ n: 93_006, unit: '210200', region: '210200' });
    amended.enterprise.name = '大连新名称机床有限公司';
    await env.repo.transition({
      filingId: 'FSEARCH5',
      expected: { state: 'changes_requested', version: 3 },
      action: 'resubmit',
      actor: { role: 'applicant' },
      at: '2025-07-02T02:00:00.000Z',
      amended: { filing: parseFiling(amended), warnings: [] },
    });
    expect(ids(await listFilings(deps, province, { programId: P, name: '沈阳旧名称' }))).toEqual([]);
    expect(ids(await listFilings(deps, shenyang, { programId: P, creditCode: uscc.FSEARCH5 ?? '' }))).toEqual(
      [],
    );
    expect(ids(await listFilings(deps, dalian, { programId: P, name: '大连新名称' }))).toEqual(['FSEARCH5']);
    expect(
      ids(await listFilings(deps, dalian, { programId: P, creditCode: amended.enterprise.uscc })),
    ).toEqual(['FSEARCH5']);
  });
});

describe('the backfill', () => {
  it('gives a filing stored before the index its keys, once', async () => {
    await env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { pk: 'FILING#FSEARCH3', sk: 'BODY' },
        UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
      }),
    );
    await env.doc.send(new DeleteCommand({ TableName: env.tableName, Key: filingNameKey('FSEARCH3') }));
    expect(ids(await listFilings(deps, shenyang, { programId: P, name: '鞍山' }))).toEqual([]);
    expect(await backfillFilingSearch(env.doc, env.tableName)).toBe(1);
    expect(await backfillFilingSearch(env.doc, env.tableName)).toBe(0);
    expect(ids(await listFilings(deps, shenyang, { programId: P, name: '鞍山' }))).toEqual(['FSEARCH3']);
    expect(ids(await listFilings(deps, shenyang, { programId: P, creditCode: uscc.FSEARCH3 ?? '' }))).toEqual(
      ['FSEARCH3'],
    );
  });
});
