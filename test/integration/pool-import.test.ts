// The pool import through the real data layer on DynamoDB Local: 200 generated people imported
// into the pool (bodies encrypted, PERSON claims, audit events, counters), then the same file
// again (nothing doubled); and the command-line tool against the same DynamoDB Local (exit
// codes, report, JSON, template).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts, sumCounters } from '#shared/data/counter-item.ts';
import type { FilingInput } from '#shared/domain/filing.ts';
import { STATES } from '#shared/domain/lifecycle.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { IMPORT_COLUMNS, importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import { importPool, type PoolImportReport } from '#shared/use-cases/imports/pool-import.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';
import { runLocalTool } from '../support/local-tool.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;

const program = getProgram('liaoning-cso');
const NOW = new Date('2025-06-01T02:00:00.000Z');
const UNITS = ['210100', '210200', '211400'];
const ROLES = ['cso', 'director', 'specialist'];

/** 200 valid, distinct people spread over three units and the three roles. */
function people(count: number, from: number): FilingInput[] {
  return Array.from({ length: count }, (_, i) =>
    validFiling({
      n: from + i,
      unit: UNITS[i % UNITS.length],
      // Registered where they file: a code from another city is a warning the import reports.
      region: UNITS[i % UNITS.length],
      role: ROLES[Math.floor(i / 3) % ROLES.length],
    }),
  );
}

async function tableFacts(env: Env) {
  const items = await scanAll(env.doc, env.tableName);
  const counts = emptyCounts();
  for (const c of sumCounters(items.filter((i) => i.type === 'Counter')).values()) {
    for (const state of STATES) counts[state] += c[state];
  }
  return {
    items,
    persons: items.filter((i) => String(i.pk).startsWith(`PERSON#${program.id}#`)).length,
    bodies: items.filter((i) => i.type === 'FilingBody').length,
    events: items.filter((i) => i.type === 'FilingEvent').length,
    counts,
  };
}

describe('importing 200 people into DynamoDB Local', () => {
  let env: Env;
  let filings: FilingInput[];
  let bytes: Buffer;
  let first: PoolImportReport;

  beforeAll(async () => {
    env = await freshTable();
    filings = people(200, 120_000);
    bytes = await importTemplate(program, filings);
    first = await importPool(
      { repo: env.repo, hasher: env.hasher, now: () => NOW },
      { programId: program.id, fileName: 'pool-2021.xlsx', workbook: bytes },
    );
  }, 300_000);

  it('imports every row and the counters show the pool size', async () => {
    expect(first).toMatchObject({ total: 200, imported: 200, warned: 0, present: 0, refused: 0, failed: 0 });
    const facts = await tableFacts(env);
    expect(facts.persons).toBe(200);
    expect(facts.bodies).toBe(200);
    expect(facts.events).toBe(800);
    expect(facts.counts.in_pool).toBe(200);
    expect(facts.counts.submitted + facts.counts.city_review + facts.counts.province_review).toBe(0);
    // Per unit × role, as the reports read them.
    const byKey = sumCounters(facts.items.filter((i) => i.type === 'Counter'));
    expect([...byKey.keys()].sort()).toHaveLength(UNITS.length * ROLES.length);
    expect([...byKey.values()].reduce((sum, c) => sum + c.in_pool, 0)).toBe(200);
  });

  it('stores ID numbers encrypted and keeps the audit trail of each import', async () => {
    const { items } = await tableFacts(env);
    const dump = JSON.stringify(items);
    for (const f of filings.slice(0, 20)) expect(dump).not.toContain(f.person.idNumber);
    const row = first.rows[7];
    const filingId = row?.filingId ?? '';
    expect(await env.repo.revealIdNumber(filingId)).toBe(filings[7]?.person.idNumber);
    const history = await env.repo.history(filingId);
    expect(history.map((e) => `${e.action}:${e.actor.role}:${e.actor.id ?? ''}`)).toEqual([
      'submit:system:import',
      'start_city_review:system:import',
      'approve:province:import',
      'include:province:import',
    ]);
    expect(history.at(-1)?.reason).toBe('导入 / imported from pool-2021.xlsx');
  });

  it('imports nothing the second time: every person is reported present and nothing is doubled', async () => {
    const before = await tableFacts(env);
    const second = await importPool(
      { repo: env.repo, hasher: env.hasher, now: () => new Date(NOW.getTime() + 86_400_000) },
      { programId: program.id, fileName: 'pool-2021.xlsx', workbook: bytes },
    );
    expect(second).toMatchObject({ total: 200, imported: 0, warned: 0, present: 200, refused: 0, failed: 0 });
    expect(second.rows.map((r) => r.filingId)).toEqual(first.rows.map((r) => r.filingId));
    const after = await tableFacts(env);
    expect(after.persons).toBe(200);
    expect(after.events).toBe(800);
    expect(after.counts).toEqual(before.counts);
    expect(after.items).toHaveLength(before.items.length);
  }, 300_000);

  it('refuses a person the online filing already holds, and writes nothing for them', async () => {
    const online = validFiling({ n: 125_000 });
    const { parseFiling } = await import('#shared/domain/filing.ts');
    await env.repo.create({
      filingId: 'F00000000ONL1N',
      programId: program.id,
      filing: parseFiling(online),
      warnings: [],
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const before = await tableFacts(env);
    const report = await importPool(
      { repo: env.repo, hasher: env.hasher, now: () => NOW },
      { programId: program.id, fileName: 'late.xlsx', workbook: await importTemplate(program, [online]) },
    );
    expect(report.rows[0]).toMatchObject({ status: 'present' });
    expect(report.rows[0]?.note?.en).toContain('filed online');
    expect((await tableFacts(env)).items).toHaveLength(before.items.length);
  });
});

describe('the import command', () => {
  let dir: string;
  let env: Env;

  beforeAll(async () => {
    env = await freshTable();
    dir = mkdtempSync(join(tmpdir(), 'pool-import-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    runLocalTool('infra/local/import.ts', args, { tableName: env.tableName, localDir: dir });

  it('exits 1 with the row table when a row is refused, 0 on a clean re-run, JSON on request', async () => {
    const rows = people(3, 130_000);
    const bad = structuredClone(rows[1] as FilingInput);
    bad.person.idNumber = `${bad.person.idNumber.slice(0, 17)}${bad.person.idNumber.endsWith('1') ? '2' : '1'}`;
    writeFileSync(join(dir, 'mixed.xlsx'), await importTemplate(program, [rows[0] as FilingInput, bad]));
    const mixed = await cli('--program', program.id, join(dir, 'mixed.xlsx'));
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain(
      '2 rows: 1 imported, 0 imported with warnings, 0 already present, 1 refused',
    );
    expect(mixed.stdout).toMatch(/\n3\s+未导入 refused\s+张\*\s+\[身份证号\] 证件号码：/);
    expect(mixed.stdout).not.toContain(bad.person.idNumber);

    writeFileSync(join(dir, 'good.xlsx'), await importTemplate(program, [rows[0] as FilingInput]));
    const again = await cli('--program', program.id, '--json', join(dir, 'good.xlsx'));
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as PoolImportReport;
    expect(report).toMatchObject({ total: 1, imported: 0, present: 1, refused: 0 });
    expect(report.rows[0]?.note?.en).toBe('already in the pool; not imported again');
  }, 180_000);

  it('writes the empty template', async () => {
    const out = join(dir, 'template.xlsx');
    const result = await cli('--program', program.id, '--template', out);
    expect(result.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect(sheet.rowCount).toBe(1);
  }, 180_000);

  it('exits 2 on usage errors and 1 on a file that is not a workbook', async () => {
    expect((await cli(join(dir, 'good.xlsx'))).code).toBe(2);
    expect((await cli('--program', 'nowhere', join(dir, 'good.xlsx'))).code).toBe(2);
    expect((await cli('--program', program.id, join(dir, 'missing.xlsx'))).code).toBe(2);
    expect((await cli('--program', program.id, '--bogus', join(dir, 'good.xlsx'))).code).toBe(2);
    writeFileSync(join(dir, 'notes.xlsx'), 'not a workbook');
    const refused = await cli('--program', program.id, join(dir, 'notes.xlsx'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('无法读取该文件');
  }, 180_000);
});
