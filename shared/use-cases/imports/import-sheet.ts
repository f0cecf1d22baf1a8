// The pool-import spreadsheet: its columns, the empty template, and the reading of one row
// into a filing as the site would send it (the filing schema and the rules judge it after).
//
// Import template columns (sheet 导入名单; header row 1; one person per row; order free,
// columns are found by header; `*` = the column must exist, the filing rules decide what a
// cell may hold):
//
//   the 16 columns of the city summary (附件2), so an exported summary can be completed and
//   imported back:
//     序号                 ignored (the report names sheet rows)
//   * 所在市               reporting unit: its name (沈阳市) or code (210100)
//   * 企业名称, * 统一社会信用代码
//   * 所属行业             GB/T 4754 section: `C`, `C 制造业` or `制造业`
//   * 姓名, * 性别 (男/女), * 出生年月 (1980-01)
//   * 岗位                 the programme's role name (首席标准官) or id (cso)
//   * 现任职务, * 学历 (博士/硕士/本科/大专/中专/高中及以下)
//   * 职称                 `名称（等级）` as the summary writes it (高级工程师（副高级）) or a level alone (中级, 无)
//     培训合格证书编号     with 培训课程, 培训时间, 培训组织单位 (all four or none)
//   * 聘任时间             2024-03-01 (a date cell works too)
//     联系电话             used as the mobile only when 手机 is empty and it is not masked (138****1234)
//     备注                 ignored (the export's reviewer warnings)
//   then what the summary leaves out and a filing needs:
//     证件类型             居民身份证 (default) / 港澳台居民居住证 / 外国人永久居留身份证
//   * 身份证号 (or 证件号码) the full number, as text (a number cell has lost digits: refused)
//   * 手机                 the full mobile
//     办公电话
//   * 电子邮箱, * 专业, * 专职/兼职, * 从事标准化工作年限 (a number), * 聘任文件编号
//     培训课程, 培训时间, 培训组织单位
//   * 企业规模 (大型/中型/小型/微型)
//     企业类别             several, separated by 、 (标准化良好行为企业、规上企业)
//   * 企业联系人, * 联系人电话
//     主要标准化工作业绩
//     告知书版本           the notice the person signed; empty = 纸质备案 (a paper filing)
//   * 同意时间             when the person consented to the processing (the date on the paper form)
import ExcelJS from 'exceljs';
import { INDUSTRY_LABELS } from '../../domain/email-templates.ts';
import type { FieldIssue } from '../../domain/errors.ts';
import { fieldLabel } from '../../domain/field-issues.ts';
import {
  type EMPLOYMENT,
  type ENTERPRISE_CATEGORIES,
  type ENTERPRISE_SIZES,
  type FilingInput,
  type ID_TYPES,
  INDUSTRY_SECTIONS,
  type SEXES,
} from '../../domain/filing.ts';
import type { Program } from '../../domain/programs/program.ts';
import { findRole, findUnit } from '../../domain/programs/program.ts';
import { toHalfWidth } from '../../domain/validation/normalize.ts';
import { type EDUCATION_LEVELS, TITLE_LABELS, TITLE_LEVELS } from '../../domain/validation/ranks.ts';
import {
  addHelpSheet,
  addTemplateSheet,
  cellText,
  readTableSheet,
  type SheetColumn,
  type SheetRow,
  type TableSheet,
} from './sheet-table.ts';
import { addColumnHelp } from './workbook.ts';

/** A field issue of an imported row, with the column the operator should look at. */
export interface ImportIssue extends FieldIssue {
  column?: string;
}

/** A column of the template; a required one must be in the file, its cells judged by the filing rules. */
export interface ImportColumn extends SheetColumn {
  /** The filing fields the column fills: issues on them point at this column. */
  paths: readonly string[];
}

export const TEMPLATE_SHEET_NAME = '导入名单';
export const HELP_SHEET_NAME = '填写说明';
/** The consent version recorded when the sheet names none: the person consented on paper. */
export const PAPER_NOTICE_VERSION = '纸质备案';

const col = (
  header: string,
  paths: string[],
  required: boolean,
  width: number,
  help: string,
  aliases?: string[],
): ImportColumn => ({ header, paths, required, width, help, ...(aliases ? { aliases } : {}) });

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  col('序号', [], false, 6, '可留空；导入时忽略，报告按表格行号'),
  col('所在市', ['enterprise.reportingUnit'], true, 12, '报送单位名称（如 沈阳市）或代码（如 210100）'),
  col('企业名称', ['enterprise.name'], true, 30, '2–100 个字符'),
  col('统一社会信用代码', ['enterprise.uscc'], true, 22, '18 位'),
  col('所属行业', ['enterprise.industry'], true, 22, 'GB/T 4754-2017 门类，如 C 或 “C 制造业”'),
  col('姓名', ['person.name'], true, 10, '2–30 个字符，可含“·”'),
  col('性别', ['person.sex'], true, 6, '男 / 女'),
  col('出生年月', ['person.birthYearMonth'], true, 10, '如 1980-01'),
  col('岗位', ['role'], true, 14, '本项目的岗位名称'),
  col('现任职务', ['person.position'], true, 16, '如 副总经理'),
  col('学历', ['person.education'], true, 14, '博士 / 硕士 / 本科 / 大专 / 中专/高中及以下'),
  col(
    '职称',
    ['person.titleLevel', 'person.titleName'],
    true,
    22,
    '“职称名称（等级）”，如 高级工程师（副高级）；只有等级时填等级（中级）；无职称填 无',
  ),
  col(
    '培训合格证书编号',
    ['person.training.certificateNumber', 'person.training'],
    false,
    20,
    '与培训课程、培训时间、培训组织单位一起填写',
  ),
  col('聘任时间', ['person.appointment.date', 'person.appointment'], true, 12, '如 2024-03-01'),
  col('联系电话', [], false, 14, '仅当“手机”为空且本列为完整手机号时使用；脱敏号码（138****1234）忽略'),
  col('备注', [], false, 20, '导入时忽略'),
  col(
    '证件类型',
    ['person.idType'],
    false,
    16,
    '居民身份证（默认）/ 港澳台居民居住证 / 外国人永久居留身份证',
  ),
  col('身份证号', ['person.idNumber'], true, 22, '完整证件号码，末位 X 可小写；请保持本列为文本格式', [
    '证件号码',
    '身份证号码',
  ]),
  col('手机', ['person.mobile'], true, 14, '完整的 11 位手机号码', ['手机号码']),
  col('办公电话', ['person.officePhone'], false, 16, '如 024-23456789'),
  col('电子邮箱', ['person.email'], true, 24, ''),
  col('专业', ['person.major'], true, 14, ''),
  col('专职/兼职', ['person.employment'], true, 10, '专职 / 兼职'),
  col('从事标准化工作年限', ['person.standardsWorkYears'], true, 10, '数字，如 6'),
  col('聘任文件编号', ['person.appointment.documentNumber'], true, 20, ''),
  col('培训课程', ['person.training.course'], false, 24, ''),
  col('培训时间', ['person.training.date'], false, 12, '如 2023-11-20'),
  col('培训组织单位', ['person.training.organizer'], false, 24, ''),
  col('企业规模', ['enterprise.size'], true, 10, '大型 / 中型 / 小型 / 微型'),
  col(
    '企业类别',
    ['enterprise.categories'],
    false,
    30,
    '可多项，用“、”分隔，如 标准化良好行为企业、规上企业',
  ),
  col('企业联系人', ['enterprise.contact.name'], true, 10, ''),
  col('联系人电话', ['enterprise.contact.phone'], true, 16, '手机或办公电话'),
  col(
    '企业联系人邮箱',
    ['enterprise.contactEmail'],
    false,
    24,
    '年度考核链接发往此邮箱；留空则发往本人电子邮箱',
  ),
  col('主要标准化工作业绩', ['person.achievements'], false, 40, '不超过 2000 字'),
  col(
    '告知书版本',
    ['consent.noticeVersion'],
    false,
    12,
    `本人签署的个人信息处理告知书版本；留空记为“${PAPER_NOTICE_VERSION}”`,
  ),
  col(
    '同意时间',
    ['consent.acceptedAt', 'consent.accepted'],
    true,
    12,
    '本人同意个人信息处理的日期（如纸质备案表的签署日期）',
  ),
];

/** The column an issue's path belongs to (`enterprise.categories.2` → 企业类别). */
export function columnFor(path: string): string | undefined {
  for (let p = path.replace(/\.\d+(?=\.|$)/g, ''); p; p = p.slice(0, Math.max(0, p.lastIndexOf('.')))) {
    const column = IMPORT_COLUMNS.find((c) => c.paths.includes(p));
    if (column) return column.header;
  }
  return undefined;
}

// ---------------------------------------------------------------- labels of the enum values

type Options<T extends string> = readonly (readonly [T, ...string[]])[];

const SEX_OPTIONS: Options<(typeof SEXES)[number]> = [
  ['male', '男', 'M'],
  ['female', '女', 'F'],
];
const ID_TYPE_OPTIONS: Options<(typeof ID_TYPES)[number]> = [
  ['resident_id', '居民身份证', '身份证'],
  ['hk_macao_taiwan_permit', '港澳台居民居住证'],
  ['foreign_permanent_residence', '外国人永久居留身份证'],
];
const EDUCATION_OPTIONS: Options<(typeof EDUCATION_LEVELS)[number]> = [
  ['doctorate', '博士', '博士研究生'],
  ['master', '硕士', '硕士研究生'],
  ['bachelor', '本科', '大学本科'],
  ['associate', '大专', '专科', '大学专科'],
  ['secondary', '中专/高中及以下', '中专及以下', '高中及以下', '中专', '高中', '初中'],
];
const EMPLOYMENT_OPTIONS: Options<(typeof EMPLOYMENT)[number]> = [
  ['full_time', '专职'],
  ['part_time', '兼职'],
];
const SIZE_OPTIONS: Options<(typeof ENTERPRISE_SIZES)[number]> = [
  ['large', '大型'],
  ['medium', '中型'],
  ['small', '小型'],
  ['micro', '微型'],
];
const CATEGORY_OPTIONS: Options<(typeof ENTERPRISE_CATEGORIES)[number]> = [
  ['standardization_pilot', '标准化试点示范单位'],
  ['good_behavior', '标准化良好行为企业'],
  ['innovation_award', '标准创新贡献奖单位'],
  ['innovation_base', '技术标准创新基地'],
  ['standards_leader', '企业标准领跑者'],
  ['above_scale', '规上企业'],
];
const TITLE_OPTIONS: Options<(typeof TITLE_LEVELS)[number]> = TITLE_LEVELS.map(
  (level) =>
    [
      level,
      TITLE_LABELS[level].zh,
      ...(({ senior: ['正高'], associate_senior: ['副高'] } as Record<string, string[]>)[level] ?? []),
    ] as const,
);
const roleOptions = (program: Program): Options<string> =>
  program.roles.map((r) => [r.id, r.name.zh, r.name.en] as const);

/** The label a value is written with (the first after its id). */
const shown = <T extends string>(option: readonly [T, ...string[]]): string => option[1] ?? option[0];
const label = <T extends string>(options: Options<T>, value: string) => {
  const option = options.find(([v]) => v === value);
  return option ? shown(option) : value;
};

const comparable = (s: string) => toHalfWidth(s).replace(/\s/g, '').toLowerCase();

// ---------------------------------------------------------------- reading cells

type Cell = ExcelJS.CellValue;

/** A formula's cached result, else the value itself. */
const plain = (value: Cell): Cell => {
  const v = value as unknown as Record<string, unknown> | null;
  return v && typeof v === 'object' && !(value instanceof Date) && 'result' in v ? (v.result as Cell) : value;
};

const pad2 = (s: string) => s.padStart(2, '0');
/** Excel's day serial (1900 system) as YYYY-MM-DD. */
const serialDate = (n: number) =>
  new Date(Date.UTC(1899, 11, 30) + Math.round(n) * 86_400_000).toISOString().slice(0, 10);

/** A date cell, a serial number or a typed date (2024-3-1, 2024/03/01, 2024年3月1日, 20240301) as YYYY-MM-DD. */
function dateValue(cell: Cell): string | undefined {
  const value = plain(cell);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' && value > 0 && value < 2_958_466) {
    return serialDate(value);
  }
  const text = toHalfWidth(cellText(value)).trim();
  if (!text) return undefined;
  const typed = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (typed) return `${typed[1]}-${pad2(typed[2] ?? '')}-${pad2(typed[3] ?? '')}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  return text; // the schema says what is wrong with it
}

const IGNORED_WHEN_ALONE = new Set(['序号', '备注']);

/**
 * Reads the sheet to import: the first one whose header row has 姓名 and an ID column, else
 * the first sheet. Refuses a file that is not XLSX or lacks a required column (every missing
 * column at once). Rows with nothing but 序号 or 备注 are skipped.
 */
export function readImportWorkbook(bytes: Uint8Array): Promise<TableSheet> {
  return readTableSheet(bytes, IMPORT_COLUMNS, {
    identifiedBy: ['姓名', '身份证号'],
    ignoredWhenAlone: IGNORED_WHEN_ALONE,
  });
}

// ---------------------------------------------------------------- one row → a filing

function issue(path: string, code: string, zh: string, en: string): ImportIssue {
  const l = fieldLabel(path);
  const column = columnFor(path);
  return {
    path,
    code,
    message: { zh: `${l.zh}：${zh}`, en: `${l.en}: ${en}` },
    ...(column ? { column } : {}),
  };
}

/** The cells of one row, read as text, and the issues found while reading them. */
class RowCells {
  readonly issues: ImportIssue[] = [];
  private readonly row: SheetRow;

  constructor(row: SheetRow) {
    this.row = row;
  }

  raw(header: string): Cell {
    return this.row.cells.get(header) ?? null;
  }

  text(header: string): string {
    return cellText(plain(this.raw(header))).trim();
  }

  /** The cell's text, or undefined when blank (the schema then reports the field as required). */
  optional(header: string): string | undefined {
    return this.text(header) || undefined;
  }

  report(found: ImportIssue): void {
    this.issues.push(found);
  }

  /** One of the options, by any of its labels. */
  choose<T extends string>(header: string, path: string, options: Options<T>): T | undefined {
    const value = this.optional(header);
    if (value === undefined) return undefined;
    const key = comparable(value);
    const found = options.find((labels) => labels.some((l) => comparable(l) === key));
    if (found) return found[0];
    const choices = options.map(shown);
    this.report(
      issue(
        path,
        'invalid_value',
        `取值无效，可选：${choices.join('、')}`,
        `must be one of ${choices.join(', ')}`,
      ),
    );
    return undefined;
  }
}

/**
 * One sheet row as the filing the site would send (before the schema normalizes it), with the
 * issues found while reading cells (an unknown unit name, a number where an ID number should
 * be). Blank cells become absent fields, so the schema reports them as required.
 */
export function readFilingRow(program: Program, row: SheetRow): { input: unknown; issues: ImportIssue[] } {
  const cells = new RowCells(row);
  // Read in this order, so the issues come in the order of the filing's fields.
  const input = {
    role: cells.choose('岗位', 'role', roleOptions(program)),
    person: readPerson(cells),
    enterprise: readEnterprise(program, cells),
    consent: readConsent(cells),
  };
  return { input, issues: cells.issues };
}

function readPerson(cells: RowCells) {
  return {
    name: cells.optional('姓名'),
    sex: cells.choose('性别', 'person.sex', SEX_OPTIONS),
    birthYearMonth: yearMonth(cells),
    idType:
      cells.optional('证件类型') === undefined
        ? 'resident_id'
        : cells.choose('证件类型', 'person.idType', ID_TYPE_OPTIONS),
    idNumber: idNumber(cells),
    education: cells.choose('学历', 'person.education', EDUCATION_OPTIONS),
    major: cells.optional('专业'),
    ...title(cells),
    position: cells.optional('现任职务'),
    employment: cells.choose('专职/兼职', 'person.employment', EMPLOYMENT_OPTIONS),
    standardsWorkYears: years(cells),
    appointment: { date: dateValue(cells.raw('聘任时间')), documentNumber: cells.optional('聘任文件编号') },
    training: training(cells),
    mobile: mobile(cells),
    officePhone: cells.optional('办公电话'),
    email: cells.optional('电子邮箱'),
    achievements: cells.text('主要标准化工作业绩'),
  };
}

function readEnterprise(program: Program, cells: RowCells) {
  return {
    name: cells.optional('企业名称'),
    uscc: cells.optional('统一社会信用代码'),
    reportingUnit: reportingUnit(program, cells),
    industry: industry(cells),
    size: cells.choose('企业规模', 'enterprise.size', SIZE_OPTIONS),
    categories: categories(cells),
    contact: { name: cells.optional('企业联系人'), phone: cells.optional('联系人电话') },
    // A historical record without the enterprise's address: the return goes to the officer's own.
    contactEmail: cells.optional('企业联系人邮箱') ?? cells.optional('电子邮箱'),
  };
}

function readConsent(cells: RowCells) {
  return {
    accepted: true,
    noticeVersion: cells.optional('告知书版本') ?? PAPER_NOTICE_VERSION,
    acceptedAt: consentTime(cells),
  };
}

function reportingUnit(program: Program, cells: RowCells): string | undefined {
  const value = cells.optional('所在市');
  if (value === undefined) return undefined;
  const key = comparable(value);
  const unit = program.reportingUnits.find(
    (u) =>
      comparable(u.code) === key ||
      comparable(u.name.zh) === key ||
      comparable(u.name.zh).replace(/[市县区]$/, '') === key ||
      comparable(u.name.en) === key,
  );
  if (unit) return unit.code;
  cells.report(
    issue(
      'enterprise.reportingUnit',
      'unknown_reporting_unit',
      `不是本项目的报送单位，可选：${program.reportingUnits.map((u) => u.name.zh).join('、')}`,
      'not a reporting unit of this programme',
    ),
  );
  return undefined;
}

function industry(cells: RowCells): string | undefined {
  const value = cells.optional('所属行业');
  if (value === undefined) return undefined;
  const half = toHalfWidth(value).trim();
  const letter = /^([A-Za-z])(?![A-Za-z])/.exec(half)?.[1]?.toUpperCase();
  if (letter && (INDUSTRY_SECTIONS as readonly string[]).includes(letter)) return letter;
  const byName = Object.entries(INDUSTRY_LABELS).find(([, name]) => comparable(name) === comparable(half));
  if (byName) return byName[0];
  cells.report(
    issue(
      'enterprise.industry',
      'invalid_value',
      '请填写 GB/T 4754-2017 门类字母（A–T），如 C 或 “C 制造业”',
      'must be a GB/T 4754-2017 section letter (A–T), e.g. C',
    ),
  );
  return undefined;
}

function yearMonth(cells: RowCells): string | undefined {
  const value = plain(cells.raw('出生年月'));
  if (value instanceof Date) return value.toISOString().slice(0, 7);
  if (typeof value === 'number' && !Number.isInteger(value)) {
    // 1980.10 typed into a number cell reads 1980.1: October or January cannot be told apart.
    cells.report(
      issue(
        'person.birthYearMonth',
        'ambiguous_number',
        '被存为数字，无法区分月份；请填为文本，如 1980-10',
        'was stored as a number, so the month is ambiguous; enter it as text, e.g. 1980-10',
      ),
    );
    return undefined;
  }
  // A date typed into a cell formatted as text or number reads as its day serial.
  if (typeof value === 'number' && value >= 3_000 && value < 100_000) return serialDate(value).slice(0, 7);
  const t = toHalfWidth(cellText(value)).trim();
  if (!t) return undefined;
  const typed = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(t) ?? /^(\d{4})(\d{2})$/.exec(t);
  return typed ? `${typed[1]}-${pad2(typed[2] ?? '')}` : t;
}

function idNumber(cells: RowCells): string | undefined {
  const value = plain(cells.raw('身份证号'));
  if (typeof value === 'number') {
    cells.report(
      issue(
        'person.idNumber',
        'id_number_as_number',
        '被存为数字，末几位已丢失；请将该列设为文本格式后重新填写',
        'was stored as a number and lost its last digits; format the column as text and enter it again',
      ),
    );
    return undefined;
  }
  return cells.optional('身份证号');
}

function title(cells: RowCells): { titleName?: string; titleLevel?: string } {
  const value = cells.optional('职称');
  if (value === undefined) return {};
  const half = toHalfWidth(value).trim();
  const parts = /^(.*?)\s*\(\s*([^()]+?)\s*\)$/.exec(half);
  const name = parts ? (parts[1] ?? '').trim() : undefined;
  const levelText = comparable(parts ? (parts[2] ?? '') : half);
  const level = TITLE_OPTIONS.find((labels) => labels.some((l) => comparable(l) === levelText))?.[0];
  if (level) return { ...(name ? { titleName: name } : {}), titleLevel: level };
  const junior = levelText === '初级';
  cells.report(
    issue(
      'person.titleLevel',
      junior ? 'ambiguous_title_level' : 'invalid_value',
      junior
        ? '“初级”请写明 助理级 或 员级'
        : `请按“职称名称（等级）”填写，如 高级工程师（副高级）；等级可选：${TITLE_LEVELS.map((l) => TITLE_LABELS[l].zh).join('、')}`,
      junior
        ? 'write 助理级 (assistant) or 员级 (junior) instead of 初级'
        : 'write “title (level)”, e.g. 高级工程师（副高级）',
    ),
  );
  return {};
}

function years(cells: RowCells): number | undefined {
  const value = plain(cells.raw('从事标准化工作年限'));
  if (typeof value === 'number') return value;
  const t = toHalfWidth(cellText(value)).trim().replace(/年$/, '');
  if (!t) return undefined;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  cells.report(
    issue('person.standardsWorkYears', 'invalid_type', '应为数字（年），如 6', 'must be a number of years'),
  );
  return undefined;
}

function training(cells: RowCells) {
  const parts = {
    course: cells.optional('培训课程'),
    date: dateValue(cells.raw('培训时间')),
    organizer: cells.optional('培训组织单位'),
    certificateNumber: cells.optional('培训合格证书编号'),
  };
  return Object.values(parts).every((v) => v === undefined) ? undefined : parts;
}

function mobile(cells: RowCells): string | undefined {
  const own = cells.optional('手机');
  if (own !== undefined) return own;
  const contact = cells.optional('联系电话');
  return contact && !contact.includes('*') ? contact : undefined;
}

function categories(cells: RowCells): string[] {
  const value = cells.optional('企业类别');
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(/[、,，;；/\s]+/).filter(Boolean)) {
    const found = CATEGORY_OPTIONS.find((labels) => labels.some((l) => comparable(l) === comparable(part)));
    if (found) out.push(found[0]);
    else {
      const choices = CATEGORY_OPTIONS.map(shown);
      cells.report(
        issue(
          'enterprise.categories',
          'invalid_value',
          `取值无效，可选：${choices.join('、')}`,
          `each must be one of ${choices.join(', ')}`,
        ),
      );
    }
  }
  return [...new Set(out)];
}

function consentTime(cells: RowCells): string | undefined {
  const value = dateValue(cells.raw('同意时间'));
  if (value === undefined) return undefined;
  // A date is midnight in Beijing; a full timestamp with its offset is kept as written.
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value;
}

// ---------------------------------------------------------------- the template

/** A filing as one template row (tests, benchmarks, and a migration from another system use it). */
export function importRow(program: Program, filing: FilingInput): Record<string, string | number> {
  const { person, enterprise } = filing;
  const level = label(TITLE_OPTIONS, person.titleLevel);
  return {
    所在市: findUnit(program, enterprise.reportingUnit)?.name.zh ?? enterprise.reportingUnit,
    企业名称: enterprise.name,
    统一社会信用代码: enterprise.uscc,
    所属行业: `${enterprise.industry} ${INDUSTRY_LABELS[enterprise.industry] ?? ''}`.trim(),
    姓名: person.name,
    性别: label(SEX_OPTIONS, person.sex),
    出生年月: person.birthYearMonth,
    岗位: findRole(program, filing.role)?.name.zh ?? filing.role,
    现任职务: person.position,
    学历: label(EDUCATION_OPTIONS, person.education),
    职称: person.titleName ? `${person.titleName}（${level}）` : level,
    培训合格证书编号: person.training?.certificateNumber ?? '',
    聘任时间: person.appointment.date,
    证件类型: label(ID_TYPE_OPTIONS, person.idType),
    身份证号: person.idNumber,
    手机: person.mobile,
    办公电话: person.officePhone ?? '',
    电子邮箱: person.email,
    专业: person.major,
    '专职/兼职': label(EMPLOYMENT_OPTIONS, person.employment),
    从事标准化工作年限: person.standardsWorkYears,
    聘任文件编号: person.appointment.documentNumber,
    培训课程: person.training?.course ?? '',
    培训时间: person.training?.date ?? '',
    培训组织单位: person.training?.organizer ?? '',
    企业规模: label(SIZE_OPTIONS, enterprise.size),
    企业类别: enterprise.categories.map((c) => label(CATEGORY_OPTIONS, c)).join('、'),
    企业联系人: enterprise.contact.name,
    联系人电话: enterprise.contact.phone,
    企业联系人邮箱: enterprise.contactEmail,
    主要标准化工作业绩: person.achievements,
    告知书版本: filing.consent.noticeVersion,
    同意时间: filing.consent.acceptedAt,
  };
}

/** Drop-down lists for the columns with fixed choices (Excel limits a list to 255 characters). */
function choiceLists(program: Program): Record<string, string[]> {
  return {
    所在市: program.reportingUnits.map((u) => u.name.zh),
    性别: SEX_OPTIONS.map(shown),
    岗位: program.roles.map((r) => r.name.zh),
    学历: EDUCATION_OPTIONS.map(shown),
    证件类型: ID_TYPE_OPTIONS.map(shown),
    '专职/兼职': EMPLOYMENT_OPTIONS.map(shown),
    企业规模: SIZE_OPTIONS.map(shown),
  };
}

/**
 * The import template of a programme: sheet 导入名单 with the header row (required columns
 * in red, each column's help as its input message), every column formatted as text (so an ID number stays
 * whole), drop-downs where the choices are fixed, and a 填写说明 sheet. With `rows`, the
 * filings are filled in under the header.
 */
export async function importTemplate(program: Program, rows: readonly FilingInput[] = []): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = program.authority.zh;
  workbook.title = `${program.title.zh}人才库导入模板`;
  const sheet = addTemplateSheet(workbook, TEMPLATE_SHEET_NAME, IMPORT_COLUMNS);
  for (const [i, filing] of rows.entries()) sheet.addRow({ 序号: i + 1, ...importRow(program, filing) });
  const lastRow = Math.max(1000, rows.length + 1);
  const lists = choiceLists(program);
  // Instructions are input messages (shown when a cell is selected) and the 填写说明 sheet, never
  // cell notes: notes written back by other programs are what some readers fail on.
  for (const [i, c] of IMPORT_COLUMNS.entries()) {
    const choices = lists[c.header];
    const list = choices ? `"${choices.join(',')}"` : '';
    // One rule for the whole range (exceljs expands `A2:A1000` keys when writing).
    const rule =
      choices && list.length <= 255 && !choices.some((x) => x.includes(','))
        ? { type: 'list', formulae: [list], showErrorMessage: false }
        : undefined;
    if (c.help || rule) addColumnHelp(sheet, i + 1, lastRow, c.header, c.help || '请选择', rule);
  }
  addHelpSheet(
    workbook,
    HELP_SHEET_NAME,
    IMPORT_COLUMNS,
    [
      '每行一名人员，第 1 行为表头（列的顺序可调整）。',
      '每一行都按网上备案的规则校验：有错误的行不导入，其他行照常导入；有提示的行导入并保留提示。',
      '导入的人员直接纳入人才库，审核记录注明“导入”及文件名；历史纸质备案不要求上传附件。',
      '同一人员在本项目中只能有一条有效备案；重复导入同一文件不会重复入库（报告为“已在人才库中”）。',
      `可用的岗位：${program.roles.map((r) => r.name.zh).join('、')}。`,
    ],
    { requiredColumn: true },
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
