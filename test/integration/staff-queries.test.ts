// The staff use cases on the real repository and the unit index in DynamoDB Local: paging
// across units and pages, filters, the period, unmasking with its access entries in both
// audit logs, and cursors that cannot be turned on another unit.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import type { StaffPrincipal } from '#shared/domain/staff.ts';
import { importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import {
  auditCsv,
  filingAudit,
  filingDetail,
  listFilings,
  poolMembers,
  revealFields,
  type StaffDeps,
  unitAudit,
} from '#shared/use-cases/staff/staff-filings.ts';
import { IMPORT_ROW_LIMIT, importForStaff } from '#shared/use-cases/staff/staff-import.ts';
import { exportCitySummary } from '#shared/use-cases/staff/summary-export.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;
let env: Env;
let deps: StaffDeps;
const province: StaffPrincipal = {
  subject: 'p-1',
  scopes: [{ role: 'province', programId: 'liaoning-cso' }],
};
const shenyang: StaffPrincipal = {
  subject: 'c-1',
  scopes: [{ role: 'city', programId: 'liaoning-cso', unit: '210100' }],
};
const ids: Record<string, string> = {};
const people: Record<string, { idNumber: string; mobile: string }> = {};

async function file(key: string, n: number, unit: string, at: string, role = 'cso') {
  const input = validFiling({ n, unit, role });
  const filingId = `FSTAFF${n}`;
  await env.repo.create({
    filingId,
    programId: 'liaoning-cso',
    filing: parseFiling(input),
    warnings: [],
    actor: { role: 'applicant' },
    at,
  });
  ids[key] = filingId;
  people[key] = { idNumber: input.person.idNumber, mobile: input.person.mobile };
  return filingId;
}

beforeAll(async () => {
  env = await freshTable();
  deps = {
    repo: env.repo,
    queries: createStaffQueries(env.doc, env.tableName),
    now: () => new Date('2025-06-01T00:00:00Z'),
  };
  await file('s1', 91_001, '210100', '2025-01-10T02:00:00.000Z');
  await file('s2', 91_002, '210100', '2025-02-10T02:00:00.000Z', 'specialist');
  await file('s3', 91_003, '210100', '2025-03-10T02:00:00.000Z');
  await file('d1', 91_004, '210200', '2025-02-11T02:00:00.000Z');
  // s3 reaches the pool.
  const steps = [
    ['submitted', 1, 'start_city_review', 'system'],
    ['city_review', 2, 'approve', 'city'],
    ['province_review', 3, 'include', 'province'],
  ] as const;
  for (const [state, version, action, role] of steps) {
    await env.repo.transition({
      filingId: ids.s3 ?? '',
      expected: { state, version },
      action,
      actor: { role, id: `${role}-x` },
      at: '2025-04-01T00:00:00.000Z',
    });
  }
});

describe('listing', () => {
  it('pages through every unit of the programme for the province, newest first within a unit', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listFilings(deps, province, {
        programId: 'liaoning-cso',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.filingId));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual([ids.s3, ids.s2, ids.s1, ids.d1]);
  });

  it('filters by status, role and period; the pool is the in_pool filings', async () => {
    const pool = await poolMembers(deps, shenyang, { programId: 'liaoning-cso' });
    expect(pool.items.map((i) => i.filingId)).toEqual([ids.s3]);
    expect(pool.items[0]?.statusLabel.zh).toBeTruthy();
    const specialists = await listFilings(deps, shenyang, { programId: 'liaoning-cso', role: 'specialist' });
    expect(specialists.items.map((i) => i.filingId)).toEqual([ids.s2]);
    const february = await listFilings(deps, province, {
      programId: 'liaoning-cso',
      from: '2025-02-01',
      to: '2025-02-28',
    });
    expect(february.items.map((i) => i.filingId).sort()).toEqual([ids.s2, ids.d1].sort());
    const rows = JSON.stringify((await listFilings(deps, shenyang, { programId: 'liaoning-cso' })).items);
    expect(rows).not.toContain(people.s1?.idNumber);
    expect(rows).not.toContain(people.s1?.mobile);
  });

  it('refuses bad filters with every path, a forged cursor, and other units', async () => {
    const error = await listFilings(deps, province, {
      programId: 'liaoning-cso',
      unit: '999999',
      role: 'boss',
      from: '2025/01/01',
      limit: 500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'from',
      'limit',
      'role',
      'unit',
    ]);
    await expect(
      listFilings(deps, province, { programId: 'liaoning-cso', cursor: 'not-a-cursor' }),
    ).rejects.toThrow(ValidationError);
    await expect(listFilings(deps, shenyang, { programId: 'liaoning-cso', unit: '210200' })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(listFilings(deps, shenyang, { programId: 'nowhere' })).rejects.toThrow(NotFoundError);
  });
});

describe('detail, unmasking and audit', () => {
  it('shows a filing masked with its history, to its unit only', async () => {
    const detail = await filingDetail(deps, shenyang, ids.s3 ?? '');
    expect(detail.status).toBe('in_pool');
    expect(detail.history.map((h) => h.action)).toEqual([
      'submit',
      'start_city_review',
      'approve',
      'include',
    ]);
    expect(JSON.stringify(detail)).not.toContain(people.s3?.idNumber);
    await expect(filingDetail(deps, shenyang, ids.d1 ?? '')).rejects.toThrow(ForbiddenError);
    await expect(filingDetail(deps, province, 'FNOSUCH')).rejects.toThrow(NotFoundError);
  });

  it('unmasks with the access written to the filing’s and the unit’s logs', async () => {
    const shown = await revealFields(deps, shenyang, ids.s1 ?? '', {
      fields: ['idNumber', 'mobile'],
      reason: '电话核实',
    });
    expect(shown).toEqual({ filingId: ids.s1, idNumber: people.s1?.idNumber, mobile: people.s1?.mobile });
    const lines = await filingAudit(deps, province, ids.s1 ?? '');
    expect(lines.map((l) => `${l.kind}:${l.what}`)).toEqual([
      'transition:submit',
      'access:reveal:idNumber,reveal:mobile',
    ]);
    const unit = await unitAudit(deps, province, { programId: 'liaoning-cso', unit: '210100' });
    expect(unit.lines.filter((l) => l.kind === 'access')).toHaveLength(1);
    expect(unit.lines.filter((l) => l.kind === 'transition')).toHaveLength(6);
    const csv = auditCsv(unit.lines);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('电话核实');
    expect(csv).not.toContain(people.s1?.idNumber);
    await expect(unitAudit(deps, shenyang, { programId: 'liaoning-cso', unit: '210100' })).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('pages a unit’s audit by the cursors DynamoDB hands out; a foreign one is refused', async () => {
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await unitAudit(deps, province, {
        programId: 'liaoning-cso',
        unit: '210100',
        limit: 1,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      pages.push(page.lines);
      cursor = page.next;
    } while (cursor);
    expect(pages.flat().filter((l) => l.kind === 'transition')).toHaveLength(6);
    // The access lines come with the first page only.
    expect(
      pages
        .slice(1)
        .flat()
        .filter((l) => l.kind === 'access'),
    ).toEqual([]);
    expect(pages[0]?.filter((l) => l.kind === 'access').length).toBeGreaterThan(0);
    const access = await deps.queries.unitAccess({ programId: 'liaoning-cso', unit: '210100', limit: 1 });
    for (const foreign of [access.next ?? '', 'not-a-cursor', '']) {
      await expect(
        unitAudit(deps, province, { programId: 'liaoning-cso', unit: '210100', cursor: foreign }),
      ).rejects.toThrow(ValidationError);
    }
  });

  it('refuses to unmask an anonymized record, writing nothing', async () => {
    await env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { pk: `FILING#${ids.d1}`, sk: 'BODY' },
        UpdateExpression: 'SET anonymizedAt = :at REMOVE idCipher',
        ExpressionAttributeValues: { ':at': '2030-01-01T00:00:00.000Z' },
      }),
    );
    await expect(
      revealFields(deps, province, ids.d1 ?? '', { fields: ['idNumber'], reason: '核对身份' }),
    ).rejects.toThrow(ConflictError);
    expect(await deps.queries.filingAccess(ids.d1 ?? '')).toEqual([]);
    await expect(env.repo.revealIdNumber(ids.d1 ?? '')).rejects.toThrow(NotFoundError);
    expect((await filingDetail(deps, province, ids.d1 ?? '')).anonymizedAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('writes nothing when the caller may not unmask', async () => {
    const auditor: StaffPrincipal = {
      subject: 'a',
      scopes: [{ role: 'auditor', programId: 'liaoning-cso' }],
    };
    await expect(
      revealFields(deps, auditor, ids.s2 ?? '', { fields: ['mobile'], reason: '只读审计' }),
    ).rejects.toThrow(ForbiddenError);
    expect(await deps.queries.filingAccess(ids.s2 ?? '')).toEqual([]);
  });
});

describe('the city summary export', () => {
  const reviews = {
    getBatch: async (batchId: string) =>
      batchId === 'B1'
        ? {
            batchId,
            programId: 'liaoning-cso',
            unit: '210100',
            filingIds: [ids.s1 ?? '', ids.s3 ?? ''],
            createdAt: '2025-04-01',
          }
        : batchId === 'B2'
          ? {
              batchId,
              programId: 'liaoning-cso',
              unit: '210200',
              filingIds: [ids.d1 ?? ''],
              createdAt: '2025-04-01',
            }
          : undefined,
  };

  it('lists the approved filings of a period, or every filing of a batch, and logs each export', async () => {
    const period = await exportCitySummary({ ...deps, reviews }, shenyang, {
      programId: 'liaoning-cso',
      unit: '210100',
      format: 'csv',
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(period.count).toBe(1); // only s3 is past the city
    const csv = Buffer.from(period.data).toString('utf8');
    expect(csv).not.toContain(people.s3?.idNumber);
    const batch = await exportCitySummary({ ...deps, reviews }, province, {
      programId: 'liaoning-cso',
      unit: '210100',
      batchId: 'B1',
    });
    expect(batch.count).toBe(2);
    expect(batch.filename.endsWith('.xlsx')).toBe(true);
    const log = await deps.queries.unitAccess({ programId: 'liaoning-cso', unit: '210100', limit: 50 });
    expect(log.entries.map((e) => e.what)).toEqual(expect.arrayContaining(['export:csv:1', 'export:xlsx:2']));
  });

  it('refuses another unit’s batch as absent, both a batch and a period, and bad formats', async () => {
    await expect(
      exportCitySummary({ ...deps, reviews }, province, {
        programId: 'liaoning-cso',
        unit: '210100',
        batchId: 'B2',
      }),
    ).rejects.toThrow(NotFoundError);
    const error = await exportCitySummary({ ...deps, reviews }, province, {
      programId: 'liaoning-cso',
      unit: '210100',
      batchId: 'B1',
      from: '2025-01-01',
      format: 'pdf',
    }).catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual(['batchId', 'format']);
    await expect(
      exportCitySummary({ ...deps, reviews }, shenyang, { programId: 'liaoning-cso', unit: '210200' }),
    ).rejects.toThrow(ForbiddenError);
  });
});

describe('import over HTTP (the use case)', () => {
  it('refuses a file over the row limit, and a non-workbook, before writing anything', async () => {
    const program = getProgram('liaoning-cso');
    const rows = Array.from({ length: IMPORT_ROW_LIMIT + 1 }, (_, i) => validFiling({ n: 95_000 + i }));
    const big = await importTemplate(program, rows);
    const withHasher = { ...deps, hasher: env.hasher };
    const error = await importForStaff(withHasher, province, {
      programId: 'liaoning-cso',
      workbook: big,
    }).catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.code)).toEqual(['too_many_rows']);
    const junk = await importForStaff(withHasher, province, {
      programId: 'liaoning-cso',
      workbook: new TextEncoder().encode('junk'),
    }).catch((e: unknown) => e);
    expect(junk).toBeInstanceOf(ValidationError);
    await expect(
      importForStaff(withHasher, shenyang, { programId: 'liaoning-cso', workbook: big }),
    ).rejects.toThrow(ForbiddenError);
    const written = await listFilings(deps, province, { programId: 'liaoning-cso', limit: 100 });
    expect(written.items.some((i) => i.filingId.startsWith('FSTAFF'))).toBe(true);
    expect(written.items.every((i) => i.filingId.startsWith('FSTAFF'))).toBe(true);
  });
});

describe('a programme whose review ends at the city (Anhui)', () => {
  const ANHUI = 'anhui-std-director';
  const hefei: StaffPrincipal = {
    subject: 'c-340100',
    scopes: [{ role: 'city', programId: ANHUI, unit: '340100' }],
  };
  const filed: Record<string, string> = {};

  beforeAll(async () => {
    const steps: Record<string, [string, string][]> = {
      registered: [
        ['start_city_review', 'system'],
        ['register', 'city'],
      ],
      reviewing: [['start_city_review', 'system']],
    };
    for (const [key, n] of [
      ['registered', 92_001],
      ['reviewing', 92_002],
    ] as const) {
      const filingId = `FANHUI${n}`;
      let record = await env.repo.create({
        filingId,
        programId: ANHUI,
        filing: parseFiling(validFiling({ n, unit: '340100', role: 'director', region: '340100' })),
        warnings: [],
        actor: { role: 'applicant' },
        at: '2025-03-01T02:00:00.000Z',
      });
      for (const [action, role] of steps[key] ?? []) {
        await env.repo.transition({
          filingId,
          expected: { state: record.state, version: record.version },
          action: action as 'start_city_review' | 'register',
          actor: { role: role as 'system' | 'city', id: `${role}-x` },
          at: '2025-03-02T00:00:00.000Z',
        });
        record = await env.repo.get(filingId);
      }
      filed[key] = filingId;
    }
  });

  it('lists its registered directors as its members (the pool route), not those under review', async () => {
    const members = await poolMembers(deps, hefei, { programId: ANHUI });
    expect(members.items.map((i) => i.filingId)).toEqual([filed.registered]);
    expect(members.items[0]?.statusLabel.zh).toBe('备案完成');
  });

  it('exports its registered directors in the city summary (附件2)', async () => {
    const summary = await exportCitySummary(
      { ...deps, reviews: { getBatch: async () => undefined } },
      hefei,
      {
        programId: ANHUI,
        unit: '340100',
        format: 'csv',
      },
    );
    expect(summary.count).toBe(1);
    expect(Buffer.from(summary.data).toString('utf8')).toContain('合肥市');
  });
});
