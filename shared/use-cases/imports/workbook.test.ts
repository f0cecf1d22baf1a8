// Import workbooks saved by other programs: the template filled and written back by a second
// spreadsheet library (SheetJS), and the same file with its notes in the parts openpyxl writes
// (`xl/comments/comment1.xml` and `xl/drawings/commentsDrawing1.vml`, named by absolute targets),
// which exceljs alone cannot load. Files that really are not workbooks are refused with the reason.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { validFiling } from '../../../test/support/fixtures.ts';
import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { IMPORT_COLUMNS, importRow, importTemplate, readImportWorkbook } from './import-sheet.ts';
import { loadWorkbook } from './workbook.ts';

const program = getProgram('liaoning-cso');
const filings = [validFiling({ n: 91_001 }), validFiling({ n: 91_002 })];

/** The empty template, filled in and saved by SheetJS, each header with a note as an office adds them. */
async function filledBySheetJs(): Promise<Buffer> {
  const book = XLSX.read(await importTemplate(program), { type: 'buffer' });
  const sheet = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
  const headers = IMPORT_COLUMNS.map((c) => c.header);
  const rows = filings.map((f) => {
    const row = importRow(program, f);
    return headers.map((h) => (h in row ? String(row[h]) : ''));
  });
  XLSX.utils.sheet_add_aoa(sheet, rows, { origin: 'A2' });
  for (const [i, c] of IMPORT_COLUMNS.entries()) {
    const cell = sheet[XLSX.utils.encode_cell({ r: 0, c: i })] as XLSX.CellObject;
    cell.c = [{ a: '办公室', t: c.help || c.header }];
  }
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The same package with its notes where openpyxl puts them, named as openpyxl names them. */
async function asOpenpyxlWrites(bytes: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const rels = 'xl/worksheets/_rels/sheet1.xml.rels';
  const relsXml = await (zip.file(rels) as JSZip.JSZipObject).async('string');
  const target = (type: string) =>
    new RegExp(`Id="([^"]+)" Type="[^"]*/${type}" Target="([^"]+)"`).exec(relsXml) as RegExpExecArray;
  const [, vmlId, vmlTarget] = target('vmlDrawing');
  const [, , commentsTarget] = target('comments');
  const move = async (from: string, to: string) => {
    zip.file(to, await (zip.file(from) as JSZip.JSZipObject).async('uint8array'));
    zip.remove(from);
  };
  await move(`xl/${(vmlTarget as string).replace('../', '')}`, 'xl/drawings/commentsDrawing1.vml');
  await move(`xl/${(commentsTarget as string).replace('../', '')}`, 'xl/comments/comment1.xml');
  zip.file(
    rels,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="comments" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="/xl/comments/comment1.xml"/>' +
      '<Relationship Id="anysvml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="/xl/drawings/commentsDrawing1.vml"/>' +
      '</Relationships>',
  );
  const sheetXml = await (zip.file('xl/worksheets/sheet1.xml') as JSZip.JSZipObject).async('string');
  expect(sheetXml).toContain(`<legacyDrawing r:id="${vmlId}"/>`);
  zip.file('xl/worksheets/sheet1.xml', sheetXml.replace(`r:id="${vmlId}"`, 'r:id="anysvml"'));
  const types = await (zip.file('[Content_Types].xml') as JSZip.JSZipObject).async('string');
  zip.file(
    '[Content_Types].xml',
    types.replace(/PartName="\/xl\/comments\d*\.xml"/, 'PartName="/xl/comments/comment1.xml"'),
  );
  return zip.generateAsync({ type: 'nodebuffer' });
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
    const bytes = await filledBySheetJs();
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).some((f) => f.endsWith('.vml'))).toBe(true);
    const sheet = await readImportWorkbook(bytes);
    expect(sheet.rows.map((r) => r.row)).toEqual([2, 3]);
    expect(sheet.rows.map((r) => r.cells.get('身份证号'))).toEqual(filings.map((f) => f.person.idNumber));
    expect(sheet.rows[0]?.cells.get('姓名')).toBe(filings[0]?.person.name);
  });

  it('reads the notes openpyxl writes, which exceljs alone refuses', async () => {
    const bytes = await asOpenpyxlWrites(await filledBySheetJs());
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
