// What the staff spreadsheets (the pool import, the training pass list, the yearly plans) share:
// a sheet is a table with its header in row 1 and its columns found by header, in any order and
// under aliases; cells are read as the text they show. Their templates write the header row and
// the 填写说明 sheet one way, so an office that knows one template knows the others.
import type ExcelJS from 'exceljs';
import { ValidationError } from '../../domain/errors.ts';
import { toHalfWidth } from '../../domain/validation/normalize.ts';
import { loadWorkbook } from './workbook.ts';

/** A column of a template: found by its header or an alias, explained by its help. */
export interface SheetColumn {
  header: string;
  /** Other headers accepted for this column. */
  aliases?: readonly string[];
  /** The column must be in the file (a file without it is refused). */
  required: boolean;
  width: number;
  help: string;
}

export interface SheetRow {
  /** The row number in the sheet (the header is row 1). */
  row: number;
  /** Cell values by column header (the template's header, whatever alias the file used). */
  cells: ReadonlyMap<string, ExcelJS.CellValue>;
}

export interface TableSheet {
  name: string;
  rows: SheetRow[];
}

/** The text a cell shows: rich text joined, a link's text, a formula's cached result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const v = value as unknown as Record<string, unknown>;
  if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((r) => r.text).join('');
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v.text === 'string') return v.text;
  if (v.text && typeof v.text === 'object') return cellText(v.text as ExcelJS.CellValue);
  if (typeof v.error === 'string') return v.error;
  return '';
}

/** Headers compare without blanks, `*` marks and a trailing note in brackets (`身份证号（必填）`). */
export function headerKey(text: string): string {
  return toHalfWidth(text)
    .replace(/[\s*]/g, '')
    .replace(/\([^()]*\)$/, '');
}

/**
 * Reads a table sheet: the first sheet whose header row has every column of `identifiedBy`,
 * else the first sheet. Refuses a file that is not XLSX or lacks a required column (every
 * missing column at once). A column named twice is read from its first place. Rows with nothing
 * but columns of `ignoredWhenAlone` are skipped.
 */
export async function readTableSheet(
  bytes: Uint8Array,
  columns: readonly SheetColumn[],
  options: { identifiedBy: readonly string[]; ignoredWhenAlone: ReadonlySet<string> },
): Promise<TableSheet> {
  const workbook = await loadWorkbook(bytes);
  const byKey = new Map<string, SheetColumn>(
    columns.flatMap((c) => [c.header, ...(c.aliases ?? [])].map((h) => [headerKey(h), c] as const)),
  );
  const headersOf = (sheet: ExcelJS.Worksheet) => {
    const found = new Map<number, SheetColumn>();
    sheet.getRow(1).eachCell((cell, colNumber) => {
      const column = byKey.get(headerKey(cellText(cell.value)));
      if (column && ![...found.values()].includes(column)) found.set(colNumber, column);
    });
    return found;
  };
  const sheet =
    workbook.worksheets.find((s) => {
      const headers = [...headersOf(s).values()].map((c) => c.header);
      return options.identifiedBy.every((h) => headers.includes(h));
    }) ?? workbook.worksheets[0];
  const found = sheet ? headersOf(sheet) : new Map<number, SheetColumn>();
  const present = new Set([...found.values()].map((c) => c.header));
  const missing = columns.filter((c) => c.required && !present.has(c.header));
  if (!sheet || missing.length > 0) {
    throw new ValidationError(
      missing.map((c) => ({
        path: `columns.${c.header}`,
        code: 'missing_column',
        message: { zh: `缺少列：${c.header}`, en: `missing column: ${c.header}` },
      })),
    );
  }
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<string, ExcelJS.CellValue>();
    let content = false;
    for (const [colNumber, column] of found) {
      const value = row.getCell(colNumber).value;
      cells.set(column.header, value);
      if (cellText(value).trim() !== '' && !options.ignoredWhenAlone.has(column.header)) content = true;
    }
    if (content) rows.push({ row: rowNumber, cells });
  });
  return { name: sheet.name, rows };
}

/**
 * A template's sheet: the header in row 1, frozen, in bold (a required column's in red), and
 * every column formatted as text, so that an ID number stays whole.
 */
export function addTemplateSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly SheetColumn[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.header,
    width: c.width,
    style: { numFmt: '@' },
  }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  for (const [i, c] of columns.entries()) {
    if (c.required) head.getCell(i + 1).font = { bold: true, color: { argb: 'FFC00000' } };
  }
  return sheet;
}

/**
 * The 填写说明 sheet: a row per column with its help (and, with `requiredColumn`, whether the
 * column must be there), a blank row, then the notes, one a row.
 */
export function addHelpSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: readonly { header: string; help: string; required?: boolean }[],
  notes: readonly string[],
  options: { requiredColumn: boolean },
): void {
  const help = workbook.addWorksheet(name);
  help.columns = [
    { header: '列名', key: 'header', width: 20 },
    ...(options.requiredColumn ? [{ header: '必须有此列', key: 'required', width: 12 }] : []),
    { header: '填写说明', key: 'help', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of columns) {
    help.addRow({
      header: c.header,
      ...(options.requiredColumn ? { required: c.required ? '是' : '' } : {}),
      help: c.help,
    });
  }
  help.addRow({});
  for (const line of notes) help.addRow({ header: line });
}
