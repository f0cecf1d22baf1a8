// 优秀评选: only the year's nominees may be selected, only the province selects, a repeat
// changes nothing, every unit touched is in the access log; the published list names a person
// only with the filing's consent to publication (older filings have none) and masks the rest.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { ForbiddenError, ValidationError } from '../../domain/errors.ts';
import { parseFiling } from '../../domain/filing.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import type { Nominee, UnitResults, UnitReturn } from '../../ports/returns.ts';
import type { Selection } from '../../ports/selection.ts';
import type { AccessEntry } from '../../ports/staff.ts';
import { type PublishedFile, type PublishedList, publishedSelection } from './published-selection.ts';
import {
  checkSelection,
  listNominees,
  type PublicationFacts,
  publicationFacts,
  type SelectionDeps,
  setSelection,
} from './selection.ts';

const P = 'liaoning-cso';
const YEAR = '2025';
const province: StaffPrincipal = { subject: 'prov-1', scopes: [{ role: 'province', programId: P }] };
const auditor: StaffPrincipal = { subject: 'aud-1', scopes: [{ role: 'auditor', programId: P }] };
const city: StaffPrincipal = { subject: 'city-1', scopes: [{ role: 'city', programId: P, unit: '210100' }] };

const nominee = (filingId: string, unit: string, name: string, role = 'cso'): Nominee => ({
  filingId,
  name,
  role,
  unit,
  uscc: '91210100MA0XYW122Q',
  enterprise: `${unit}企业`,
  reason: '标准化成果突出',
  result: 'excellent',
});

function unitWith(unit: string, nominees: Nominee[]): UnitReturn {
  const results: UnitResults = {
    enterprises: 1,
    answered: 1,
    responded: [],
    members: nominees.length,
    inPost: nominees.length,
    left: 0,
    results: { excellent: nominees.length, qualified: 0, unqualified: 0 },
    removals: [],
    nominees,
    followUp: [],
  };
  return {
    programId: P,
    year: YEAR,
    unit,
    status: 'done',
    openedAt: '2025-11-01T00:00:00.000Z',
    deadline: '2025-11-22T00:00:00.000Z',
    enterprises: 1,
    members: nominees.length,
    answered: 1,
    unreachable: [],
    results,
  };
}

function fakes(facts: Record<string, PublicationFacts>) {
  let stored: Selection = { programId: P, year: YEAR, selected: [], setAt: null, setBy: null };
  const access: AccessEntry[] = [];
  const writes: Selection[] = [];
  const deps: SelectionDeps = {
    returns: {
      getProgram: async () => ({
        programId: P,
        year: YEAR,
        status: 'closed',
        startedAt: '2025-11-01T00:00:00Z',
      }),
      listUnits: async () => [
        unitWith('210100', [nominee('F1', '210100', '张*'), nominee('F2', '210100', '李*', 'director')]),
        unitWith('210200', [nominee('F3', '210200', '王*')]),
        unitWith('210300', []),
      ],
      enterpriseRange: async () => [],
    },
    selections: {
      get: async () => stored,
      put: async (s, entries) => {
        stored = s;
        writes.push(s);
        access.push(...entries);
      },
    },
    facts: async (id) => facts[id],
    recordAccess: async (e) => void access.push(e),
    now: () => new Date('2026-01-10T02:00:00Z'),
  };
  return { deps, access, writes, stored: () => stored };
}

const FACTS = {
  F1: { name: '张伟', publication: true },
  F2: { name: '李娜', publication: false },
  F3: { name: '欧阳明华', publication: false },
};

describe('the selection rules', () => {
  const nominees = [nominee('F1', '210100', '张*'), nominee('F3', '210200', '王*')];

  it('takes the year’s nominees, a repeated id once', () => {
    expect(checkSelection(nominees, { selected: ['F3', 'F1', 'F3'] })).toEqual(['F3', 'F1']);
    expect(checkSelection(nominees, { selected: [] })).toEqual([]);
  });

  it('refuses a filing that is not a nominee, naming each such entry', () => {
    try {
      checkSelection(nominees, { selected: ['F1', 'F9', 'F8'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
        ['selected.1', 'not_nominee'],
        ['selected.2', 'not_nominee'],
      ]);
    }
  });
});

describe('setting the selection', () => {
  it('stores the selection with an access entry per unit it touches; a repeat writes the same', async () => {
    const f = fakes(FACTS);
    const first = await setSelection(f.deps, province, {
      programId: P,
      year: YEAR,
      request: { selected: ['F1', 'F3'] },
    });
    expect(first).toMatchObject({ selected: ['F1', 'F3'], setBy: 'prov-1' });
    expect(f.access.map((a) => [a.unit, a.what, a.role])).toEqual([
      ['210100', 'selection:2025', 'province'],
      ['210200', 'selection:2025', 'province'],
    ]);
    const again = await setSelection(f.deps, province, {
      programId: P,
      year: YEAR,
      request: { selected: ['F1', 'F3'] },
    });
    expect(again.selected).toEqual(first.selected);
    // Dropping Dalian's nominee is logged in Dalian too.
    f.access.length = 0;
    await setSelection(f.deps, province, { programId: P, year: YEAR, request: { selected: ['F1'] } });
    expect(f.access.map((a) => a.unit)).toEqual(['210100', '210200']);
    expect(f.stored().selected).toEqual(['F1']);
  });

  it('refuses a non-nominee and writes nothing', async () => {
    const f = fakes(FACTS);
    await expect(
      setSelection(f.deps, province, { programId: P, year: YEAR, request: { selected: ['F1', 'FX'] } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(f.writes).toEqual([]);
    expect(f.access).toEqual([]);
  });

  it('is the province’s: city staff and auditors are refused, nothing written', async () => {
    const f = fakes(FACTS);
    for (const who of [city, auditor]) {
      await expect(
        setSelection(f.deps, who, { programId: P, year: YEAR, request: { selected: ['F1'] } }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(f.writes).toEqual([]);
  });

  it('lists every unit’s nominees, the selected marked', async () => {
    const f = fakes(FACTS);
    await setSelection(f.deps, province, { programId: P, year: YEAR, request: { selected: ['F2'] } });
    const answer = await listNominees(f.deps, province, { programId: P, year: YEAR });
    expect(answer.nominees.map((n) => [n.filingId, n.name, n.selected])).toEqual([
      ['F1', '张*', false],
      ['F2', '李*', true],
      ['F3', '王*', false],
    ]);
    await expect(listNominees(f.deps, city, { programId: P, year: YEAR })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('the published list', () => {
  it('names only those who consented; the others are masked with enterprise and role', async () => {
    const f = fakes(FACTS);
    await setSelection(f.deps, province, {
      programId: P,
      year: YEAR,
      request: { selected: ['F1', 'F2', 'F3'] },
    });
    const list = (await publishedSelection(f.deps, auditor, { programId: P, year: YEAR })) as PublishedList;
    expect(list.entries.map((e) => [e.name, e.published, e.enterprise, e.role.zh, e.unit.zh])).toEqual([
      ['张伟', true, '210100企业', '首席标准官', '沈阳市'],
      ['李**', false, '210100企业', '标准总监', '沈阳市'],
      ['欧**', false, '210200企业', '首席标准官', '大连市'],
    ]);
    expect(JSON.stringify(list)).not.toContain('李娜');
    expect(JSON.stringify(list)).not.toContain('欧阳明华');
  });

  it('masks a person whose filing is gone or anonymized', async () => {
    const f = fakes({});
    await setSelection(f.deps, province, { programId: P, year: YEAR, request: { selected: ['F1'] } });
    const list = (await publishedSelection(f.deps, province, { programId: P, year: YEAR })) as PublishedList;
    expect(list.entries[0]).toMatchObject({ name: '张**', published: false });
  });

  it('is a CSV with a BOM and an XLSX of the same rows, each export in the access log', async () => {
    const f = fakes(FACTS);
    await setSelection(f.deps, province, { programId: P, year: YEAR, request: { selected: ['F1', 'F2'] } });
    f.access.length = 0;
    const csv = (await publishedSelection(f.deps, province, {
      programId: P,
      year: YEAR,
      format: 'csv',
    })) as PublishedFile;
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect(csv.data.toString('utf8')).toBe(
      '\uFEFF序号,姓名,企业名称,岗位,所在单位\r\n1,张伟,210100企业,首席标准官,沈阳市\r\n2,李**,210100企业,标准总监,沈阳市\r\n',
    );
    const xlsx = (await publishedSelection(f.deps, province, {
      programId: P,
      year: YEAR,
      format: 'xlsx',
    })) as PublishedFile;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.data as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(2).values).toEqual([undefined, '1', '张伟', '210100企业', '首席标准官', '沈阳市']);
    expect(sheet?.getRow(3).getCell(2).value).toBe('李**');
    expect(f.access.map((a) => [a.unit, a.what])).toEqual([
      ['210100', 'export:selection:csv'],
      ['210100', 'export:selection:xlsx'],
    ]);
  });

  it('refuses city staff and an unknown format', async () => {
    const f = fakes(FACTS);
    await expect(publishedSelection(f.deps, city, { programId: P, year: YEAR })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      publishedSelection(f.deps, province, { programId: P, year: YEAR, format: 'pdf' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('consent to publication on the filing', () => {
  it('is optional: a filing without it has not consented, one with it has', () => {
    const without = parseFiling(validFiling({ n: 1 }));
    expect(publicationFacts(without).publication).toBe(false);
    const input = validFiling({ n: 2 });
    const withIt = parseFiling({ ...input, consent: { ...input.consent, publication: true } });
    expect(publicationFacts(withIt)).toEqual({ name: input.person.name, publication: true });
  });

  it('is a yes or no, nothing else', () => {
    const input = validFiling({ n: 3 });
    expect(() => parseFiling({ ...input, consent: { ...input.consent, publication: 'yes' } })).toThrow(
      ValidationError,
    );
  });
});
