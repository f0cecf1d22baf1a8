// Import a training batch's pass list (培训合格名单) from a spreadsheet. Every row is checked
// (a name, a valid ID number stored as text, a certificate number); a refused row writes nothing.
// An accepted row is written as the keyed hash of the ID number and the certificate number, under
// the person, so that a filing's certificate is matched at submission by one Query. Idempotent:
// a pass is keyed by person and certificate, so running the same list again writes nothing new
// and reports the rows as already recorded.

import { type LocalizedMessage, NotFoundError } from '../../domain/errors.ts';
import { maskName, redactText } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { normalizeCertificate, type TrainingBatch, type TrainingPass } from '../../domain/training.ts';
import { validateIdNumber } from '../../domain/validation/id-number.ts';
import { toHalfWidth } from '../../domain/validation/normalize.ts';
import { unsafeCharacter } from '../../domain/validation/safe-text.ts';
import type { KeyedHasher } from '../../ports/crypto.ts';
import { personHash } from '../../ports/crypto.ts';
import { passKey, type TrainingStore } from '../../ports/training.ts';
import type { ImportIssue } from '../imports/import-sheet.ts';
import { readPassListWorkbook } from '../imports/pass-list-sheet.ts';
import { cellText } from '../imports/sheet-table.ts';

export interface PassListImportDeps {
  store: TrainingStore;
  hasher: KeyedHasher;
  now?: () => Date;
}

export interface PassListImportInput {
  programId: string;
  batchId: string;
  fileName: string;
  workbook: Uint8Array;
  onProgress?: (done: number, total: number) => void;
  /** Write requests of 25 passes under way at once (default 8). */
  concurrency?: number;
}

/** imported: recorded now; present: already on this batch's list; refused: breaks a rule; failed: the store failed. */
export type PassRowStatus = 'imported' | 'present' | 'refused' | 'failed';

export interface PassRowReport {
  row: number;
  status: PassRowStatus;
  /** The name, masked (`张*`). */
  name?: string;
  certificateNumber?: string;
  errors: ImportIssue[];
  note?: LocalizedMessage;
}

export interface PassListReport {
  programId: string;
  batchId: string;
  fileName: string;
  sheet: string;
  total: number;
  imported: number;
  present: number;
  refused: number;
  failed: number;
  rows: PassRowReport[];
}

const issue = (column: string, path: string, code: string, zh: string, en: string): ImportIssue => ({
  path,
  code,
  column,
  message: { zh: `${column}：${zh}`, en: `${column}: ${en}` },
});

/** The batch a list goes to, or 404 naming it. */
export async function batchOrNotFound(store: TrainingStore, programId: string, batchId: string) {
  const batch = await store.getBatch(programId, batchId);
  if (!batch) throw new NotFoundError('training batch');
  return batch;
}

interface Accepted {
  index: number;
  row: number;
  name: string;
  pass: TrainingPass;
}

export async function importPassList(
  deps: PassListImportDeps,
  input: PassListImportInput,
): Promise<PassListReport> {
  const program = getProgram(input.programId);
  const batch: TrainingBatch = await batchOrNotFound(deps.store, program.id, input.batchId);
  const today = (deps.now ?? (() => new Date()))();
  const sheet = await readPassListWorkbook(input.workbook);
  const total = sheet.rows.length;
  const reports: PassRowReport[] = new Array(total);
  let done = 0;
  const finish = (index: number, report: PassRowReport) => {
    reports[index] = report;
    done++;
    input.onProgress?.(done, total);
  };
  input.onProgress?.(0, total);

  // 1. Judge every row; nothing is written for a refused one.
  const accepted: Accepted[] = [];
  const firstRowOfPerson = new Map<string, number>();
  const firstRowOfCertificate = new Map<string, number>();
  for (const [index, row] of sheet.rows.entries()) {
    const raw = (header: string) => row.cells.get(header) ?? null;
    const text = (header: string) => toHalfWidth(cellText(raw(header))).trim();
    const errors: ImportIssue[] = [];
    const name = cellText(raw('姓名')).trim();
    if (!name) errors.push(issue('姓名', 'name', 'required', '必填', 'required'));
    else if ([...name].length > 30 || unsafeCharacter(name)) {
      errors.push(
        issue('姓名', 'name', 'invalid_name', '应为 1–30 个可见字符', 'must be 1–30 visible characters'),
      );
    }
    let idNumber: string | undefined;
    const idCell = raw('身份证号');
    if (typeof idCell === 'number') {
      errors.push(
        issue(
          '身份证号',
          'idNumber',
          'id_number_as_number',
          '被存为数字，末几位已丢失；请将该列设为文本格式后重新填写',
          'was stored as a number and lost its last digits; format the column as text and enter it again',
        ),
      );
    } else if (!text('身份证号')) {
      errors.push(issue('身份证号', 'idNumber', 'required', '必填', 'required'));
    } else {
      const checked = validateIdNumber(text('身份证号'), today);
      if (checked.ok) idNumber = checked.value.idNumber;
      else errors.push({ ...checked.error, path: 'idNumber', column: '身份证号' });
    }
    const certificateNumber = normalizeCertificate(text('培训合格证书编号'));
    if (!certificateNumber) {
      errors.push(issue('培训合格证书编号', 'certificateNumber', 'required', '必填', 'required'));
    } else if (certificateNumber.length > 50 || unsafeCharacter(certificateNumber)) {
      errors.push(
        issue(
          '培训合格证书编号',
          'certificateNumber',
          'invalid_certificate_number',
          '应为不超过 50 个可见字符',
          'must be at most 50 visible characters',
        ),
      );
    }
    const base = { row: row.row, ...(name ? { name: maskName(name) } : {}) };
    if (errors.length > 0 || idNumber === undefined) {
      finish(index, { ...base, status: 'refused', errors });
      continue;
    }
    const person = await personHash(deps.hasher, program.id, idNumber);
    const samePerson = firstRowOfPerson.get(person);
    const sameCertificate = firstRowOfCertificate.get(certificateNumber);
    if (samePerson !== undefined || sameCertificate !== undefined) {
      const first = (samePerson ?? sameCertificate) as number;
      const what =
        samePerson !== undefined ? ['同一人员', 'the same person'] : ['同一证书编号', 'the same certificate'];
      finish(index, {
        ...base,
        certificateNumber,
        status: 'refused',
        errors: [
          issue(
            samePerson !== undefined ? '身份证号' : '培训合格证书编号',
            samePerson !== undefined ? 'idNumber' : 'certificateNumber',
            'duplicate_in_file',
            `与第 ${first} 行为${what[0]}，本行未导入`,
            `${what[1]} as row ${first}; this row was not imported`,
          ),
        ],
      });
      continue;
    }
    firstRowOfPerson.set(person, row.row);
    firstRowOfCertificate.set(certificateNumber, row.row);
    accepted.push({
      index,
      row: row.row,
      name: base.name ?? '',
      pass: {
        person,
        certificateNumber,
        batchId: batch.batchId,
        course: batch.course,
        organizer: batch.organizer,
        passedOn: batch.endDate,
      },
    });
  }

  // 2. What is already recorded: the same pass on this batch is present; on another batch, refused.
  const existing = await deps.store.findPasses(
    program.id,
    accepted.map((a) => a.pass),
  );
  const toWrite: Accepted[] = [];
  for (const a of accepted) {
    const stored = existing.get(passKey(a.pass.person, a.pass.certificateNumber));
    const base = { row: a.row, name: a.name, certificateNumber: a.pass.certificateNumber, errors: [] };
    if (!stored) toWrite.push(a);
    else if (stored.batchId === batch.batchId) {
      finish(a.index, {
        ...base,
        status: 'present',
        note: { zh: '已在本批次名单中，未重复登记', en: 'already on this batch’s list; not recorded again' },
      });
    } else {
      finish(a.index, {
        ...base,
        status: 'refused',
        errors: [
          issue(
            '培训合格证书编号',
            'certificateNumber',
            'certificate_in_other_batch',
            `该人员的此证书已登记在批次 ${stored.batchId}`,
            `this person’s certificate is already recorded in batch ${stored.batchId}`,
          ),
        ],
      });
    }
  }

  // 3. Write the new passes, 25 to a request, a few requests at a time.
  const chunks: Accepted[][] = [];
  for (let i = 0; i < toWrite.length; i += 25) chunks.push(toWrite.slice(i, i + 25));
  let next = 0;
  let written = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as Accepted[];
      try {
        await deps.store.putPasses(
          program.id,
          chunk.map((a) => a.pass),
        );
        written += chunk.length;
        for (const a of chunk) {
          finish(a.index, {
            row: a.row,
            name: a.name,
            certificateNumber: a.pass.certificateNumber,
            status: 'imported',
            errors: [],
          });
        }
      } catch (error) {
        for (const a of chunk) {
          finish(a.index, {
            row: a.row,
            name: a.name,
            status: 'failed',
            errors: [],
            note: {
              zh: `写入失败（${(error as Error).name}），再次导入可完成本行`,
              en: `the store failed (${redactText(String((error as Error).message)).slice(0, 200)}); import the list again to finish this row`,
            },
          });
        }
      }
    }
  };
  const concurrency = Math.max(1, Math.min(input.concurrency ?? 8, 32));
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  if (written > 0) await deps.store.addToBatchCount(program.id, batch.batchId, written);

  const count = (status: PassRowStatus) => reports.filter((r) => r.status === status).length;
  return {
    programId: program.id,
    batchId: batch.batchId,
    fileName: input.fileName,
    sheet: sheet.name,
    total,
    imported: count('imported'),
    present: count('present'),
    refused: count('refused'),
    failed: count('failed'),
    rows: reports,
  };
}
