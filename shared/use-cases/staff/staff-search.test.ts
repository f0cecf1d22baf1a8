// The search parameters of the filings list: what is accepted and how it is normalized, what is
// refused (each refusal at its parameter, in Chinese and English), and that the search reaches
// the query of each unit the caller may list, and no other.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import type { StaffQueries } from '../../ports/staff.ts';
import { checkSearch, listFilings, type StaffDeps } from './staff-filings.ts';

const P = 'liaoning-cso';

function refusal(input: Parameters<typeof checkSearch>[0]): ValidationError {
  try {
    checkSearch(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('checkSearch', () => {
  it('is no search when neither parameter is given, or both are empty', () => {
    expect(checkSearch({})).toBeUndefined();
    expect(checkSearch({ creditCode: '', name: '' })).toBeUndefined();
  });

  it('takes a credit code or its start as typed on an IME: full width, lower case, blanks', () => {
    expect(checkSearch({ creditCode: '91210200MA0001' })).toEqual({
      by: 'creditCode',
      prefix: '91210200MA0001',
    });
    expect(checkSearch({ creditCode: ' ９１２１０２００ｍａ ' })).toEqual({
      by: 'creditCode',
      prefix: '91210200MA',
    });
  });

  it('takes the start of a name, trimmed, full-width ASCII made plain', () => {
    expect(checkSearch({ name: '  大连星海 ' })).toEqual({ by: 'name', prefix: '大连星海' });
    expect(checkSearch({ name: 'ＡＢＣ科技' })).toEqual({ by: 'name', prefix: 'ABC科技' });
  });

  it('refuses a code longer than 18 characters or outside the code’s alphabet, at creditCode', () => {
    for (const creditCode of ['9121020000000000000', '91210200I', '9121-0200', '大连']) {
      const error = refusal({ creditCode });
      expect(error.issues.map((i) => i.path)).toContain('creditCode');
      expect(error.issues.every((i) => i.code === 'invalid_query' && i.message.zh && i.message.en)).toBe(
        true,
      );
    }
  });

  it('refuses a blank or over-long name, or one with control characters, at name', () => {
    for (const name of ['   ', '名'.repeat(101), '大连\u0000']) {
      const error = refusal({ name });
      expect(error.issues).toEqual([
        expect.objectContaining({ path: 'name', code: 'invalid_query', message: expect.any(Object) }),
      ]);
    }
  });

  it('refuses both at once, at name', () => {
    const error = refusal({ creditCode: '9121', name: '大连' });
    expect(error.issues).toEqual([expect.objectContaining({ path: 'name' })]);
    expect(error.issues[0]?.message.en).toMatch(/not both/);
  });
});

describe('listFilings with a search', () => {
  const seen: Parameters<StaffQueries['unitFilings']>[0][] = [];
  const queries: StaffQueries = {
    async unitFilings(input) {
      seen.push(input);
      return { filingIds: [] };
    },
    async recordAccess() {},
    async filingAccess() {
      return [];
    },
    async unitAccess() {
      return { entries: [] };
    },
  };
  const deps = {
    // No filing is ever read: the queries find none.
    repo: {} as StaffDeps['repo'],
    queries,
    now: () => new Date(),
  } satisfies StaffDeps;
  const dalian: StaffPrincipal = { subject: 'c', scopes: [{ role: 'city', programId: P, unit: '210200' }] };

  it('searches the city’s own unit only, with the normalized prefix', async () => {
    seen.length = 0;
    await listFilings(deps, dalian, { programId: P, creditCode: '９１２１０２' });
    expect(seen.map((q) => [q.unit, q.search])).toEqual([['210200', { by: 'creditCode', prefix: '912102' }]]);
  });

  it('names every bad parameter of the list and the search in one refusal', async () => {
    const refused = listFilings(deps, dalian, { programId: P, limit: 0, creditCode: 'I' });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'limit' }), expect.objectContaining({ path: 'creditCode' })],
    });
  });
});
