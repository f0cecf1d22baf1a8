// Training batches and pass lists against the in-memory store: who may record what, the pass
// list read row by row (keyed hashes and certificate numbers only), a second run writing
// nothing, and the match at submission (verified notice, warning, or refusal by configuration).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { idNumberFor, validFiling } from '../../../test/support/fixtures.ts';
import { localHasher, personHash } from '../../data/keyed-hash.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { FilingInputSchema } from '../../domain/filing.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { StaffPrincipal } from '../../domain/staff.ts';
import { normalizeCertificate, TrainingBatchRequestSchema } from '../../domain/training.ts';
import type { AccessEntry, StaffQueries } from '../../ports/staff.ts';
import { PASS_LIST_COLUMNS, type PassListRow, passListTemplate } from '../imports/pass-list-sheet.ts';
import { MemoryTrainingStore } from './memory-store.ts';
import { uploadPassList } from './pass-list-upload.ts';
import { listBatches, recordBatch } from './staff-training.ts';
import { checkTraining, TRAINING_NOT_ON_ROSTER, TRAINING_VERIFIED } from './verify-training.ts';

const program = getProgram('liaoning-cso');
const NOW = new Date('2026-12-07T08:00:00Z');

function setup() {
  const accesses: AccessEntry[] = [];
  const queries = {
    recordAccess: async (e: AccessEntry) => void accesses.push(e),
  } as unknown as StaffQueries;
  const store = new MemoryTrainingStore();
  const hasher = localHasher(new Uint8Array(randomBytes(32)));
  return { deps: { store, hasher, queries, now: () => NOW }, accesses, store, hasher };
}

const province: StaffPrincipal = { subject: 'p1', scopes: [{ role: 'province', programId: program.id }] };
const shenyang: StaffPrincipal = {
  subject: 'c1',
  scopes: [{ role: 'city', programId: program.id, unit: '210100' }],
};
const auditor: StaffPrincipal = { subject: 'a1', scopes: [{ role: 'auditor', programId: program.id }] };

const batchBody = (organizer: string) =>
  TrainingBatchRequestSchema.parse({
    organizer,
    course: '首席标准官培训班',
    startDate: '2022-05-10',
    endDate: '2022-05-12',
  });

const rowFor = (n: number, cert = `LN-2022-${n}`): PassListRow => ({
  name: '李娜',
  idNumber: idNumberFor(n).idNumber,
  certificateNumber: cert,
});

describe('training batches', () => {
  it('lets the province record any batch and a city only its own, and lists them for every staff role', async () => {
    const { deps, accesses } = setup();
    const own = await recordBatch(deps, province, { programId: program.id, batch: batchBody('province') });
    expect(own).toMatchObject({ organizer: 'province', passes: 0, createdBy: 'p1' });
    expect(own.batchId).toMatch(/^20220510-/);
    await recordBatch(deps, shenyang, { programId: program.id, batch: batchBody('210100') });
    await expect(
      recordBatch(deps, shenyang, { programId: program.id, batch: batchBody('province') }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      recordBatch(deps, shenyang, { programId: program.id, batch: batchBody('210200') }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      recordBatch(deps, auditor, { programId: program.id, batch: batchBody('210100') }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      recordBatch(deps, province, { programId: program.id, batch: batchBody('999999') }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(accesses.map((a) => a.unit)).toEqual(['province', '210100']);
    const listed = await listBatches(deps, auditor, program.id);
    // Both start on one day: the list is by id (first day, then a random tail).
    expect(listed.batches.map((b) => b.organizer).sort()).toEqual(['210100', 'province']);
  });

  it('refuses a batch that ends before it starts', () => {
    const parsed = TrainingBatchRequestSchema.safeParse({
      organizer: 'province',
      course: '培训班',
      startDate: '2022-05-12',
      endDate: '2022-05-10',
    });
    expect(parsed.success).toBe(false);
  });
});

describe('pass lists', () => {
  it('records keyed hashes and certificate numbers only, reports every row, and writes nothing twice', async () => {
    const { deps, store, hasher } = setup();
    const batch = await recordBatch(deps, shenyang, { programId: program.id, batch: batchBody('210100') });
    const rows = [rowFor(1), rowFor(2, ' ln-2022-2 '), rowFor(3)];
    const bytes = await passListTemplate(program, rows);
    const report = await uploadPassList(deps, shenyang, {
      programId: program.id,
      batchId: batch.batchId,
      fileName: '沈阳名单.xlsx',
      workbook: bytes,
    });
    expect(report).toMatchObject({ total: 3, imported: 3, present: 0, refused: 0, failed: 0 });
    expect(report.rows.map((r) => r.name)).toEqual(['李*', '李*', '李*']);
    const stored = [...store.passes.values()];
    expect(stored).toHaveLength(3);
    const everything = JSON.stringify(stored);
    for (const r of rows) expect(everything).not.toContain(r.idNumber);
    expect(everything).not.toContain('李娜');
    expect(stored[1]).toEqual({
      person: await personHash(hasher, program.id, rows[1]?.idNumber as string),
      certificateNumber: 'LN-2022-2',
      batchId: batch.batchId,
      course: batch.course,
      organizer: '210100',
      passedOn: '2022-05-12',
    });
    expect((await store.getBatch(program.id, batch.batchId))?.passes).toBe(3);

    const writes = store.writes;
    const again = await uploadPassList(deps, shenyang, {
      programId: program.id,
      batchId: batch.batchId,
      workbook: bytes,
    });
    expect(again).toMatchObject({ imported: 0, present: 3 });
    expect(store.writes).toBe(writes);
    expect((await store.getBatch(program.id, batch.batchId))?.passes).toBe(3);

    // The same certificate already recorded for another batch is refused, not moved.
    const other = await recordBatch(deps, province, { programId: program.id, batch: batchBody('province') });
    const moved = await uploadPassList(deps, province, {
      programId: program.id,
      batchId: other.batchId,
      workbook: await passListTemplate(program, [rowFor(1)]),
    });
    expect(moved.rows[0]?.errors[0]).toMatchObject({
      code: 'certificate_in_other_batch',
      column: '培训合格证书编号',
    });
  });

  it('refuses bad rows by column, the others imported', async () => {
    const { deps } = setup();
    const batch = await recordBatch(deps, province, { programId: program.id, batch: batchBody('province') });
    const bad = idNumberFor(7).idNumber.slice(0, 17) + (idNumberFor(7).idNumber.endsWith('1') ? '2' : '1');
    const book = XLSX.read(await passListTemplate(program), { type: 'buffer' });
    const sheet = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
    const headers = PASS_LIST_COLUMNS.map((c) => c.header);
    const line = (cells: Record<string, string | number>) => headers.map((h) => cells[h] ?? '');
    XLSX.utils.sheet_add_aoa(
      sheet,
      [
        line({ 姓名: '王芳', 身份证号: idNumberFor(5).idNumber, 培训合格证书编号: 'A-1' }),
        line({ 姓名: '赵强', 身份证号: bad, 培训合格证书编号: 'A-2' }),
        line({ 姓名: '钱多', 身份证号: 210102197501010000, 培训合格证书编号: 'A-3' }),
        line({ 姓名: '孙丽', 身份证号: idNumberFor(6).idNumber }),
        line({ 身份证号: idNumberFor(8).idNumber, 培训合格证书编号: 'A-5' }),
        line({ 姓名: '王芳', 身份证号: idNumberFor(5).idNumber, 培训合格证书编号: 'A-6' }),
        line({ 姓名: '周到', 身份证号: idNumberFor(9).idNumber, 培训合格证书编号: 'a-1' }),
      ],
      { origin: 'A2' },
    );
    const report = await uploadPassList(deps, province, {
      programId: program.id,
      batchId: batch.batchId,
      workbook: XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
    });
    expect(report).toMatchObject({ total: 7, imported: 1, refused: 6 });
    expect(report.rows.map((r) => [r.row, r.status, r.errors.map((e) => `${e.column}:${e.code}`)])).toEqual([
      [2, 'imported', []],
      [3, 'refused', ['身份证号:id_check_digit']],
      [4, 'refused', ['身份证号:id_number_as_number']],
      [5, 'refused', ['培训合格证书编号:required']],
      [6, 'refused', ['姓名:required']],
      [7, 'refused', ['身份证号:duplicate_in_file']],
      [8, 'refused', ['培训合格证书编号:duplicate_in_file']],
    ]);
  });

  it('answers 404 for an unknown batch, and refuses a city another unit’s batch', async () => {
    const { deps } = setup();
    const bytes = await passListTemplate(program, [rowFor(1)]);
    await expect(
      uploadPassList(deps, province, { programId: program.id, batchId: '20220510-ABCDEF', workbook: bytes }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      uploadPassList(deps, province, { programId: program.id, batchId: '../x', workbook: bytes }),
    ).rejects.toBeInstanceOf(ValidationError);
    const dalian = await recordBatch(deps, province, { programId: program.id, batch: batchBody('210200') });
    await expect(
      uploadPassList(deps, shenyang, { programId: program.id, batchId: dalian.batchId, workbook: bytes }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('the match at submission', () => {
  it('verifies a listed certificate, warns about one not listed, and refuses it where the lists are complete', async () => {
    const { deps, store, hasher } = setup();
    const batch = await recordBatch(deps, province, { programId: program.id, batch: batchBody('province') });
    const filing = FilingInputSchema.parse(validFiling({ n: 41 }));
    const cert = filing.person.training?.certificateNumber as string;
    await uploadPassList(deps, province, {
      programId: program.id,
      batchId: batch.batchId,
      workbook: await passListTemplate(program, [
        { name: '张伟', idNumber: filing.person.idNumber, certificateNumber: cert },
      ]),
    });
    const verified = await checkTraining(store, hasher, program, filing);
    expect(verified.errors).toEqual([]);
    expect(verified.warnings).toEqual([
      expect.objectContaining({
        code: TRAINING_VERIFIED,
        path: 'person.training.certificateNumber',
        message: {
          zh: `培训已核验（${batch.batchId}，2022-05-12）`,
          en: `training verified (${batch.batchId}, 2022-05-12)`,
        },
      }),
    ]);
    expect(normalizeCertificate(cert.toLowerCase())).toBe(cert);

    // Another person with the same certificate number is not verified by it.
    const other = FilingInputSchema.parse(validFiling({ n: 42 }));
    (other.person.training as { certificateNumber: string }).certificateNumber = cert;
    const warned = await checkTraining(store, hasher, program, other);
    expect(warned.warnings.map((w) => w.code)).toEqual([TRAINING_NOT_ON_ROSTER]);
    const strict = { ...program, training: { requireRoster: true } };
    const refused = await checkTraining(store, hasher, strict, other);
    expect(refused.errors.map((e) => [e.path, e.code])).toEqual([
      ['person.training.certificateNumber', TRAINING_NOT_ON_ROSTER],
    ]);
    expect(refused.warnings).toEqual([]);

    const untrained = FilingInputSchema.parse(validFiling({ n: 43 }));
    delete (untrained.person as { training?: unknown }).training;
    expect(await checkTraining(store, hasher, strict, untrained)).toEqual({ warnings: [], errors: [] });
  });
});
