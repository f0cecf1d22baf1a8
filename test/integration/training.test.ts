// The training store on DynamoDB Local (batches by date, a repeated batch id refused, passes
// found across more keys than one BatchGet takes, a person's passes, the batch's count), and the
// command-line tools reading workbooks saved by other programs: the pool import and the
// pass-list import each read a file written by SheetJS with its notes in openpyxl's layout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainingStore } from '#shared/data/training-store.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import type { TrainingBatch, TrainingPass } from '#shared/domain/training.ts';
import { importRow, importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import { passListTemplate } from '#shared/use-cases/imports/pass-list-sheet.ts';
import { freshTable, scanAll } from '../support/ddb.ts';
import { idNumberFor, validFiling } from '../support/fixtures.ts';
import { runLocalTool } from '../support/local-tool.ts';
import { asOpenpyxlWrites, filledBySheetJs } from '../support/other-programs.ts';

type Env = Awaited<ReturnType<typeof freshTable>>;
const program = getProgram('liaoning-cso');

const batch = (batchId: string, startDate: string): TrainingBatch => ({
  programId: program.id,
  batchId,
  organizer: '210100',
  course: '沈阳市首席标准官培训班',
  startDate,
  endDate: startDate,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'test',
  passes: 0,
});

describe('the training store on DynamoDB Local', () => {
  let env: Env;
  beforeAll(async () => {
    env = await freshTable();
  });

  it('keeps batches by date, passes under the person, and nothing but hashes and certificates', async () => {
    const store = createTrainingStore(env.doc, env.tableName);
    await store.putBatch(batch('20230301-BBBBBB', '2023-03-01'));
    await store.putBatch(batch('20211108-AAAAAA', '2021-11-08'));
    await expect(store.putBatch(batch('20211108-AAAAAA', '2021-11-08'))).rejects.toThrow();
    expect((await store.listBatches(program.id)).map((b) => b.batchId)).toEqual([
      '20211108-AAAAAA',
      '20230301-BBBBBB',
    ]);
    expect(await store.listBatches('anhui-std-director')).toEqual([]);

    const passes: TrainingPass[] = Array.from({ length: 130 }, (_, i) => ({
      person: `hash-${i % 120}`,
      certificateNumber: `SY-${i}`,
      batchId: '20211108-AAAAAA',
      course: '沈阳市首席标准官培训班',
      organizer: '210100',
      passedOn: '2021-11-08',
    }));
    await store.putPasses(program.id, passes);
    const found = await store.findPasses(program.id, [
      ...passes,
      { person: 'hash-0', certificateNumber: 'SY-999' },
    ]);
    expect(found.size).toBe(130);
    expect((await store.passesOf(program.id, 'hash-3')).map((p) => p.certificateNumber).sort()).toEqual([
      'SY-123',
      'SY-3',
    ]);
    expect(await store.passesOf(program.id, 'hash-nobody')).toEqual([]);
    await store.addToBatchCount(program.id, '20211108-AAAAAA', 130);
    await store.addToBatchCount(program.id, '20211108-AAAAAA', 2);
    expect((await store.getBatch(program.id, '20211108-AAAAAA'))?.passes).toBe(132);
    await expect(store.addToBatchCount(program.id, '20990101-ZZZZZZ', 1)).rejects.toThrow();

    const items = (await scanAll(env.doc, env.tableName)).filter((i) => i.type === 'TrainingPass');
    expect(items).toHaveLength(130);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'batchId',
          'certificateNumber',
          'course',
          'organizer',
          'passedOn',
          'person',
          'pk',
          'sk',
          'type',
        ].sort(),
      );
    }
  });
});

describe('the import commands read workbooks saved by other programs', () => {
  let dir: string;
  let env: Env;

  beforeAll(async () => {
    env = await freshTable();
    dir = mkdtempSync(join(tmpdir(), 'other-programs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (script: string, ...args: string[]) =>
    runLocalTool(script, args, { tableName: env.tableName, localDir: dir });

  it('npm run import reads a pool template whose notes openpyxl wrote', async () => {
    const rows = [validFiling({ n: 131_001 }), validFiling({ n: 131_002 })];
    const file = join(dir, 'pool-openpyxl.xlsx');
    writeFileSync(
      file,
      await asOpenpyxlWrites(
        filledBySheetJs(
          await importTemplate(program),
          rows.map((f) => importRow(program, f)),
        ),
      ),
    );
    const result = await cli('infra/local/import.ts', '--program', program.id, '--json', file);
    expect(result.stderr).not.toContain('无法读取');
    const report = JSON.parse(result.stdout) as {
      total: number;
      imported: number;
      warned: number;
      refused: number;
    };
    expect(report.total).toBe(2);
    expect(report.imported + report.warned).toBe(2);
    expect(report.refused).toBe(0);
  }, 180_000);

  it('npm run training reads a pass list whose notes openpyxl wrote', async () => {
    const created = await cli(
      'infra/local/training.ts',
      '--program',
      program.id,
      '--new-batch',
      '--organizer',
      '210100',
      '--course',
      '沈阳市首席标准官培训班',
      '--start',
      '2022-06-01',
      '--end',
      '2022-06-03',
    );
    expect(created.code).toBe(0);
    const batchId = created.stdout.trim();
    expect(batchId).toMatch(/^20220601-[0-9A-Z]{6}$/);
    const file = join(dir, 'passes-openpyxl.xlsx');
    const people = [1, 2, 3].map((n) => ({
      姓名: '李娜',
      身份证号: idNumberFor(132_000 + n).idNumber,
      培训合格证书编号: `SY-2022-${n}`,
    }));
    writeFileSync(file, await asOpenpyxlWrites(filledBySheetJs(await passListTemplate(program), people)));
    const imported = await cli(
      'infra/local/training.ts',
      '--program',
      program.id,
      '--batch',
      batchId,
      '--json',
      file,
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ total: 3, imported: 3, refused: 0 });
    const listed = await cli('infra/local/training.ts', '--program', program.id, '--list');
    expect(listed.stdout).toContain(
      `${batchId}  210100  2022-06-01–2022-06-03  沈阳市首席标准官培训班  合格 3 人`,
    );
    writeFileSync(join(dir, 'list.csv'), '姓名,身份证号,培训合格证书编号\n');
    const refused = await cli(
      'infra/local/training.ts',
      '--program',
      program.id,
      '--batch',
      batchId,
      join(dir, 'list.csv'),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('不是 .xlsx 文件');
  }, 240_000);
});
