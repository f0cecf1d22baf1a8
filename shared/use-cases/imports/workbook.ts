// Reading and writing the import workbooks, whatever program saved them. Offices fill the
// templates in Excel, WPS or a script (openpyxl, SheetJS); each writes cell notes in its own way,
// and exceljs fails on some of them (openpyxl's `xl/comments/comment1.xml` named by an absolute
// target is one). The imports read cell values only, so the notes and their VML drawings are
// taken out of the package before exceljs sees it, and the templates carry their instructions
// in an instructions sheet and in data-validation input messages instead of notes.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ValidationError } from '../../domain/errors.ts';

const REL_COMMENTS = 'relationships/comments';
const REL_VML = 'relationships/vmlDrawing';
/** Relationships that carry notes or their drawings: Excel's threaded comments too. */
const isNoteRelationship = (type: string) =>
  type.endsWith(REL_COMMENTS) || type.endsWith(REL_VML) || type.endsWith('relationships/threadedComment');

/** Why a file is not a workbook that can be read, in both languages. */
function unreadable(zh: string, en: string): ValidationError {
  return new ValidationError([
    {
      path: 'file',
      code: 'unreadable_file',
      message: {
        zh: `无法读取该文件：${zh}。请上传 Excel 工作簿（.xlsx）`,
        en: `the file could not be read: ${en}; upload an Excel workbook (.xlsx)`,
      },
    },
  ]);
}

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => prefix.every((b, i) => bytes[i] === b);

/** The part a relationship target names, from the folder of the part that holds the relationship. */
function resolvePart(fromFolder: string, target: string): string {
  const parts = target.startsWith('/') ? [] : fromFolder.split('/').filter(Boolean);
  for (const segment of target.replace(/^\//, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/**
 * The package without cell notes: each worksheet loses its comment and VML-drawing
 * relationships, the `<legacyDrawing>` element that points at them, the parts themselves and
 * their content types. Returns undefined when there is nothing to take out.
 */
export async function withoutNotes(zip: JSZip): Promise<JSZip | undefined> {
  const removed = new Set<string>();
  const rels = Object.keys(zip.files).filter((name) => /^xl\/worksheets\/_rels\/[^/]+\.rels$/.test(name));
  for (const relsName of rels) {
    const xml = await (zip.file(relsName) as JSZip.JSZipObject).async('string');
    const dropped: string[] = [];
    const kept = xml.replace(/<Relationship\b[^>]*?\/>/g, (element) => {
      const type = /\bType="([^"]*)"/.exec(element)?.[1] ?? '';
      if (!isNoteRelationship(type)) return element;
      dropped.push(/\bId="([^"]*)"/.exec(element)?.[1] ?? '');
      const target = /\bTarget="([^"]*)"/.exec(element)?.[1];
      if (target && !/\bTargetMode="External"/.test(element))
        removed.add(resolvePart('xl/worksheets', target));
      return '';
    });
    if (dropped.length === 0) continue;
    zip.file(relsName, kept);
    const sheetName = relsName.replace('_rels/', '').replace(/\.rels$/, '');
    const sheet = zip.file(sheetName);
    if (sheet) {
      const sheetXml = await sheet.async('string');
      zip.file(
        sheetName,
        sheetXml.replace(/<(?:\w+:)?legacyDrawing\b[^>]*?\/>/g, (element) => {
          const id = /\bid="([^"]*)"/.exec(element)?.[1];
          return id !== undefined && dropped.includes(id) ? '' : element;
        }),
      );
    }
  }
  if (removed.size === 0) return undefined;
  for (const part of removed) zip.remove(part);
  const types = zip.file('[Content_Types].xml');
  if (types) {
    const xml = await types.async('string');
    zip.file(
      '[Content_Types].xml',
      xml.replace(/<Override\b[^>]*?\/>/g, (element) => {
        const part = /\bPartName="\/?([^"]*)"/.exec(element)?.[1];
        return part && removed.has(part) ? '' : element;
      }),
    );
  }
  return zip;
}

/**
 * The workbook in `bytes`, read by exceljs after its notes are taken out. A file that is not
 * a readable XLSX is refused with the reason: an old .xls or an encrypted workbook, a ZIP
 * that is no workbook (a .docx), a file that is no ZIP at all (CSV, PDF), or what the reader
 * could not parse.
 */
export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  if (bytes.length === 0) throw unreadable('文件为空', 'the file is empty');
  if (startsWith(bytes, OLE)) {
    throw unreadable(
      '这是 Excel 97-2003 工作簿（.xls）或加密的工作簿，请另存为不加密的 .xlsx',
      'it is an Excel 97-2003 workbook (.xls) or an encrypted one; save it as an unencrypted .xlsx',
    );
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw unreadable(
      '不是 .xlsx 文件（可能是 CSV、PDF 或已损坏的文件）',
      'it is not an .xlsx file (perhaps a CSV, a PDF or a damaged file)',
    );
  }
  if (!zip.file('xl/workbook.xml')) {
    throw unreadable(
      '压缩包中没有 Excel 工作簿（可能是 Word 或其他文档）',
      'the archive holds no Excel workbook (perhaps a Word or other document)',
    );
  }
  const cleaned = await withoutNotes(zip);
  const input = cleaned ? await cleaned.generateAsync({ type: 'nodebuffer' }) : Buffer.from(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(input as unknown as ArrayBuffer);
  } catch (error) {
    // The reader's own words name a part or an element, never a cell's content.
    const reason = String((error as Error).message ?? error)
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 120);
    throw unreadable(`工作簿内容无法解析（${reason}）`, `its content could not be parsed (${reason})`);
  }
  return workbook;
}

/** exceljs keeps range validations (`A2:A1000`) as one rule, but its types only know the per-cell API. */
export const validations = (sheet: ExcelJS.Worksheet) =>
  (sheet as unknown as { dataValidations: { add(range: string, rule: Record<string, unknown>): void } })
    .dataValidations;

/** Excel shows at most 32 characters of an input message's title and 255 of its text. */
export function inputMessage(title: string, text: string) {
  return {
    showInputMessage: true,
    promptTitle: title.slice(0, 32),
    prompt: text.length > 255 ? `${text.slice(0, 254)}…` : text,
  };
}

/**
 * An input message on a column's header and on its cells down to `lastRow`: Excel and WPS show
 * it when the cell is selected. `rule` is the column's own validation (a drop-down), kept.
 */
export function addColumnHelp(
  sheet: ExcelJS.Worksheet,
  column: number,
  lastRow: number,
  title: string,
  help: string,
  rule?: Record<string, unknown>,
) {
  const letter = sheet.getColumn(column).letter;
  const message = inputMessage(title, help);
  validations(sheet).add(`${letter}1`, { type: 'any', allowBlank: true, formulae: [], ...message });
  validations(sheet).add(`${letter}2:${letter}${lastRow}`, {
    type: 'any',
    allowBlank: true,
    formulae: [],
    ...rule,
    ...message,
  });
}
