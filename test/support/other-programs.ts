// Workbooks as other programs save them: an import template filled in and written back by a
// second spreadsheet library (SheetJS), with a note on every header as an office adds them, and
// the same package with its notes where openpyxl puts them (`xl/comments/comment1.xml` and
// `xl/drawings/commentsDrawing1.vml`, named by absolute targets), which exceljs alone cannot load.
import JSZip from 'jszip';
import * as XLSX from 'xlsx';

/** The template's first sheet filled from row 2 with `rows` (cells by header), notes on the headers. */
export function filledBySheetJs(
  template: Uint8Array,
  rows: readonly Record<string, string | number>[],
  notes: Record<string, string> = {},
): Buffer {
  const book = XLSX.read(template, { type: 'buffer' });
  const sheet = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
  const range = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1');
  const headers: string[] = [];
  for (let c = range.s.c; c <= range.e.c; c++) {
    headers.push(
      String((sheet[XLSX.utils.encode_cell({ r: 0, c })] as XLSX.CellObject | undefined)?.v ?? ''),
    );
  }
  XLSX.utils.sheet_add_aoa(
    sheet,
    rows.map((row) => headers.map((h) => (h in row ? String(row[h]) : ''))),
    { origin: 'A2' },
  );
  for (const [c, header] of headers.entries()) {
    const cell = sheet[XLSX.utils.encode_cell({ r: 0, c })] as XLSX.CellObject | undefined;
    if (cell) cell.c = [{ a: '办公室', t: notes[header] || header }];
  }
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The same package with its notes where openpyxl puts them, named as openpyxl names them. */
export async function asOpenpyxlWrites(bytes: Uint8Array): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const rels = 'xl/worksheets/_rels/sheet1.xml.rels';
  const relsXml = await (zip.file(rels) as JSZip.JSZipObject).async('string');
  const target = (type: string) => {
    const found = new RegExp(`Id="([^"]+)" Type="[^"]*/${type}" Target="([^"]+)"`).exec(relsXml);
    if (!found) throw new Error(`no ${type} relationship to move`);
    return { id: found[1] as string, target: found[2] as string };
  };
  const vml = target('vmlDrawing');
  const comments = target('comments');
  const move = async (from: string, to: string) => {
    zip.file(to, await (zip.file(from) as JSZip.JSZipObject).async('uint8array'));
    zip.remove(from);
  };
  await move(`xl/${vml.target.replace('../', '')}`, 'xl/drawings/commentsDrawing1.vml');
  await move(`xl/${comments.target.replace('../', '')}`, 'xl/comments/comment1.xml');
  zip.file(
    rels,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="comments" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="/xl/comments/comment1.xml"/>' +
      '<Relationship Id="anysvml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="/xl/drawings/commentsDrawing1.vml"/>' +
      '</Relationships>',
  );
  const sheetXml = await (zip.file('xl/worksheets/sheet1.xml') as JSZip.JSZipObject).async('string');
  if (!sheetXml.includes(`<legacyDrawing r:id="${vml.id}"/>`)) throw new Error('no legacyDrawing to rename');
  zip.file('xl/worksheets/sheet1.xml', sheetXml.replace(`r:id="${vml.id}"`, 'r:id="anysvml"'));
  const types = await (zip.file('[Content_Types].xml') as JSZip.JSZipObject).async('string');
  zip.file(
    '[Content_Types].xml',
    types.replace(/PartName="\/xl\/comments\d*\.xml"/, 'PartName="/xl/comments/comment1.xml"'),
  );
  return zip.generateAsync({ type: 'nodebuffer' });
}
