// 优秀评选: the province's yearly selection among the year's nominees, and the list it
// publishes. Province staff read the nominees of every unit and set the selection (a whole
// list, so a repeat changes nothing; every unit it touches gets an access-log line). The
// published list names a selected person only where their filing holds the separate consent
// to publication (`consent.publication`); everyone else is listed masked (张**) with the
// enterprise and role, since the notice's consent alone does not cover publishing a name.
// The list itself (JSON, CSV and XLSX) is served by published-selection.ts, so that reading the
// nominees and setting the selection bundle no exceljs.

import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findRole, findUnit, type Program } from '../../domain/programs/program.ts';
import type { SelectionRequest } from '../../domain/selection.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import type { Nominee, ReturnStore } from '../../ports/returns.ts';
import type { Selection, SelectionStore } from '../../ports/selection.ts';
import type { AccessEntry } from '../../ports/staff.ts';
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

/** The year's nominees of every unit, read live while the enterprises still answer. */
export async function yearNominees(
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

/** The facts of a filing for the list: its name and consent (anonymized filings consent to nothing). */
export function publicationFacts(filing: {
  person: { name: string };
  consent: { publication?: boolean | undefined };
}): PublicationFacts {
  return { name: filing.person.name, publication: filing.consent.publication === true };
}
