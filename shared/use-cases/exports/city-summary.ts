// The city summary (附件2, docs/domain.md §4) as a file: the rows a city sends the province, as an
// XLSX workbook for people and as CSV for other systems. Built from stored filing records,
// which never hold the clear ID number; mobiles are masked here (docs/domain.md §8) and labels are the
// programme's Chinese ones. Names stay whole: the summary is the province's working list,
// and docs/domain.md §8 masks names only on public lists.
import ExcelJS from 'exceljs';
import { documentShortName, documentTitle, summaryColumns } from '../../domain/documents.ts';
import type { Program } from '../../domain/programs/program.ts';
import type { FilingRecord } from '../../ports/filings.ts';
import { citySummaryRows } from './summary-rows.ts';

export { citySummaryCsv, citySummaryRows, SUMMARY_HEADERS } from './summary-rows.ts';

/** Column widths in characters (a CJK character counts about two), in header order. */
const WIDTHS: Readonly<Record<string, number>> = {
  序号: 6,
  所在市: 12,
  '所在市、省直管县（市）': 22,
  企业名称: 34,
  统一社会信用代码: 22,
  所属行业: 24,
  姓名: 10,
  性别: 6,
  出生年月: 10,
  岗位: 14,
  现任职务: 16,
  学历: 16,
  职称: 24,
  培训合格证书编号: 22,
  聘任时间: 12,
  联系电话: 14,
  备注: 48,
};

export interface SummaryFileOptions {
  /** Workbook creation time (document properties); now when absent. */
  generatedAt?: Date;
}

/**
 * The summary as an XLSX workbook: one sheet named by the programme (附件2 for Liaoning), a bold frozen header row with a filter,
 * widths set, every cell text (a value beginning with `=` is stored as a string, never a
 * formula), printed landscape on A4 with the header repeated.
 */
export async function citySummaryXlsx(
  program: Program,
  records: readonly FilingRecord[],
  options: SummaryFileOptions = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const at = options.generatedAt ?? new Date();
  workbook.creator = program.authority.zh;
  workbook.title = documentTitle(program, 'summary');
  workbook.created = at;
  workbook.modified = at;
  const headers = summaryColumns(program);
  // Excel allows 31 characters in a sheet name.
  const sheet = workbook.addWorksheet(documentShortName(program, 'summary').slice(0, 31), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
  });
  sheet.columns = headers.map((header) => ({
    header,
    key: header,
    width: WIDTHS[header] ?? 14,
    style: { numFmt: '@', alignment: { vertical: 'top', wrapText: header === '备注' } },
  }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.alignment = { vertical: 'middle', horizontal: 'center' };
  head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  for (const cells of citySummaryRows(program, records)) {
    // Plain strings: exceljs writes a formula only for `{ formula }` values.
    sheet.addRow(cells);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
