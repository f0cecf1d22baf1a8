// Import workbooks saved by other programs: the template filled and written back by a second
// spreadsheet library (SheetJS), and the same file with its notes in the parts openpyxl writes
// (`xl/comments/comment1.xml` and `xl/drawings/commentsDrawing1.vml`, named by absolute targets),
// which exceljs alone cannot load. Files that really are not workbooks are refused with the reason.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { asOpenpyxlWrites, filledBySheetJs } from '../../../test/support/other-programs.ts';
import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { IMPORT_COLUMNS, importRow, importTemplate, readImportWorkbook } from './import-sheet.ts';
import { loadWorkbook } from './workbook.ts';

const program = getProgram('liaoning-cso');
const filings = [validFiling({ n: 91_001 }), validFiling({ n: 91_002 })];

/** The empty template, filled in and saved by SheetJS, each header with a note as an office adds them. */
async function filled(): Promise<Buffer> {
  return filledBySheetJs(
    await importTemplate(program),
    filings.map((f) => importRow(program, f)),
    Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.header, c.help])),
  );
}

async function refusal(bytes: Uint8Array) {
  const error = await readImportWorkbook(bytes).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  const issue = (error as ValidationError).issues[0];
  expect(issue).toMatchObject({ path: 'file', code: 'unreadable_file' });
  return issue?.message ?? { zh: '', en: '' };
}

describe('workbooks saved by other programs', () => {
  it('reads the template filled in and saved by SheetJS, notes on every header included', async () => {
    const bytes = await filled();
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).some((f) => f.endsWith('.vml'))).toBe(true);
    const sheet = await readImportWorkbook(bytes);
    expect(sheet.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(sheet.rows.map((r) => r.cells.get('身份证号'))).toEqual(filings.map((f) => f.person.idNumber));
    expect(sheet.rows[0]?.cells.get('姓名')).toBe(filings[0]?.person.name);
  });

  it('reads the notes openpyxl writes, which exceljs alone refuses', async () => {
    const bytes = await asOpenpyxlWrites(await filled());
    const plain = new ExcelJS.Workbook();
    await expect(plain.xlsx.load(bytes as unknown as ArrayBuffer)).rejects.toThrow();
    const sheet = await readImportWorkbook(bytes);
    expect(sheet.rows.map((r) => r.cells.get('身份证号'))).toEqual(filings.map((f) => f.person.idNumber));
    // The cleaned package keeps every cell and drops only the notes and their drawing.
    const book = await loadWorkbook(bytes);
    expect(book.worksheets[0]?.getRow(1).getCell(1).value).toBe('序号');
    expect(book.worksheets[0]?.getRow(1).getCell(1).note).toBeUndefined();
  });

  it('refuses what is not a workbook, saying what it is', async () => {
    expect((await refusal(new Uint8Array())).en).toContain('empty');
    const xls = new Uint8Array(512);
    xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect((await refusal(xls)).zh).toContain('.xls');
    expect(
      (await refusal(new TextEncoder().encode('姓名,身份证号\n张三,11010519491231002X\n'))).en,
    ).toContain('not an .xlsx file');
    const docx = new JSZip();
    docx.file('word/document.xml', '<w:document/>');
    expect((await refusal(await docx.generateAsync({ type: 'uint8array' }))).en).toContain(
      'no Excel workbook',
    );
    const broken = await JSZip.loadAsync(await importTemplate(program));
    broken.file('xl/workbook.xml', '<workbook><sheets><sheet name="x" r:id="rId9"');
    const parsed = await refusal(await broken.generateAsync({ type: 'uint8array' }));
    expect(parsed.en).toContain('could not be parsed');
    expect(parsed.zh).toContain('无法解析');
  });
});
