// The yearly plans as a spreadsheet: a template with one row per reporting unit (code and name
// filled in, the year's plans where set) and a column per role and for enterprises, and the
// reading of a filled one into the plan request. Instructions are in a 填写说明 sheet and in
// the columns' input messages, never in cell notes (other programs' notes may not be
// readable). A year's plans are replaced whole, so a file with a bad cell is refused whole,
// with every bad cell named.
import ExcelJS from 'exceljs';
import { type FieldIssue, ValidationError } from '../../domain/errors.ts';
import type { PlanRequest, YearPlan } from '../../domain/plans.ts';
import { MAX_PLANNED_ENTERPRISES, MAX_PLANNED_PEOPLE } from '../../domain/plans.ts';
import type { Program } from '../../domain/programs/program.ts';
import { toHalfWidth } from '../../domain/validation/normalize.ts';
import { addHelpSheet, cellText } from '../imports/sheet-table.ts';
import { addColumnHelp, loadWorkbook } from '../imports/workbook.ts';

export const PLAN_SHEET_NAME = '年度发展计划';
export const PLAN_HELP_SHEET_NAME = '填写说明';
const UNIT_HEADER = '单位代码';
const NAME_HEADER = '备案单位';
const ENTERPRISES_HEADER = '企业数';

interface PlanColumn {
  header: string;
  /** The role id, for a people column. */
  role?: string;
  help: string;
  width: number;
}

function columns(program: Program): PlanColumn[] {
  return [
    { header: UNIT_HEADER, help: '备案单位代码，请勿修改', width: 12 },
    { header: NAME_HEADER, help: '仅供对照，导入时忽略', width: 22 },
    ...program.roles.map((r) => ({
      header: `${r.name.zh}人数`,
      role: r.id,
      help: `年末计划在库的${r.name.zh}人数（非负整数）；留空表示不设该岗位计划`,
      width: 16,
    })),
    {
      header: ENTERPRISES_HEADER,
      help: '年末计划有在库人员的企业数（非负整数）；可留空',
      width: 12,
    },
  ];
}

const headerKey = (text: string) => toHalfWidth(text).replace(/[\s*]/g, '');

/** The template of a year: every unit of the programme, with the year's plans filled in where set. */
export async function planTemplate(program: Program, plan?: YearPlan): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = program.authority.zh;
  workbook.title = `${program.title.zh}年度发展计划${plan ? `（${plan.year}）` : ''}`;
  const sheet = workbook.addWorksheet(PLAN_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  const cols = columns(program);
  sheet.columns = cols.map((c) => ({ header: c.header, key: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  const byUnit = new Map((plan?.units ?? []).map((u) => [u.unit, u]));
  for (const unit of program.reportingUnits) {
    const set = byUnit.get(unit.code);
    const row: Record<string, string | number> = { [UNIT_HEADER]: unit.code, [NAME_HEADER]: unit.name.zh };
    for (const c of cols) {
      const n = c.role ? set?.people[c.role] : undefined;
      if (n !== undefined) row[c.header] = n;
    }
    if (set?.enterprises !== undefined) row[ENTERPRISES_HEADER] = set.enterprises;
    sheet.addRow(row);
  }
  sheet.getColumn(1).numFmt = '@';
  const lastRow = program.reportingUnits.length + 1;
  for (const [i, c] of cols.entries()) {
    const rule =
      c.role || c.header === ENTERPRISES_HEADER
        ? {
            type: 'whole',
            operator: 'between',
            formulae: [0, c.role ? MAX_PLANNED_PEOPLE : MAX_PLANNED_ENTERPRISES],
            showErrorMessage: true,
            errorTitle: c.header,
            error: '请填写非负整数',
          }
        : undefined;
    addColumnHelp(sheet, i + 1, lastRow, c.header, c.help, rule);
  }
  addHelpSheet(
    workbook,
    PLAN_HELP_SHEET_NAME,
    cols,
    [
      '每行一个备案单位，第 1 行为表头（列的顺序可调整）。年份由上传地址决定。',
      '上传后该年度的计划整体替换为本表内容：没有填写任何数字的单位视为不设计划。',
      '任一单元格有误时整份文件不导入，并逐一列出有误的单元格。',
    ],
    { requiredColumn: false },
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A filled template as the plan request, with the sheet row of each unit; every bad cell (and a
 * missing column) at once.
 */
export async function readPlanWorkbook(
  program: Program,
  bytes: Uint8Array,
): Promise<{ request: PlanRequest; rows: number[] }> {
  const workbook = await loadWorkbook(bytes);
  const cols = columns(program);
  const byKey = new Map(cols.map((c) => [headerKey(c.header), c]));
  const sheet = workbook.getWorksheet(PLAN_SHEET_NAME) ?? workbook.worksheets[0];
  const found = new Map<number, PlanColumn>();
  sheet?.getRow(1).eachCell((cell, colNumber) => {
    const column = byKey.get(headerKey(cellText(cell.value)));
    if (column) found.set(colNumber, column);
  });
  const present = new Set([...found.values()].map((c) => c.header));
  if (!sheet || !present.has(UNIT_HEADER)) {
    throw new ValidationError([
      {
        path: `columns.${UNIT_HEADER}`,
        code: 'missing_column',
        message: { zh: `缺少列：${UNIT_HEADER}`, en: `missing column: ${UNIT_HEADER}` },
      },
    ]);
  }
  const issues: FieldIssue[] = [];
  const units: PlanRequest['units'] = [];
  const rows: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    let unit = '';
    const people: Record<string, number> = {};
    let enterprises: number | undefined;
    for (const [colNumber, column] of found) {
      const text = toHalfWidth(cellText(row.getCell(colNumber).value)).trim();
      if (column.header === UNIT_HEADER) unit = text.toUpperCase();
      if (!column.role && column.header !== ENTERPRISES_HEADER) continue;
      if (text === '') continue;
      const max = column.role ? MAX_PLANNED_PEOPLE : MAX_PLANNED_ENTERPRISES;
      const n = Number(text);
      if (!/^\d+$/.test(text) || n > max) {
        issues.push({
          path: `rows.${rowNumber}.${column.header}`,
          code: 'invalid_number',
          message: {
            zh: `第 ${rowNumber} 行“${column.header}”应为 0 至 ${max} 的整数`,
            en: `row ${rowNumber}, ${column.header}: a whole number from 0 to ${max}`,
          },
        });
        continue;
      }
      if (column.role) people[column.role] = n;
      else enterprises = n;
    }
    if (Object.keys(people).length === 0 && enterprises === undefined) return;
    if (unit === '') {
      issues.push({
        path: `rows.${rowNumber}.${UNIT_HEADER}`,
        code: 'required',
        message: { zh: `第 ${rowNumber} 行缺少单位代码`, en: `row ${rowNumber}: the unit code is missing` },
      });
      return;
    }
    units.push({ unit, people, ...(enterprises === undefined ? {} : { enterprises }) });
    rows.push(rowNumber);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return { request: { units }, rows };
}
