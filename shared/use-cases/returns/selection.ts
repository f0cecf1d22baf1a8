// 优秀评选: the province's yearly selection among the year's nominees, and the list it
// publishes. Province staff read the nominees of every unit and set the selection (a whole
// list, so a repeat changes nothing; every unit it touches gets an access-log line). The
// published list names a selected person only where their filing holds the separate consent
// to publication (`consent.publication`); everyone else is listed masked (张**) with the
// enterprise and role, since the notice's consent alone does not cover publishing a name.

import ExcelJS from 'exceljs';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findRole, findUnit, type Program } from '../../domain/programs/program.ts';
import type { SelectionRequest } from '../../domain/selection.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import type { Nominee, ReturnStore } from '../../ports/returns.ts';
import type { Selection, SelectionStore } from '../../ports/selection.ts';
import type { AccessEntry } from '../../ports/staff.ts';
import { toCsv } from '../exports/csv.ts';
import { unitResults } from './answers.ts';
import { checkYear } from './start.ts';

/** What the published list needs of a selected person's filing. */
export interface PublicationFacts {
  name: string;
  /** The filing's consent to publication; filings from before it existed have none. */
  publication: boolean;
}

export interface SelectionDeps {
  returns: Pick<ReturnStore, 'getProgram' | 'listUnits' | 'enterpriseRange'>;
  selections: SelectionStore;
  /** The person's name and consent, read from the filing; undefined when it is gone. */
  facts: (filingId: string) => Promise<PublicationFacts | undefined>;
  recordAccess: (entry: AccessEntry) => Promise<void>;
  now: () => Date;
}

export { SelectionRequestSchema } from '../../domain/selection.ts';

async function yearNominees(
  deps: Pick<SelectionDeps, 'returns' | 'now'>,
  program: Program,
  year: string,
): Promise<Nominee[]> {
  checkYear(program, year, deps.now());
  const stored = await deps.returns.getProgram(program.id, year);
  if (!stored) throw new NotFoundError('return');
  const nominees: Nominee[] = [];
  for (const unit of await deps.returns.listUnits(program.id, year)) {
    // While the enterprises still answer, the nominees are read live from the unit's enterprises.
    const results =
      unit.results ??
      unitResults(
        unit.unit,
        unit.enterprises > 0
          ? await deps.returns.enterpriseRange(program.id, year, unit.unit, 1, unit.enterprises)
          : [],
      );
    nominees.push(...results.nominees);
  }
  return nominees;
}

export interface NomineesAnswer {
  programId: string;
  year: string;
  nominees: (Nominee & { selected: boolean })[];
  selectedAt: string | null;
}

/** GET …/returns/{year}/nominees: every unit's nominees, each marked selected or not (province). */
export async function listNominees(
  deps: SelectionDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string },
): Promise<NomineesAnswer> {
  const program = getProgram(input.programId);
  authorize(principal, 'import', { programId: program.id });
  const nominees = await yearNominees(deps, program, input.year);
  const selection = await deps.selections.get(program.id, input.year);
  const chosen = new Set(selection.selected);
  return {
    programId: program.id,
    year: input.year,
    nominees: nominees.map((n) => ({ ...n, selected: chosen.has(n.filingId) })),
    selectedAt: selection.setAt,
  };
}

/**
 * The rules of a selection: only the year's nominees, each once (a repeat in the list is the
 * same choice). Returns the ids in the order given, or throws naming each refused entry.
 */
export function checkSelection(nominees: readonly Nominee[], request: SelectionRequest): string[] {
  const known = new Set(nominees.map((n) => n.filingId));
  const issues = request.selected.flatMap((id, i) =>
    known.has(id)
      ? []
      : [
          {
            path: `selected.${i}`,
            code: 'not_nominee',
            message: {
              zh: '只能评选本年度被企业推荐参加优秀评选的人员',
              en: 'only the year’s nominees may be selected',
            },
          },
        ],
  );
  if (issues.length > 0) throw new ValidationError(issues);
  return [...new Set(request.selected)];
}

/** PUT …/returns/{year}/selection { selected }: the province replaces the year's selection. */
export async function setSelection(
  deps: SelectionDeps,
  principal: StaffPrincipal,
  input: { programId: string; year: string; request: SelectionRequest },
): Promise<Selection & { logged: string[] }> {
  const program = getProgram(input.programId);
  const scope = authorize(principal, 'import', { programId: program.id });
  const nominees = await yearNominees(deps, program, input.year);
  const selected = checkSelection(nominees, input.request);
  const before = await deps.selections.get(program.id, input.year);
  const at = deps.now().toISOString();
  const selection: Selection = {
    programId: program.id,
    year: input.year,
    selected,
    setAt: at,
    setBy: principal.subject,
  };
  // Every unit whose nominees the selection takes in or leaves out is told of the write.
  const unitOf = new Map(nominees.map((n) => [n.filingId, n.unit]));
  const touched = new Set<string>();
  for (const id of [...selected, ...before.selected]) {
    const unit = unitOf.get(id);
    if (unit) touched.add(unit);
  }
  const logged = [...touched].sort();
  await deps.selections.put(
    selection,
    logged.map((unit) => ({
      at,
      programId: program.id,
      unit,
      subject: principal.subject,
      role: scope.role,
      what: `selection:${input.year}`,
      reason: '优秀评选 / selection of excellent officers',
    })),
  );
  return { ...selection, logged };
}

export interface PublishedEntry {
  /** Full name where the person consented to publication, masked (张**) otherwise. */
  name: string;
  published: boolean;
  enterprise: string;
  role: { zh: string; en: string };
  unit: { code: string; zh: string; en: string };
}

/** A public list's mask: the surname and two stars whatever the name's length. */
export function maskForList(name: string): string {
  return `${[...name][0] ?? ''}**`;
}

/** One entry of the published list: the name only with the person's consent. */
export function publishedEntry(
  program: Program,
  nominee: Nominee,
  facts: PublicationFacts | undefined,
): PublishedEntry {
  const role = findRole(program, nominee.role);
  const unit = findUnit(program, nominee.unit);
  const published = facts?.publication === true;
  return {
    name: published && facts ? facts.name : maskForList(facts?.name ?? nominee.name),
    published,
    enterprise: nominee.enterprise,
    role: role ? { zh: role.name.zh, en: role.name.en } : { zh: nominee.role, en: nominee.role },
    unit: { code: nominee.unit, zh: unit?.name.zh ?? nominee.unit, en: unit?.name.en ?? nominee.unit },
  };
}

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

/** The facts of a filing for the list: its name and consent (anonymized filings consent to nothing). */
export function publicationFacts(filing: {
  person: { name: string };
  consent: { publication?: boolean | undefined };
}): PublicationFacts {
  return { name: filing.person.name, publication: filing.consent.publication === true };
}
