// What staff do with filings: list and search them (their unit, or their whole programme),
// see pool members, read one filing (masked), unmask an ID number or phone with a stated
// reason (written to the access log first), and read the audit log of a filing or a unit.
// Every use case authorizes first; a filing outside the caller's scope is a 403 like any
// other refusal, and error bodies name nothing.

import * as z from 'zod/mini';
import { servedFilename } from '../../domain/attachments.ts';
import { decodeCursor, encodeCursor } from '../../domain/cursor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import { STATES } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { memberState } from '../../domain/programs/program.ts';
import { authorize, type RevealRequest, type StaffPrincipal, unitsFor } from '../../domain/staff.ts';
import { normalizeCode, toHalfWidth } from '../../domain/validation/normalize.ts';
import { stripUnsafe } from '../../domain/validation/safe-text.ts';
import { USCC_ALPHABET } from '../../domain/validation/uscc.ts';

export { RevealRequestSchema } from '../../domain/staff.ts';

import type { AttachmentLinks } from '../../ports/attachments.ts';
import type { FilingRecord, FilingRepository } from '../../ports/filings.ts';
import type { StaffQueries } from '../../ports/staff.ts';
import { type AuditLine, accessLine, auditCsv, staffDetail, staffRow, transitionLine } from './staff-view.ts';

export interface StaffDeps {
  repo: FilingRepository;
  queries: StaffQueries;
  now: () => Date;
  /** View links for a filing's documents (staff detail); absent where a function shows none. */
  attachments?: { links: AttachmentLinks; seconds: number };
}

export const MAX_PAGE = 100;
/** Filings read at once: a page of the console's size (20) in one round of reads. */
const AT_ONCE = 20;
/** Filings examined per request at most (filters may skip many): the page then ends early. */
const MAX_EXAMINED = 300;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ListInput {
  programId: string;
  unit?: string;
  status?: string;
  role?: string;
  from?: string;
  to?: string;
  limit?: string | number;
  cursor?: string;
  /** The start of an enterprise's unified social credit code (up to the whole code). */
  creditCode?: string;
  /** The start of an enterprise's name. */
  name?: string;
}

const USCC_CHARS = new RegExp(`^[${USCC_ALPHABET}]+$`);
const queryIssue = (zh: string, en: string) => ({ params: { code: 'invalid_query', zh, en } });

/**
 * The search box's two parameters: a credit code's start, in the code's own alphabet, as typed
 * on an IME (full width, lower case) or plain; an enterprise name's start, one line of up to the
 * length a name may have. One of the two at a time: each reads its own keys of the index.
 */
export const SearchQuerySchema = z
  .object({
    creditCode: z.optional(
      z
        .pipe(
          z.string(),
          z.transform((v) => normalizeCode(v).replace(/\s+/g, '')),
        )
        .check(
          z.refine(
            (v) => v.length >= 1 && v.length <= 18,
            queryIssue('信用代码应为 1 到 18 位', 'a credit code has 1 to 18 characters'),
          ),
          z.refine(
            (v) => v.length === 0 || USCC_CHARS.test(v),
            queryIssue(
              '信用代码只含数字和大写字母（不含 I、O、S、V、Z）',
              'a credit code has digits and capital letters other than I, O, S, V and Z',
            ),
          ),
        ),
    ),
    name: z.optional(
      z
        .pipe(
          z.string(),
          z.transform((v) => toHalfWidth(v).trim()),
        )
        .check(
          z.refine(
            (v) => v.length >= 1 && v.length <= 100,
            queryIssue('企业名称应为 1 到 100 个字', 'an enterprise name has 1 to 100 characters'),
          ),
          z.refine(
            (v) => [...v].every((c) => c >= ' ' && c !== '\u007f'),
            queryIssue('企业名称不能含控制字符', 'an enterprise name has no control characters'),
          ),
        ),
    ),
  })
  .check(
    z.refine((q) => q.creditCode === undefined || q.name === undefined, {
      path: ['name'],
      ...queryIssue('请只按信用代码或企业名称之一检索', 'search by the credit code or by the name, not both'),
    }),
  );
export type SearchQuery = z.output<typeof SearchQuerySchema>;

type Search = { by: 'creditCode' | 'name'; prefix: string };

/** The search asked for, if any; a ValidationError naming each bad parameter otherwise. */
export function checkSearch(input: Pick<ListInput, 'creditCode' | 'name'>): Search | undefined {
  const raw = {
    ...(input.creditCode !== undefined && input.creditCode !== '' ? { creditCode: input.creditCode } : {}),
    ...(input.name !== undefined && input.name !== '' ? { name: input.name } : {}),
  };
  const parsed = SearchQuerySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues.map((issue) => {
        const params = (issue as { params?: { code: string; zh: string; en: string } }).params;
        return {
          path: issue.path.map(String).join('.'),
          code: params?.code ?? 'invalid_query',
          message: { zh: params?.zh ?? '无效的查询参数', en: params?.en ?? 'invalid query parameter' },
        };
      }),
    );
  }
  const { creditCode, name } = parsed.data;
  if (creditCode !== undefined) return { by: 'creditCode', prefix: creditCode };
  if (name !== undefined) return { by: 'name', prefix: name };
  return undefined;
}

function checkList(input: ListInput): { status?: FilingState; limit: number } {
  const issues: ValidationError['issues'] = [];
  const bad = (path: string, zh: string, en: string) =>
    issues.push({ path, code: 'invalid_query', message: { zh, en } });
  const program = getProgram(input.programId);
  if (input.status && !(STATES as readonly string[]).includes(input.status))
    bad('status', '未知的状态', `status must be one of ${STATES.join(', ')}`);
  if (input.role && !program.roles.some((r) => r.id === input.role))
    bad('role', '未知的岗位', 'unknown role');
  if (input.unit && !program.reportingUnits.some((u) => u.code === input.unit))
    bad('unit', '未知的备案单位', 'unknown reporting unit');
  for (const key of ['from', 'to'] as const) {
    if (input[key] && !DATE.test(input[key] ?? ''))
      bad(key, '日期格式应为 YYYY-MM-DD', 'a date as YYYY-MM-DD');
  }
  if (input.from && input.to && DATE.test(input.from) && DATE.test(input.to) && input.from > input.to)
    bad('from', '开始日期不能晚于结束日期', 'from must not be after to');
  const limit = input.limit === undefined ? 20 : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    bad('limit', `每页 1 到 ${MAX_PAGE} 条`, `limit is 1 to ${MAX_PAGE}`);
  if (issues.length > 0) throw new ValidationError(issues);
  return { ...(input.status ? { status: input.status as FilingState } : {}), limit };
}

interface Cursor {
  /** Index into the units the caller may list. */
  u: number;
  /** The index query's own cursor within that unit. */
  c?: string;
}

/** A position this listing hands out: a unit still to list, and at most its query's cursor. */
const positionIn =
  (units: readonly string[]) =>
  (value: unknown): value is Cursor => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const { u, c, ...rest } = value as Record<string, unknown>;
    return (
      Object.keys(rest).length === 0 &&
      Number.isInteger(u) &&
      (u as number) >= 0 &&
      (u as number) < units.length &&
      (c === undefined || typeof c === 'string')
    );
  };

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/** Both kinds of parameters checked, so that one 422 names every bad one. */
function checkListAndSearch(input: ListInput) {
  let issues: ValidationError['issues'] = [];
  let checked: ReturnType<typeof checkList> | undefined;
  try {
    checked = checkList(input);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues = [...error.issues];
  }
  try {
    checkSearch(input);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    issues = [...issues, ...error.issues];
  }
  if (issues.length > 0 || !checked) throw new ValidationError(issues);
  return checked;
}

/**
 * Filings of the caller's unit(s), newest first per unit, filtered, one page; or those whose
 * enterprise's credit code or name starts as typed, by that value, unit by unit.
 */
export async function listFilings(deps: StaffDeps, principal: StaffPrincipal, input: ListInput) {
  const { status, limit } = checkListAndSearch(input);
  const search = checkSearch(input);
  let units: string[];
  if (input.unit) {
    authorize(principal, 'list', { programId: input.programId, unit: input.unit });
    units = [input.unit];
  } else {
    units = unitsFor(principal, 'list', input.programId);
    if (units.length === 0) throw new ForbiddenError('forbidden');
  }
  // The query's own cursor inside is checked by the query (StaffQueries), with the same decoder.
  const cursor = decodeCursor(input.cursor, positionIn(units)) ?? { u: 0 };
  const rows: ReturnType<typeof staffRow>[] = [];
  let examined = 0;
  let position: Cursor | undefined = cursor;
  while (position && position.u < units.length && rows.length < limit && examined < MAX_EXAMINED) {
    const unit = units[position.u] ?? '';
    const page = await deps.queries.unitFilings({
      programId: input.programId,
      unit,
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(search ? { search } : {}),
      limit: limit - rows.length,
      ...(position.c ? { cursor: position.c } : {}),
    });
    examined += page.filingIds.length;
    const records = await mapLimited(page.filingIds, AT_ONCE, (id) => deps.repo.get(id));
    for (const record of records) {
      if (status && record.state !== status) continue;
      if (input.role && record.filing.role !== input.role) continue;
      // A search reads by name or code, not by date: the period is a filter here.
      const day = record.createdAt.slice(0, 10);
      if (search && ((input.from && day < input.from) || (input.to && day > input.to))) continue;
      rows.push(staffRow(record));
    }
    position = page.next ? { u: position.u, c: page.next } : { u: position.u + 1 };
  }
  const more = position !== undefined && position.u < units.length;
  return { items: rows, ...(more && position ? { next: encodeCursor(position) } : {}) };
}

/** Members of the caller's unit(s): in the pool, or registered where the programme ends at the city. */
export function poolMembers(deps: StaffDeps, principal: StaffPrincipal, input: Omit<ListInput, 'status'>) {
  return listFilings(deps, principal, { ...input, status: memberState(getProgram(input.programId)) });
}

/** The filing, when the caller may take `action` on its unit (404 if it does not exist). */
async function filingFor(
  deps: StaffDeps,
  principal: StaffPrincipal,
  filingId: string,
  action: 'read' | 'reveal' | 'audit',
): Promise<FilingRecord> {
  const record = await deps.repo.get(filingId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new NotFoundError('filing');
    throw error;
  });
  authorize(principal, action, { programId: record.programId, unit: record.filing.enterprise.reportingUnit });
  return record;
}

/**
 * A filing for staff, masked, with its history; its documents each with a view link of a few
 * minutes (issuing them is written to the access log: documents are personal data).
 */
export async function filingDetail(deps: StaffDeps, principal: StaffPrincipal, filingId: string) {
  const record = await filingFor(deps, principal, filingId, 'read');
  const [history, failures] = await Promise.all([deps.repo.history(filingId), deps.repo.failures(filingId)]);
  // A workflow that failed on the filing (recorded, operators alerted) shows here too, so staff
  // see why it does not move; the cause was masked when it was recorded.
  const detail = { ...staffDetail(record, history), workflowFailures: failures };
  const refs = record.filing.attachments ?? [];
  if (!deps.attachments || refs.length === 0 || record.anonymizedAt) return detail;
  const { links, seconds } = deps.attachments;
  const scope = authorize(principal, 'read', {
    programId: record.programId,
    unit: record.filing.enterprise.reportingUnit,
  });
  await deps.queries.recordAccess({
    at: deps.now().toISOString(),
    filingId,
    programId: record.programId,
    unit: record.filing.enterprise.reportingUnit,
    subject: principal.subject,
    role: scope.role,
    what: `view:${refs.map((r) => r.kind).join(',')}`,
    reason: '查看备案附件 / viewing the filing’s documents',
  });
  const viewed = await Promise.all(
    refs.map(async (ref) => {
      const link = await links.presignView({
        key: ref.key,
        kind: ref.kind,
        contentType: ref.contentType,
        seconds,
      });
      return {
        kind: ref.kind,
        filename: stripUnsafe(ref.filename),
        servedAs: servedFilename(ref),
        contentType: ref.contentType,
        url: link.url,
        expiresAt: link.expiresAt,
      };
    }),
  );
  return { ...detail, attachments: viewed };
}

/** The unmasked values asked for; the access is logged before anything is shown. */
export async function revealFields(
  deps: StaffDeps,
  principal: StaffPrincipal,
  filingId: string,
  request: RevealRequest,
) {
  const record = await filingFor(deps, principal, filingId, 'reveal');
  const scope = authorize(principal, 'reveal', {
    programId: record.programId,
    unit: record.filing.enterprise.reportingUnit,
  });
  const fields = [...new Set(request.fields)];
  if (record.anonymizedAt) {
    throw new ConflictError('anonymized', {
      zh: '该记录已匿名化，无个人信息可查看',
      en: 'this record was anonymized; there is nothing personal to show',
    });
  }
  await deps.queries.recordAccess({
    at: deps.now().toISOString(),
    filingId,
    programId: record.programId,
    unit: record.filing.enterprise.reportingUnit,
    subject: principal.subject,
    role: scope.role,
    what: fields.map((f) => `reveal:${f}`).join(','),
    reason: request.reason,
  });
  const values: { idNumber?: string; mobile?: string } = {};
  if (fields.includes('idNumber')) values.idNumber = await deps.repo.revealIdNumber(filingId);
  if (fields.includes('mobile')) values.mobile = record.filing.person.mobile;
  return { filingId, ...values };
}

const sortLines = (lines: AuditLine[]) =>
  lines.sort((a, b) => a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind));

/** Transitions and accesses of one filing, oldest first. */
export async function filingAudit(deps: StaffDeps, principal: StaffPrincipal, filingId: string) {
  await filingFor(deps, principal, filingId, 'audit');
  const [history, access] = await Promise.all([
    deps.repo.history(filingId),
    deps.queries.filingAccess(filingId),
  ]);
  return sortLines([...history.map(transitionLine), ...access.map(accessLine)]);
}

/**
 * A unit's audit log, one page: the transitions of a page of its filings (newest filings
 * first) and, on the first page, who saw or took its personal data.
 */
export async function unitAudit(
  deps: StaffDeps,
  principal: StaffPrincipal,
  input: { programId: string; unit: string; cursor?: string; limit?: string | number },
) {
  getProgram(input.programId);
  authorize(principal, 'audit', { programId: input.programId, unit: input.unit });
  const { limit } = checkList({
    programId: input.programId,
    unit: input.unit,
    ...(input.limit ? { limit: input.limit } : {}),
  });
  const page = await deps.queries.unitFilings({
    programId: input.programId,
    unit: input.unit,
    limit,
    ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
  });
  const histories = await mapLimited(page.filingIds, 10, (id) => deps.repo.history(id));
  const lines = histories.flat().map(transitionLine);
  // The access lines come with the first page only: a cursor that is there but cannot be read
  // was refused by the query above (422), so it never reads as the first page, nor skips them.
  if (input.cursor === undefined) {
    let next: string | undefined;
    do {
      const access = await deps.queries.unitAccess({
        programId: input.programId,
        unit: input.unit,
        limit: 500,
        ...(next ? { cursor: next } : {}),
      });
      lines.push(...access.entries.map(accessLine));
      next = access.next;
    } while (next);
  }
  return { lines: sortLines(lines), ...(page.next ? { next: page.next } : {}) };
}

export { auditCsv };
