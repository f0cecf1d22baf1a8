// Import existing pool members from a spreadsheet (people a province included before this
// system, on paper). Every row is judged by the filing's own rules (schema, validators,
// eligibility); a refused row writes nothing. An accepted row goes into the pool through the
// lifecycle's ordinary transitions, as the system and the province would have made them
// (submit → start_city_review → approve → include), through the repository's create and
// transition, so audit events, counters and the one-active-filing-per-person claim stay right.
//
// Idempotent: a person's import filing id is derived from the keyed hash of their ID number
// within the programme, so running the same file again finds every person already there and
// reports them as present, and a run that stopped half-way is completed by the next one.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { assessFiling } from '../../domain/eligibility.ts';
import {
  ConcurrentModificationError,
  ConflictError,
  type FieldIssue,
  type LocalizedMessage,
  NotFoundError,
} from '../../domain/errors.ts';
import { type Filing, FilingInputSchema, toFieldIssue } from '../../domain/filing.ts';
import { filingIdFrom } from '../../domain/ids.ts';
import type { Action, FilingState } from '../../domain/lifecycle.ts';
import { maskName, redactText } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { memberState, type Program } from '../../domain/programs/program.ts';
import { STATE_LABELS } from '../../domain/state-labels.ts';
import { shanghaiDate } from '../../domain/time.ts';
import { stripUnsafe } from '../../domain/validation/safe-text.ts';
import { type KeyedHasher, personHash } from '../../ports/crypto.ts';
import type { ActorRef, FilingRecord, FilingRepository } from '../../ports/filings.ts';
import { columnFor, type ImportIssue, readFilingRow, readImportWorkbook } from './import-sheet.ts';
import type { SheetRow } from './sheet-table.ts';

export interface PoolImportDeps {
  repo: FilingRepository;
  hasher: KeyedHasher;
  now?: () => Date;
}

export interface PoolImportInput {
  programId: string;
  /** Shown in the audit trail's reason (`导入 / imported from <file name>`). */
  fileName: string;
  /** The XLSX file's bytes. */
  workbook: Uint8Array;
  /** Called as rows finish (refused rows once judged, the others once written). */
  onProgress?: (done: number, total: number) => void;
  /** Rows written at the same time (each row's own steps run in order). Default 8. */
  concurrency?: number;
}

/**
 * imported: now in the pool; warned: in the pool, with warnings kept for staff; present: the
 * person was already there (nothing written); refused: the row breaks a rule (nothing written);
 * failed: the store failed part-way (run the import again to finish the row).
 */
export type RowStatus = 'imported' | 'warned' | 'present' | 'refused' | 'failed';

export interface RowReport {
  /** Row number in the sheet (the header is row 1). */
  row: number;
  status: RowStatus;
  /** The person's name, masked (`张*`): enough to find the row, nothing more in a log. */
  name?: string;
  filingId?: string;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  note?: LocalizedMessage;
}

export interface PoolImportReport {
  programId: string;
  fileName: string;
  sheet: string;
  total: number;
  imported: number;
  warned: number;
  present: number;
  refused: number;
  failed: number;
  rows: RowReport[];
}

const SYSTEM: ActorRef = { role: 'system', id: 'import' };
const PROVINCE: ActorRef = { role: 'province', id: 'import' };
/** What follows each state on the way into the pool, and who takes the step. */
const NEXT_STEP: Partial<Record<FilingState, { action: Action; actor: ActorRef }>> = {
  submitted: { action: 'start_city_review', actor: SYSTEM },
  city_review: { action: 'approve', actor: PROVINCE },
  province_review: { action: 'include', actor: PROVINCE },
};
/** Where the programme has no province stage, the city's approval registers the person instead. */
const REGISTER_STEP = { action: 'register', actor: PROVINCE } as const;
/** Lost races (another writer on the same counter or filing) tolerated per row before it fails. */
const MAX_CONFLICTS = 8;

const ALREADY_IN_POOL: LocalizedMessage = {
  zh: '已在人才库中，未重复导入',
  en: 'already in the pool; not imported again',
};
const CHANGED: LocalizedMessage = {
  zh: '（表中信息与库中记录不同，未更新）',
  en: ' (the row differs from the stored record, which was not updated)',
};

/** Why a person already known was left as they are. */
function presentNote(state: FilingState): LocalizedMessage {
  if (state === 'in_pool') return ALREADY_IN_POOL;
  return {
    zh: `已导入过，当前状态：${STATE_LABELS[state].zh}；未重新导入`,
    en: `imported before, now ${STATE_LABELS[state].en}; not imported again`,
  };
}

/** The filing id of a person's import: the same person in the same programme always gets the same one. */
export async function importFilingId(
  hasher: KeyedHasher,
  programId: string,
  person: string,
): Promise<string> {
  // NUL separators: an Idempotency-Key (visible ASCII) can never produce this message.
  const mac = await hasher.mac('idempotency', `${programId}\u0000import\u0000${person}`);
  return filingIdFrom(Buffer.from(mac, 'base64url'));
}

/** The file's own name, printable, without personal data or invisible characters, for the audit reason. */
function fileLabel(fileName: string): string {
  const name = stripUnsafe(basename(fileName.replaceAll('\\', '/'))).trim();
  return redactText(name).slice(0, 100) || 'spreadsheet';
}

const withColumn = (issue: FieldIssue): ImportIssue => {
  const column = columnFor(issue.path);
  return column ? { ...issue, column } : issue;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Accepted {
  index: number;
  row: number;
  name: string;
  filing: Filing;
  warnings: ImportIssue[];
  person: string;
}

/**
 * The write order: round-robin over unit × role, so that rows written at the same time mostly
 * update different counter items (one per unit × role × year) instead of racing for one.
 */
function interleaved(rows: readonly Accepted[]): Accepted[] {
  const groups = new Map<string, Accepted[]>();
  for (const row of rows) {
    const key = `${row.filing.enterprise.reportingUnit}#${row.filing.role}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const queues = [...groups.values()];
  const out: Accepted[] = [];
  for (let i = 0; out.length < rows.length; i++) {
    for (const queue of queues) {
      const row = queue[i];
      if (row) out.push(row);
    }
  }
  return out;
}

/** What every phase of one import needs: the programme, the clock and the audit reason. */
interface ImportRun {
  deps: PoolImportDeps;
  program: Program;
  /** Where imported people end: in the pool, or registered (the programme's member state). */
  member: FilingState;
  now: () => Date;
  today: string;
  reason: string;
}

export async function importPool(deps: PoolImportDeps, input: PoolImportInput): Promise<PoolImportReport> {
  const program = getProgram(input.programId);
  const now = deps.now ?? (() => new Date());
  const run: ImportRun = {
    deps,
    program,
    // Imported people end where the programme's reviews end: in the pool, or registered.
    member: memberState(program),
    now,
    today: shanghaiDate(now()),
    reason: `导入 / imported from ${fileLabel(input.fileName)}`,
  };
  const sheet = await readImportWorkbook(input.workbook);
  const total = sheet.rows.length;
  const reports: RowReport[] = new Array(total);
  let done = 0;
  const progress = () => input.onProgress?.(done, total);
  const finish = (index: number, report: RowReport) => {
    reports[index] = report;
    done++;
    progress();
  };
  progress();
  const accepted = await judgeRows(run, sheet.rows, finish);
  await writeRows(run, accepted, input.concurrency, finish);
  return summary(program, input.fileName, sheet.name, reports);
}

/**
 * Phase 1: every row judged before any is written, by the same checks as a filing sent from
 * the site; refused rows are reported at once, the others returned in sheet order.
 */
async function judgeRows(
  run: ImportRun,
  rows: readonly SheetRow[],
  finish: (index: number, report: RowReport) => void,
): Promise<Accepted[]> {
  const { deps, program, today } = run;
  const accepted: Accepted[] = [];
  const firstRowOf = new Map<string, number>();
  const perEnterpriseRole = new Map<string, number>();
  for (const [index, row] of rows.entries()) {
    const read = readFilingRow(program, row);
    const parsed = FilingInputSchema.safeParse(read.input, { reportInput: true });
    const rawName = (read.input as { person: { name?: string } }).person.name;
    const base = { row: row.row, ...(rawName ? { name: maskName(rawName) } : {}), warnings: [] };
    if (!parsed.success) {
      finish(index, {
        ...base,
        status: 'refused',
        errors: [...read.issues, ...schemaErrors(read.issues, parsed.error.issues)],
      });
      continue;
    }
    const filing = parsed.data;
    // "Usually one per enterprise": counted within the file (the store has no enterprise index yet).
    const enterpriseRole = `${filing.enterprise.uscc}\u0000${filing.role}`;
    const already = perEnterpriseRole.get(enterpriseRole) ?? 0;
    const assessment = assessFiling(program, filing, {
      today,
      activeInEnterpriseByRole: { [filing.role]: already },
    });
    const errors = [...read.issues, ...assessment.errors.map(withColumn)];
    if (errors.length > 0) {
      finish(index, { ...base, status: 'refused', errors });
      continue;
    }
    const person = await personHash(deps.hasher, program.id, filing.person.idNumber);
    const first = firstRowOf.get(person);
    if (first !== undefined) {
      finish(index, { ...base, status: 'refused', errors: [duplicateInFile(first)] });
      continue;
    }
    firstRowOf.set(person, row.row);
    perEnterpriseRole.set(enterpriseRole, already + 1);
    accepted.push({
      index,
      row: row.row,
      name: maskName(filing.person.name),
      filing,
      warnings: assessment.warnings.map(withColumn),
      person,
    });
  }
  return accepted;
}

/** The schema's issues, less those on a cell the reader already refused (reported once, in the reader's words). */
function schemaErrors(
  readIssues: readonly ImportIssue[],
  schemaIssues: readonly Parameters<typeof toFieldIssue>[0][],
): ImportIssue[] {
  const seen = readIssues.map((i) => i.path);
  return schemaIssues
    .flatMap((i) => toFieldIssue(i))
    .filter((i) => !seen.some((p) => i.path === p || i.path.startsWith(`${p}.`)))
    .map(withColumn);
}

function duplicateInFile(first: number): ImportIssue {
  return withColumn({
    path: 'person.idNumber',
    code: 'duplicate_in_file',
    message: {
      zh: `证件号码：与第 ${first} 行为同一人员，本行未导入`,
      en: `ID number: the same person as row ${first}; this row was not imported`,
    },
  });
}

/** Phase 2: the accepted rows written a few at a time, in interleaved order; each row's steps in order. */
async function writeRows(
  run: ImportRun,
  accepted: readonly Accepted[],
  requested: number | undefined,
  finish: (index: number, report: RowReport) => void,
): Promise<void> {
  const queue = interleaved(accepted);
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const row = queue[next++] as Accepted;
      const report = await place(run, row).catch((error: unknown) => failedRow(row, error));
      finish(row.index, report);
    }
  };
  const concurrency = Math.max(1, Math.min(requested ?? 8, 64));
  await Promise.all(Array.from({ length: Math.min(concurrency, accepted.length) }, worker));
}

/** A row the store failed part-way: the next run of the same file finishes it. */
function failedRow(row: Accepted, error: unknown): RowReport {
  return {
    row: row.row,
    name: row.name,
    status: 'failed',
    errors: [],
    warnings: [],
    note: {
      zh: `写入失败（${(error as Error).name}），再次运行导入可完成本行`,
      en: `the store failed (${redactText((error as Error).message ?? String(error)).slice(0, 200)}); run the import again to finish this row`,
    },
  };
}

/** One accepted row into the pool: created (or found from an earlier run), then moved on to the member state. */
async function place(run: ImportRun, row: Accepted): Promise<RowReport> {
  const { deps, program, member } = run;
  const filingId = await importFilingId(deps.hasher, program.id, row.person);
  const requestHash = createHash('sha256').update(JSON.stringify(row.filing)).digest('base64url');
  const base = { row: row.row, name: row.name, filingId, errors: [] };
  let record: FilingRecord | undefined = await deps.repo.get(filingId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  const resumed = record !== undefined;
  if (record && !NEXT_STEP[record.state]) {
    const changed = record.requestHash !== undefined && record.requestHash !== requestHash;
    const note = presentNote(record.state);
    return {
      ...base,
      status: 'present',
      warnings: [],
      note: changed ? { zh: note.zh + CHANGED.zh, en: note.en + CHANGED.en } : note,
    };
  }
  if (!record) {
    const created = await create(run, row, filingId, requestHash);
    if ('note' in created) return { ...base, status: 'present', warnings: [], note: created.note };
    record = created.record;
  }
  const state = await advance(run, filingId, record, row.row);
  if (state !== member) {
    return {
      ...base,
      status: 'present',
      warnings: [],
      note: presentNote(state),
    };
  }
  const warnings = resumed ? record.warnings.map(withColumn) : row.warnings;
  return {
    ...base,
    status: warnings.length > 0 ? 'warned' : 'imported',
    warnings,
    ...(resumed
      ? { note: { zh: '完成了上次中断的导入', en: 'finished an import that was interrupted' } }
      : {}),
  };
}

/**
 * Creates the row's filing, retrying lost races; or, when the person already has another active
 * filing in the programme, the note saying so (nothing written).
 */
async function create(
  run: ImportRun,
  row: Accepted,
  filingId: string,
  requestHash: string,
): Promise<{ record: FilingRecord } | { note: LocalizedMessage }> {
  const { deps, program, now } = run;
  // No attachment check here, unlike submit: these are historical records filed on paper,
  // whose documents the province already holds; programme.requiredAttachments applies to
  // filings sent through the site. The import is the one path that skips it, on purpose.
  for (let conflicts = 0; ; ) {
    try {
      const record = await deps.repo.create({
        filingId,
        requestHash,
        programId: program.id,
        filing: row.filing,
        warnings: row.warnings,
        actor: SYSTEM,
        at: now().toISOString(),
      });
      return { record };
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'duplicate_person') {
        return {
          note: {
            zh: '该人员在本项目中已有另一条有效备案（如网上备案），未导入',
            en: 'this person already has another active filing in this programme (e.g. filed online); not imported',
          },
        };
      }
      if (!(error instanceof ConcurrentModificationError) || ++conflicts > MAX_CONFLICTS) throw error;
      await sleep(Math.random() * 10 * 2 ** Math.min(conflicts, 6));
    }
  }
}

/** Takes the filing through the lifecycle's steps up to the member state; the state it ends in. */
async function advance(
  run: ImportRun,
  filingId: string,
  from: { state: FilingState; version: number },
  row: number,
): Promise<FilingState> {
  const { deps, member, now, reason } = run;
  let { state, version } = from;
  let conflicts = 0;
  while (state !== member) {
    const step = state === 'city_review' && member === 'registered' ? REGISTER_STEP : NEXT_STEP[state];
    if (!step) return state; // someone closed it meanwhile (a city rejected it): leave it be
    try {
      const event = await deps.repo.transition({
        filingId,
        expected: { state, version },
        action: step.action,
        actor: step.actor,
        at: now().toISOString(),
        reason,
        detail: { source: 'import', row: String(row) },
      });
      state = event.to;
      version = event.version;
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || ++conflicts > MAX_CONFLICTS) throw error;
      await sleep(Math.random() * 10 * 2 ** Math.min(conflicts, 6));
      ({ state, version } = await deps.repo.get(filingId));
    }
  }
  return state;
}

function summary(program: Program, fileName: string, sheet: string, reports: RowReport[]): PoolImportReport {
  const count = (status: RowStatus) => reports.filter((r) => r.status === status).length;
  return {
    programId: program.id,
    fileName: fileLabel(fileName),
    sheet,
    total: reports.length,
    imported: count('imported'),
    warned: count('warned'),
    present: count('present'),
    refused: count('refused'),
    failed: count('failed'),
    rows: reports,
  };
}
