// 优秀评选's published list, as JSON or as a file (CSV, XLSX) for province staff and auditors:
// each selected person named only with their consent to publication (selection.ts). Apart from
// selection.ts so that only the function serving the list bundles exceljs.

import ExcelJS from 'exceljs';
import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import { toCsv } from '../exports/csv.ts';
import { type PublishedEntry, publishedEntry, type SelectionDeps, yearNominees } from './selection.ts';

export interface PublishedList {
  programId: string;
  year: string;
  selectedAt: string | null;
  entries: PublishedEntry[];
}

export interface PublishedFile {
  contentType: string;
  filename: string;
  data: Buffer;
  count: number;
  /** The units whose access log records the export. */
  logged: number;
}

const HEADERS = ['序号', '姓名', '企业名称', '岗位', '所在单位'];

function rowsOf(list: PublishedList): string[][] {
  return list.entries.map((e, i) => [String(i + 1), e.name, e.enterprise, e.role.zh, e.unit.zh]);
}

/** GET …/returns/{year}/selection?format=json|csv|xlsx: the publishable list (province and auditors). */
export async function publishedSelection(
  deps: SelectionDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string; format?: string },
): Promise<PublishedList | PublishedFile> {
  const program = getProgram(input.programId);
  const format = input.format ?? 'json';
  const scope = authorize(principal, 'report', { programId: program.id });
  if (format !== 'json' && format !== 'csv' && format !== 'xlsx') {
    throw new ValidationError([
      {
        path: 'format',
        code: 'invalid_format',
        message: { zh: '格式为 json、csv 或 xlsx', en: 'format is json, csv or xlsx' },
      },
    ]);
  }
  const nominees = await yearNominees(deps, program, input.year);
  const selection = await deps.selections.get(program.id, input.year);
  const byId = new Map(nominees.map((n) => [n.filingId, n]));
  const entries: PublishedEntry[] = [];
  for (const id of selection.selected) {
    const nominee = byId.get(id);
    if (nominee) entries.push(publishedEntry(program, nominee, await deps.facts(id)));
  }
  const list: PublishedList = {
    programId: program.id,
    year: input.year,
    selectedAt: selection.setAt,
    entries,
  };
  if (format === 'json') return list;
  const at = deps.now().toISOString();
  // A file leaves the system: who took it is in the log of every unit it lists.
  const logged = [...new Set(entries.map((e) => e.unit.code))].sort();
  for (const unit of logged) {
    await deps.recordAccess({
      at,
      programId: program.id,
      unit,
      subject: principal.subject,
      role: scope.role,
      what: `export:selection:${format}`,
      reason: `优秀评选公示名单 ${input.year}`,
    });
  }
  const stem = `优秀评选-${program.id}-${input.year}`;
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      filename: `${stem}.csv`,
      data: toCsv([HEADERS, ...rowsOf(list)]),
      count: entries.length,
      logged: logged.length,
    };
  }
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${stem}.xlsx`,
    data: await selectionXlsx(list),
    count: entries.length,
    logged: logged.length,
  };
}

async function selectionXlsx(list: PublishedList): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('优秀评选', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = HEADERS.map((header) => ({
    header,
    key: header,
    width: header === '企业名称' ? 36 : header === '序号' ? 8 : 16,
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  // Plain strings: exceljs writes a formula only for `{ formula }` values.
  for (const row of rowsOf(list)) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
