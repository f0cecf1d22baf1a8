// The pool import against the in-memory repository that keeps the port's contract (idempotent
// create by filing id, one active filing per person, version-locked transitions through the
// lifecycle): every row judged by the filing's rules, accepted rows walked into the pool by the
// four ordinary transitions, refused rows writing nothing, and a second run importing nothing.
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { MemoryFilingRepository } from '../../../test/support/memory-filing-repository.ts';
import { localHasher, personHash } from '../../data/keyed-hash.ts';
import { ConcurrentModificationError, ValidationError } from '../../domain/errors.ts';
import type { FilingInput } from '../../domain/filing.ts';
import { FILING_ID_PATTERN } from '../../domain/ids.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type {
  CreateFilingCommand,
  FilingEvent,
  FilingRecord,
  TransitionCommand,
} from '../../ports/filings.ts';
import { citySummaryXlsx, SUMMARY_HEADERS } from '../exports/city-summary.ts';
import {
  columnFor,
  HELP_SHEET_NAME,
  IMPORT_COLUMNS,
  importRow,
  importTemplate,
  PAPER_NOTICE_VERSION,
  readImportWorkbook,
  TEMPLATE_SHEET_NAME,
} from './import-sheet.ts';
import { importFilingId, importPool, type PoolImportReport } from './pool-import.ts';
import { cellText } from './sheet-table.ts';

/** The in-memory repository, able to fail the next create (`submit`) or transition of an action once. */
class FailingOnceRepository extends MemoryFilingRepository {
  failOnce: { action: string; error: Error } | undefined;

  private take(action: string): Error | undefined {
    if (this.failOnce?.action !== action) return undefined;
    const { error } = this.failOnce;
    this.failOnce = undefined;
    return error;
  }

  override async create(command: CreateFilingCommand): Promise<FilingRecord> {
    const error = this.take('submit');
    if (!error) return super.create(command);
    this.creates.push(command);
    throw error;
  }

  override async transition(command: TransitionCommand): Promise<FilingEvent> {
    const error = this.take(command.action);
    if (!error) return super.transition(command);
    this.transitions.push(command);
    throw error;
  }
}

const NOW = new Date('2025-06-01T02:00:00.000Z');
const program = getProgram('liaoning-cso');

function setup() {
  const hasher = localHasher(new Uint8Array(randomBytes(32)));
  const repo = new FailingOnceRepository(hasher);
  return { repo, hasher, now: () => NOW };
}

let n = 80_000;
const person = (change: (f: FilingInput) => void = () => undefined): FilingInput => {
  const f = validFiling({ n: n++ });
  change(f);
  return f;
};

/** A workbook of template rows; `edit` may then change cells by header (row 2 = the first person). */
async function workbook(
  filings: readonly FilingInput[],
  edit?: (sheet: ExcelJS.Worksheet, cell: (row: number, header: string) => ExcelJS.Cell) => void,
): Promise<Buffer> {
  const bytes = await importTemplate(program, filings);
  if (!edit) return bytes;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.getWorksheet(TEMPLATE_SHEET_NAME);
  if (!sheet) throw new Error('no sheet');
  const columnOf = (header: string) => IMPORT_COLUMNS.findIndex((c) => c.header === header) + 1;
  edit(sheet, (row, header) => sheet.getRow(row).getCell(columnOf(header)));
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function run(deps: ReturnType<typeof setup>, bytes: Buffer, fileName = '沈阳2021年名单.xlsx') {
  return importPool(deps, { programId: program.id, fileName, workbook: bytes });
}

const rowOf = (report: PoolImportReport, row: number) => {
  const found = report.rows.find((r) => r.row === row);
  if (!found) throw new Error(`no report for row ${row}`);
  return found;
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('importing a good row', () => {
  it('walks it into the pool through submit, start_city_review, approve and include, with audit events', async () => {
    const deps = setup();
    const filing = person();
    const report = await run(deps, await workbook([filing]), 'C:\\名单\\沈阳2021年名单.xlsx');
    expect(report).toMatchObject({ total: 1, imported: 1, warned: 0, present: 0, refused: 0, failed: 0 });
    const row = rowOf(report, 2);
    expect(row).toMatchObject({ status: 'imported', name: '张*', errors: [], warnings: [] });
    expect(row.filingId).toMatch(FILING_ID_PATTERN);
    const filingId = row.filingId ?? '';
    const person1 = await personHash(deps.hasher, program.id, filing.person.idNumber);
    expect(filingId).toBe(await importFilingId(deps.hasher, program.id, person1));

    const record = await deps.repo.get(filingId);
    expect(record.state).toBe('in_pool');
    expect(record.filing.person.idNumberMasked).toBe(
      `${filing.person.idNumber.slice(0, 6)}********${filing.person.idNumber.slice(-4)}`,
    );
    expect(record.filing.attachments).toBeUndefined();
    expect(record.filing.consent).toEqual(filing.consent);

    const history = await deps.repo.history(filingId);
    const reason = '导入 / imported from 沈阳2021年名单.xlsx';
    expect(history.map((e) => [e.action, e.actor, e.from, e.to, e.reason])).toEqual([
      ['submit', { role: 'system', id: 'import' }, null, 'submitted', undefined],
      ['start_city_review', { role: 'system', id: 'import' }, 'submitted', 'city_review', reason],
      ['approve', { role: 'province', id: 'import' }, 'city_review', 'province_review', reason],
      ['include', { role: 'province', id: 'import' }, 'province_review', 'in_pool', reason],
    ]);
    expect(history[3]?.detail).toEqual({ source: 'import', row: '2' });
    expect(history.map((e) => e.version)).toEqual([1, 2, 3, 4]);
  });

  it('walks an Anhui director to registered: without a province stage the city’s approval is the last step', async () => {
    const deps = setup();
    const anhui = getProgram('anhui-std-director');
    const filing = validFiling({ n: n++, role: 'director', unit: '340100', region: '340100' });
    const input = {
      programId: anhui.id,
      fileName: '合肥名单.xlsx',
      workbook: await importTemplate(anhui, [filing]),
    };
    const report = await importPool(deps, input);
    expect(report).toMatchObject({ total: 1, imported: 1, refused: 0, failed: 0 });
    const filingId = rowOf(report, 2).filingId ?? '';
    expect((await deps.repo.get(filingId)).state).toBe('registered');
    expect((await deps.repo.history(filingId)).map((e) => [e.action, e.to])).toEqual([
      ['submit', 'submitted'],
      ['start_city_review', 'city_review'],
      ['register', 'registered'],
    ]);
    // Registered already: a second run leaves the person as they are.
    const again = await importPool(deps, input);
    expect(again).toMatchObject({ total: 1, imported: 0, present: 1 });
    expect(deps.repo.transitions.map((t) => t.action)).toEqual(['start_city_review', 'register']);
  });

  it('reports progress from 0 to the number of rows', async () => {
    const deps = setup();
    const calls: [number, number][] = [];
    await importPool(deps, {
      programId: program.id,
      fileName: 'x.xlsx',
      workbook: await workbook([person(), person((f) => (f.person.email = 'nope')), person()]),
      onProgress: (done, total) => calls.push([done, total]),
      concurrency: 2,
    });
    expect(calls[0]).toEqual([0, 3]);
    expect(calls.at(-1)).toEqual([3, 3]);
    expect(calls.map(([done]) => done)).toEqual([0, 1, 2, 3]);
  });
});

describe('refused rows', () => {
  it('reports a bad ID check digit and a bad credit code with their paths and writes nothing for them', async () => {
    const deps = setup();
    const bad = person((f) => {
      const id = f.person.idNumber;
      f.person.idNumber = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
      // Position 17 (the organization-code check): position 18 alone failing is a legacy code, a warning.
      const uscc = f.enterprise.uscc;
      f.enterprise.uscc = `${uscc.slice(0, 16)}${uscc[16] === '0' ? '1' : '0'}${uscc[17]}`;
    });
    const good = person();
    const report = await run(deps, await workbook([bad, good]));
    expect(report).toMatchObject({ total: 2, imported: 1, refused: 1 });
    const refused = rowOf(report, 2);
    expect(refused.status).toBe('refused');
    expect(refused.filingId).toBeUndefined();
    expect(refused.errors.map((e) => [e.path, e.column])).toEqual([
      ['person.idNumber', '身份证号'],
      ['enterprise.uscc', '统一社会信用代码'],
    ]);
    for (const e of refused.errors) {
      expect(e.message.zh).toMatch(/^(证件号码|统一社会信用代码)：/);
      expect(e.message.en.length).toBeGreaterThan(10);
    }
    // Only the good row reached the store.
    expect(deps.repo.creates.map((c) => c.filing.person.idNumber)).toEqual([good.person.idNumber]);
    expect(deps.repo.records.size).toBe(1);
  });

  it('refuses a row with a right-to-left override or an invisible character on its column, and imports the rest', async () => {
    const deps = setup();
    const disguised = person((f) => {
      f.enterprise.name = '\u202E司公限有械机阳沈';
    });
    const hidden = person((f) => {
      f.person.achievements = '主持制定\u200B企业标准体系。';
    });
    // A line break typed in a cell (Alt+Enter) is a paragraph of the achievements.
    const paragraphs = person((f) => {
      f.person.achievements = '一、主持制定企业标准体系；\n二、参与行业标准起草。';
    });
    const report = await run(deps, await workbook([disguised, hidden, paragraphs]), '名单\u202Exslx.exe');
    expect(report).toMatchObject({ total: 3, imported: 1, refused: 2, fileName: '名单xslx.exe' });
    expect(rowOf(report, 2)).toMatchObject({
      status: 'refused',
      errors: [
        {
          path: 'enterprise.name',
          code: 'invisible_characters',
          column: '企业名称',
          message: { zh: '企业名称：含有不可见或控制字符（U+202E），请删除后重新填写' },
        },
      ],
    });
    expect(rowOf(report, 3).errors.map((e) => [e.path, e.code])).toEqual([
      ['person.achievements', 'invisible_characters'],
    ]);
    const imported = rowOf(report, 4);
    expect(imported.status).toBe('imported');
    expect((await deps.repo.get(imported.filingId ?? '')).filing.person.achievements).toBe(
      '一、主持制定企业标准体系；\n二、参与行业标准起草。',
    );
    expect(deps.repo.creates.map((c) => c.filing.person.idNumber)).toEqual([paragraphs.person.idNumber]);
  });

  it('refuses a hard eligibility rule (no training) with the rule as the error', async () => {
    const deps = setup();
    const report = await run(
      deps,
      await workbook([
        person((f) => {
          f.person.training = undefined;
        }),
      ]),
    );
    expect(rowOf(report, 2).errors).toMatchObject([
      { path: 'person.training', code: 'rule_training-passed', column: '培训合格证书编号' },
    ]);
    expect(deps.repo.creates).toHaveLength(0);
  });

  it('refuses the second row of the same person in one file, naming the first', async () => {
    const deps = setup();
    const first = person();
    const again = structuredClone(first);
    again.role = 'director';
    const report = await run(deps, await workbook([first, person(), again]));
    expect(report).toMatchObject({ total: 3, imported: 2, refused: 1 });
    expect(rowOf(report, 4)).toMatchObject({
      status: 'refused',
      errors: [{ path: 'person.idNumber', code: 'duplicate_in_file', column: '身份证号' }],
    });
    expect(rowOf(report, 4).errors[0]?.message.zh).toContain('第 2 行');
    expect(deps.repo.creates).toHaveLength(2);
  });

  it('reports a choice it cannot read once, with the choices, not again as "required"', async () => {
    const deps = setup();
    const bytes = await workbook([person()], (_sheet, cell) => {
      cell(2, '性别').value = '未知';
      cell(2, '所在市').value = '北京市';
    });
    const row = rowOf(await run(deps, bytes), 2);
    expect(row.errors.map((e) => [e.path, e.code])).toEqual([
      ['person.sex', 'invalid_value'],
      ['enterprise.reportingUnit', 'unknown_reporting_unit'],
    ]);
    expect(row.errors[0]?.message.zh).toBe('性别：取值无效，可选：男、女');
    expect(row.errors[1]?.message.zh).toContain('沈阳市');
  });

  it('refuses an ID number stored as a number (its last digits are gone)', async () => {
    const deps = setup();
    const bytes = await workbook([person()], (_sheet, cell) => {
      cell(2, '身份证号').value = 210102198001010000;
    });
    expect(rowOf(await run(deps, bytes), 2).errors).toMatchObject([
      { path: 'person.idNumber', code: 'id_number_as_number', column: '身份证号' },
    ]);
  });
});

describe('warnings', () => {
  it('imports a row that breaks a soft rule and keeps the warning on the filing', async () => {
    const deps = setup();
    const specialist = person((f) => {
      f.role = 'specialist';
      f.person.education = 'secondary';
      f.person.titleLevel = 'none';
      f.person.titleName = undefined;
    });
    const report = await run(deps, await workbook([specialist]));
    expect(report).toMatchObject({ imported: 0, warned: 1 });
    const row = rowOf(report, 2);
    expect(row.warnings).toMatchObject([
      { path: 'person.education', code: 'rule_specialist-qualification', column: '学历' },
    ]);
    const record = await deps.repo.get(row.filingId ?? '');
    expect(record.state).toBe('in_pool');
    expect(record.warnings.map((w) => w.code)).toEqual(['rule_specialist-qualification']);
  });

  it('warns about a second CSO of the same enterprise within the file', async () => {
    const deps = setup();
    const first = person();
    const second = person((f) => {
      f.enterprise.uscc = first.enterprise.uscc;
    });
    const report = await run(deps, await workbook([first, second]));
    expect(rowOf(report, 2).status).toBe('imported');
    expect(rowOf(report, 3)).toMatchObject({ status: 'warned', warnings: [{ code: 'role_count_unusual' }] });
  });
});

describe('importing the same file again', () => {
  it('imports nothing twice and reports everyone as already in the pool', async () => {
    const deps = setup();
    const filings = [person(), person(), person()];
    const bytes = await workbook(filings);
    const first = await run(deps, bytes);
    expect(first).toMatchObject({ imported: 3, present: 0 });
    const writes = deps.repo.creates.length + deps.repo.transitions.length;
    const events = [...deps.repo.events.values()].flat().length;

    const second = await run(deps, bytes);
    expect(second).toMatchObject({ total: 3, imported: 0, warned: 0, present: 3, refused: 0, failed: 0 });
    for (const row of second.rows) {
      expect(row.note?.zh).toBe('已在人才库中，未重复导入');
      expect(row.note?.en).toBe('already in the pool; not imported again');
      expect(row.filingId).toBe(rowOf(first, row.row).filingId);
    }
    expect(deps.repo.creates.length + deps.repo.transitions.length).toBe(writes);
    expect([...deps.repo.events.values()].flat()).toHaveLength(events);
    expect(deps.repo.records.size).toBe(3);
  });

  it('says so when the row differs from what the pool holds, without updating it', async () => {
    const deps = setup();
    const filing = person();
    await run(deps, await workbook([filing]));
    const changed = structuredClone(filing);
    changed.person.position = '总经理';
    const report = await run(deps, await workbook([changed]));
    expect(rowOf(report, 2).status).toBe('present');
    expect(rowOf(report, 2).note?.zh).toContain('表中信息与库中记录不同');
    const record = await deps.repo.get(rowOf(report, 2).filingId ?? '');
    expect(record.filing.person.position).toBe('副总经理');
  });

  it('finishes a row an earlier run left half-way, without repeating its steps', async () => {
    const deps = setup();
    const bytes = await workbook([person()]);
    deps.repo.failOnce = { action: 'approve', error: new Error('connection reset') };
    const first = await run(deps, bytes);
    expect(first).toMatchObject({ failed: 1, imported: 0 });
    expect(rowOf(first, 2).note?.en).toContain('run the import again');
    const filingId = (
      await importFilingId(deps.hasher, program.id, [...deps.repo.persons.keys()][0] ?? '')
    ).toString();
    expect((await deps.repo.get(filingId)).state).toBe('city_review');

    const second = await run(deps, bytes);
    expect(second).toMatchObject({ imported: 1, failed: 0 });
    expect(rowOf(second, 2).note?.en).toBe('finished an import that was interrupted');
    expect((await deps.repo.history(filingId)).map((e) => e.action)).toEqual([
      'submit',
      'start_city_review',
      'approve',
      'include',
    ]);
  });

  it('reports a person who left the pool since as present, with the state', async () => {
    const deps = setup();
    const bytes = await workbook([person()]);
    const first = await run(deps, bytes);
    const filingId = rowOf(first, 2).filingId ?? '';
    await deps.repo.transition({
      filingId,
      expected: { state: 'in_pool', version: 4 },
      action: 'remove',
      actor: { role: 'city', unit: '210100' },
      at: NOW.toISOString(),
      reason: '调离岗位',
    });
    const second = await run(deps, bytes);
    expect(rowOf(second, 2)).toMatchObject({ status: 'present' });
    expect(rowOf(second, 2).note?.zh).toContain('已退出人才库');
    expect((await deps.repo.get(filingId)).state).toBe('removed');
  });

  it('does not import a person who already has an active filing sent online', async () => {
    const deps = setup();
    const filing = person();
    const online = await deps.repo.create({
      filingId: 'F0000000000001',
      programId: program.id,
      filing: (await import('../../domain/filing.ts')).parseFiling(filing),
      warnings: [],
      actor: { role: 'applicant' },
      at: NOW.toISOString(),
    });
    const report = await run(deps, await workbook([filing]));
    expect(rowOf(report, 2)).toMatchObject({ status: 'present' });
    expect(rowOf(report, 2).note?.en).toContain('filed online');
    expect(deps.repo.records.size).toBe(1);
    expect((await deps.repo.get(online.filingId)).state).toBe('submitted');
  });
});

describe('races with other writers', () => {
  it('writes unit × role groups in turn, so rows written together update different counters', async () => {
    const deps = setup();
    const shenyang = [person(), person(), person()];
    const dalian = [person((f) => (f.enterprise.reportingUnit = '210200'))];
    const directors = [person((f) => (f.role = 'director'))];
    await importPool(deps, {
      programId: program.id,
      fileName: 'x.xlsx',
      workbook: await workbook([...shenyang, ...dalian, ...directors]),
      concurrency: 1,
    });
    expect(deps.repo.creates.map((c) => `${c.filing.enterprise.reportingUnit}#${c.filing.role}`)).toEqual([
      '210100#cso',
      '210200#cso',
      '210100#director',
      '210100#cso',
      '210100#cso',
    ]);
  });

  it('re-reads and carries on when a step loses a race', async () => {
    const deps = setup();
    deps.repo.failOnce = { action: 'include', error: new ConcurrentModificationError('filing') };
    const report = await run(deps, await workbook([person()]));
    expect(report.imported).toBe(1);
    expect(deps.repo.transitions.map((t) => t.action)).toEqual([
      'start_city_review',
      'approve',
      'include',
      'include',
    ]);
  });

  it('retries a create that lost a race on the counter', async () => {
    const deps = setup();
    deps.repo.failOnce = { action: 'submit', error: new ConcurrentModificationError('filing') };
    const report = await run(deps, await workbook([person()]));
    expect(report.imported).toBe(1);
    expect(deps.repo.creates).toHaveLength(2);
  });
});

describe('the file', () => {
  it('refuses a file that is not a workbook', async () => {
    const error = await rejection(run(setup(), Buffer.from('姓名,身份证号\r\n')));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toMatchObject([{ path: 'file', code: 'unreadable_file' }]);
  });

  it('lists every required column an exported summary lacks', async () => {
    const summary = await citySummaryXlsx(program, []);
    const error = await rejection(run(setup(), summary));
    expect(error).toBeInstanceOf(ValidationError);
    const missing = (error as ValidationError).issues.map((i) => i.path.replace('columns.', ''));
    expect(missing).toEqual(
      IMPORT_COLUMNS.filter((c) => c.required && !SUMMARY_HEADERS.includes(c.header)).map((c) => c.header),
    );
    expect(missing).toContain('身份证号');
    expect(missing).toContain('手机');
  });

  it('finds columns by header in any order, with aliases and notes, and skips empty rows', async () => {
    const filing = person();
    const values = importRow(program, filing);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('封面').addRow(['说明']);
    const sheet = book.addWorksheet('名单');
    const headers = Object.keys(values).reverse();
    sheet.addRow(headers.map((h) => (h === '身份证号' ? '证件号码' : h === '姓名' ? '姓名（必填）' : h)));
    sheet.addRow(headers.map(() => null));
    sheet.addRow(headers.map((h) => values[h] ?? null));
    const deps = setup();
    const report = await run(deps, Buffer.from(await book.xlsx.writeBuffer()));
    expect(report).toMatchObject({ sheet: '名单', total: 1, imported: 1 });
    expect(report.rows[0]?.row).toBe(3);
  });
});

describe('reading cells', () => {
  it('accepts the forms people type and the cell types Excel stores', async () => {
    const deps = setup();
    const filing = person((f) => {
      f.person.mobile = '13912345678';
    });
    const bytes = await workbook([filing], (_sheet, cell) => {
      cell(2, '所在市').value = '210100';
      cell(2, '所属行业').value = '制造业';
      cell(2, '出生年月').value = new Date(`${filing.person.birthYearMonth}-01T00:00:00Z`);
      cell(2, '聘任时间').value = '2024年3月1日';
      cell(2, '培训时间').value = 45250; // the serial of 2023-11-20
      cell(2, '同意时间').value = '2025/3/1';
      cell(2, '职称').value = '副高级';
      cell(2, '从事标准化工作年限').value = '6年';
      cell(2, '手机').value = null;
      cell(2, '联系电话').value = 13912345678;
      cell(2, '电子邮箱').value = { text: 'Officer@Example.com', hyperlink: 'mailto:officer@example.com' };
      cell(2, '企业名称').value = { richText: [{ text: '沈阳' }, { text: '示例有限公司' }] };
      cell(2, '证件类型').value = '身份证';
      cell(2, '告知书版本').value = null;
      cell(2, '企业类别').value = '规上企业，标准化良好行为企业';
    });
    const report = await run(deps, bytes);
    expect(report.rows[0]?.errors).toEqual([]);
    const record = await deps.repo.get(report.rows[0]?.filingId ?? '');
    const { person: p, enterprise: e, consent } = record.filing;
    expect(e.reportingUnit).toBe('210100');
    expect(e.industry).toBe('C');
    expect(e.name).toBe('沈阳示例有限公司');
    expect(e.categories).toEqual(['above_scale', 'good_behavior']);
    expect(p.birthYearMonth).toBe(filing.person.birthYearMonth);
    expect(p.appointment.date).toBe('2024-03-01');
    expect(p.training?.date).toBe('2023-11-20');
    expect(p.titleLevel).toBe('associate_senior');
    expect(p.titleName).toBeUndefined();
    expect(p.standardsWorkYears).toBe(6);
    expect(p.mobile).toBe('13912345678');
    expect(p.email).toBe('officer@example.com');
    expect(consent).toEqual({
      accepted: true,
      noticeVersion: PAPER_NOTICE_VERSION,
      acceptedAt: '2025-03-01T00:00:00+08:00',
    });
  });

  it('refuses what it cannot read unambiguously', async () => {
    const deps = setup();
    const bytes = await workbook([person(), person(), person()], (_sheet, cell) => {
      cell(2, '职称').value = '初级';
      cell(2, '出生年月').value = 1980.1;
      cell(3, '职称').value = '高级工程师';
      cell(3, '手机').value = null;
      cell(3, '联系电话').value = '138****1234';
      cell(3, '所属行业').value = '制造';
      cell(4, '从事标准化工作年限').value = '六年';
      cell(4, '企业类别').value = '龙头企业';
      cell(4, '证件类型').value = '护照';
    });
    const report = await run(deps, bytes);
    expect(rowOf(report, 2).errors.map((e) => e.code)).toEqual(['ambiguous_number', 'ambiguous_title_level']);
    expect(rowOf(report, 3).errors.map((e) => [e.path, e.code])).toEqual([
      ['person.titleLevel', 'invalid_value'],
      ['enterprise.industry', 'invalid_value'],
      ['person.mobile', 'required'],
    ]);
    expect(rowOf(report, 3).errors[2]?.column).toBe('手机');
    expect(rowOf(report, 4).errors.map((e) => [e.path, e.code])).toEqual([
      ['person.idType', 'invalid_value'],
      ['person.standardsWorkYears', 'invalid_type'],
      ['enterprise.categories', 'invalid_value'],
    ]);
    expect(deps.repo.creates).toHaveLength(0);
  });

  it('reads formulas by their result and links by their text', () => {
    expect(cellText({ formula: 'A1&B1', result: '张伟' } as ExcelJS.CellValue)).toBe('张伟');
    expect(cellText({ text: 'a@b.cn', hyperlink: 'mailto:a@b.cn' })).toBe('a@b.cn');
    expect(cellText({ error: '#N/A' } as ExcelJS.CellValue)).toBe('#N/A');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
  });

  it('maps issue paths to the columns to look at', () => {
    expect(columnFor('person.training.date')).toBe('培训时间');
    expect(columnFor('person.training')).toBe('培训合格证书编号');
    expect(columnFor('enterprise.categories.2')).toBe('企业类别');
    expect(columnFor('person.titleName')).toBe('职称');
    expect(columnFor('attachments')).toBeUndefined();
  });
});

describe('the template', () => {
  it('has the summary columns first, then what an import needs, as text, with input messages and drop-downs', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await importTemplate(program)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([TEMPLATE_SHEET_NAME, HELP_SHEET_NAME]);
    const sheet = book.getWorksheet(TEMPLATE_SHEET_NAME);
    if (!sheet) throw new Error('no sheet');
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    expect(headers.slice(0, 16)).toEqual([...SUMMARY_HEADERS]);
    expect(headers).toEqual(expect.arrayContaining(['身份证号', '手机', '同意时间']));
    expect(sheet.rowCount).toBe(1);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const idColumn = headers.indexOf('身份证号') + 1;
    expect(sheet.getColumn(idColumn).numFmt).toBe('@');
    expect(sheet.getRow(1).getCell(idColumn).font?.color?.argb).toBe('FFC00000');
    expect(sheet.getRow(1).getCell(1).font?.color).toBeUndefined();
    // Help is an input message, never a note: notes written back by other programs break readers.
    expect(sheet.getRow(1).getCell(idColumn).note).toBeUndefined();
    const idLetter = sheet.getColumn(idColumn).letter;
    expect(sheet.getCell(`${idLetter}2`).dataValidation).toMatchObject({
      showInputMessage: true,
      promptTitle: '身份证号',
      prompt: expect.stringContaining('文本格式'),
    });
    const sexColumn = sheet.getColumn(headers.indexOf('性别') + 1).letter;
    expect(sheet.getCell(`${sexColumn}2`).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"男,女"'],
      prompt: '男 / 女',
    });
    const help = book.getWorksheet(HELP_SHEET_NAME);
    expect(help?.getRow(2).getCell(1).value).toBe('序号');
  });

  it('reads back the filings it was given', async () => {
    const filings = [person(), person()];
    const sheet = await readImportWorkbook(await importTemplate(program, filings));
    expect(sheet.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(sheet.rows[1]?.cells.get('身份证号')).toBe(filings[1]?.person.idNumber);
  });
});
