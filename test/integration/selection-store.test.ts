// 优秀评选 on DynamoDB Local: the selection is one item beside the year's return, replaced whole
// with its access-log lines in the same transaction; the return's unit list never takes it for
// a unit; the nominees are read from the stored enterprises' answers.
import { describe, expect, it } from 'vitest';
import { createReturnStore } from '#shared/data/return-store.ts';
import { createSelectionStore, selectionKey } from '#shared/data/selection-store.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import type { StaffPrincipal } from '#shared/domain/staff.ts';
import type { EnterpriseReturn, UnitReturn } from '#shared/ports/returns.ts';
import { type PublishedList, publishedSelection } from '#shared/use-cases/returns/published-selection.ts';
import { listNominees, type SelectionDeps, setSelection } from '#shared/use-cases/returns/selection.ts';
import { freshTable, scanAll } from '../support/ddb.ts';

const P = 'liaoning-cso';
const YEAR = '2025';
const province: StaffPrincipal = { subject: 'sel-province', scopes: [{ role: 'province', programId: P }] };

const unit = (code: string): UnitReturn => ({
  programId: P,
  year: YEAR,
  unit: code,
  status: 'collecting',
  openedAt: '2025-11-01T00:00:00.000Z',
  deadline: '2025-11-22T00:00:00.000Z',
  enterprises: 1,
  members: 2,
  answered: 0,
  unreachable: [],
});

const enterprise = (code: string): EnterpriseReturn => ({
  programId: P,
  year: YEAR,
  unit: code,
  seq: 1,
  uscc: `USCC${code}`,
  name: `企业${code}`,
  recipients: [`contact${code}@example.cn`],
  fallback: false,
  members: [
    { filingId: `N${code}`, name: '张*', role: 'cso', position: '副总经理' },
    { filingId: `Q${code}`, name: '李*', role: 'director', position: '质量部长' },
  ],
});

describe('the 优秀评选 selection on DynamoDB Local', () => {
  it('selects among the stored nominees, replaces the item whole and logs each unit touched', async () => {
    const env = await freshTable();
    const returns = createReturnStore(env.doc, env.tableName);
    const selections = createSelectionStore({ doc: env.doc, tableName: env.tableName });
    const queries = createStaffQueries(env.doc, env.tableName);
    await returns.openProgram({ programId: P, year: YEAR, startedAt: '2025-11-01T00:00:00.000Z' });
    for (const code of ['210100', '210200']) {
      await returns.createUnit(unit(code), [enterprise(code)]);
      await returns.answer(P, YEAR, code, 1, {
        at: '2025-11-10T00:00:00.000Z',
        answers: {
          [`N${code}`]: { inPost: true, result: 'excellent', nomination: { reason: '主导制定团体标准' } },
          [`Q${code}`]: { inPost: true, result: 'qualified' },
        },
      });
    }
    const deps: SelectionDeps = {
      returns,
      selections,
      facts: async (id) =>
        id === 'N210100' ? { name: '张伟', publication: true } : { name: '张强', publication: false },
      recordAccess: (e) => queries.recordAccess(e),
      now: () => new Date('2026-01-10T02:00:00Z'),
    };
    expect(await selections.get(P, YEAR)).toEqual({
      programId: P,
      year: YEAR,
      selected: [],
      setAt: null,
      setBy: null,
    });

    const nominees = await listNominees(deps, province, { programId: P, year: YEAR });
    expect(nominees.nominees.map((n) => [n.filingId, n.unit, n.selected])).toEqual([
      ['N210100', '210100', false],
      ['N210200', '210200', false],
    ]);
    // A member who was not nominated cannot be selected: nothing is written.
    await expect(
      setSelection(deps, province, { programId: P, year: YEAR, request: { selected: ['Q210100'] } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await scanAll(env.doc, env.tableName)).filter((i) => i.sk === 'SELECTION')).toEqual([]);

    await setSelection(deps, province, {
      programId: P,
      year: YEAR,
      request: { selected: ['N210100', 'N210200'] },
    });
    await setSelection(deps, province, {
      programId: P,
      year: YEAR,
      request: { selected: ['N210100', 'N210200'] },
    });
    expect(await selections.get(P, YEAR)).toMatchObject({
      selected: ['N210100', 'N210200'],
      setAt: '2026-01-10T02:00:00.000Z',
      setBy: 'sel-province',
    });
    const items = await scanAll(env.doc, env.tableName);
    expect(items.filter((i) => i.pk === selectionKey(P, YEAR).pk && i.sk === 'SELECTION')).toHaveLength(1);
    // The selection item is not a unit of the year's return.
    expect((await returns.listUnits(P, YEAR)).map((u) => u.unit)).toEqual(['210100', '210200']);
    const dalian = await queries.unitAccess({ programId: P, unit: '210200', limit: 10 });
    expect(dalian.entries.map((e) => [e.what, e.subject])).toEqual([
      ['selection:2025', 'sel-province'],
      ['selection:2025', 'sel-province'],
    ]);

    const list = (await publishedSelection(deps, province, { programId: P, year: YEAR })) as PublishedList;
    expect(list.entries.map((e) => [e.name, e.enterprise, e.role.zh, e.unit.zh])).toEqual([
      ['张伟', '企业210100', '首席标准官', '沈阳市'],
      ['张**', '企业210200', '首席标准官', '大连市'],
    ]);
  });
});
