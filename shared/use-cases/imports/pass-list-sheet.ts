// The training pass-list spreadsheet (培训合格名单): its columns, the empty template, and the
// reading of its rows. One person per row; columns are found by header (order free).
//
//     序号                 ignored (the report names sheet rows)
//   * 姓名                 checked for presence; shown masked in the report, never stored
//     证件类型             居民身份证 (default) / 港澳台居民居住证 / 外国人永久居留身份证
//   * 身份证号 (or 证件号码) the full number, as text; stored only as its keyed hash
//   * 培训合格证书编号     as printed on the certificate
import ExcelJS from 'exceljs';
import type { Program } from '../../domain/programs/program.ts';
import {
  addHelpSheet,
  addTemplateSheet,
  readTableSheet,
  type SheetColumn,
  type TableSheet,
} from './sheet-table.ts';
import { addColumnHelp } from './workbook.ts';

export const PASS_LIST_SHEET_NAME = '合格名单';
export const PASS_LIST_HELP_SHEET_NAME = '填写说明';

export const PASS_LIST_COLUMNS: readonly SheetColumn[] = [
  { header: '序号', required: false, width: 6, help: '可留空；导入时忽略，报告按表格行号' },
  { header: '姓名', required: true, width: 12, help: '核对用，系统不保存姓名' },
  {
    header: '证件类型',
    required: false,
    width: 18,
    help: '居民身份证（默认）/ 港澳台居民居住证 / 外国人永久居留身份证',
  },
  {
    header: '身份证号',
    aliases: ['证件号码', '身份证号码'],
    required: true,
    width: 22,
    help: '完整证件号码，末位 X 可小写；请保持本列为文本格式。系统只保存其加密摘要，不保存号码本身',
  },
  {
    header: '培训合格证书编号',
    aliases: ['证书编号', '合格证书编号'],
    required: true,
    width: 22,
    help: '与培训合格证书上的编号一致；备案时按此编号和证件号码核验',
  },
];

/**
 * Reads the pass list: the first sheet whose header row has an ID column and a certificate
 * column, else the first sheet. A file that cannot be read is refused with the reason; a
 * missing required column is refused by name (every one at once).
 */
export function readPassListWorkbook(bytes: Uint8Array): Promise<TableSheet> {
  return readTableSheet(bytes, PASS_LIST_COLUMNS, {
    identifiedBy: ['身份证号', '培训合格证书编号'],
    ignoredWhenAlone: new Set(['序号']),
  });
}

/** A person on a pass list as a template row (tests and benchmarks fill templates with it). */
export interface PassListRow {
  name: string;
  idNumber: string;
  certificateNumber: string;
}

/**
 * The pass-list template: sheet 合格名单 (header in row 1, required headers in red, every
 * column as text, each column's help as the input message Excel and WPS show on selection) and
 * a 填写说明 sheet. No cell notes. With `rows`, the people are filled in under the header.
 */
export async function passListTemplate(program: Program, rows: readonly PassListRow[] = []): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = program.authority.zh;
  workbook.title = `${program.title.zh}培训合格名单模板`;
  const sheet = addTemplateSheet(workbook, PASS_LIST_SHEET_NAME, PASS_LIST_COLUMNS);
  for (const [i, r] of rows.entries()) {
    sheet.addRow({ 序号: i + 1, 姓名: r.name, 身份证号: r.idNumber, 培训合格证书编号: r.certificateNumber });
  }
  const lastRow = Math.max(1000, rows.length + 1);
  for (const [i, c] of PASS_LIST_COLUMNS.entries()) {
    const rule =
      c.header === '证件类型'
        ? {
            type: 'list',
            formulae: ['"居民身份证,港澳台居民居住证,外国人永久居留身份证"'],
            showErrorMessage: false,
          }
        : undefined;
    addColumnHelp(sheet, i + 1, lastRow, c.header, c.help, rule);
  }
  addHelpSheet(
    workbook,
    PASS_LIST_HELP_SHEET_NAME,
    PASS_LIST_COLUMNS,
    [
      '每行一名培训合格人员，第 1 行为表头（列的顺序可调整）。名单导入到先行登记的培训批次。',
      '系统只保存证件号码的加密摘要和证书编号，不保存姓名和证件号码；备案提交时据此核验培训合格信息。',
      '有错误的行不导入，其他行照常导入；重复导入同一名单不会重复登记（报告为“已登记”）。',
    ],
    { requiredColumn: true },
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
