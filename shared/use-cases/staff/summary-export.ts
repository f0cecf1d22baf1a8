// The city summary (附件2) of a unit as staff download it: the unit's filings the city has
// approved (with the province, in the pool, or registered where the city's approval ends the
// review), for a period of filing dates or for one batch
// sent to the province, as XLSX or CSV. Masked phones, no ID numbers (the export builds the
// rows); who exported what is written to the access log first.
import { documentShortName } from '../../domain/documents.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { FilingState } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import type { FilingRecord } from '../../ports/filings.ts';
import type { ReviewStore } from '../../ports/reviews.ts';
import { citySummaryCsv, citySummaryXlsx } from '../exports/city-summary.ts';
import type { StaffDeps } from './staff-filings.ts';

/** States of a filing the city has approved: what 附件2 lists. */
export const SUMMARY_STATES: readonly FilingState[] = ['province_review', 'in_pool', 'registered'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface SummaryExportInput {
  programId: string;
  unit: string;
  format?: string;
  from?: string;
  to?: string;
  batchId?: string;
}

export async function exportCitySummary(
  deps: StaffDeps & { reviews: Pick<ReviewStore, 'getBatch'> },
  principal: StaffPrincipal,
  input: SummaryExportInput,
): Promise<{ contentType: string; filename: string; data: Uint8Array; count: number }> {
  const program = getProgram(input.programId);
  const scope = authorize(principal, 'export', { programId: input.programId, unit: input.unit });
  const format = input.format ?? 'xlsx';
  const issues: ValidationError['issues'] = [];
  if (format !== 'xlsx' && format !== 'csv') {
    issues.push({
      path: 'format',
      code: 'invalid_query',
      message: { zh: '格式为 xlsx 或 csv', en: 'format is xlsx or csv' },
    });
  }
  for (const key of ['from', 'to'] as const) {
    if (input[key] && !DATE.test(input[key] ?? '')) {
      issues.push({
        path: key,
        code: 'invalid_query',
        message: { zh: '日期格式应为 YYYY-MM-DD', en: 'a date as YYYY-MM-DD' },
      });
    }
  }
  if (input.from && input.to && DATE.test(input.from) && DATE.test(input.to) && input.from > input.to) {
    issues.push({
      path: 'from',
      code: 'invalid_query',
      message: { zh: '开始日期不能晚于结束日期', en: 'from must not be after to' },
    });
  }
  if (!program.reportingUnits.some((u) => u.code === input.unit)) {
    issues.push({
      path: 'unit',
      code: 'invalid_query',
      message: { zh: '未知的备案单位', en: 'unknown reporting unit' },
    });
  }
  if (input.batchId && (input.from || input.to)) {
    issues.push({
      path: 'batchId',
      code: 'invalid_query',
      message: { zh: '按批次或按时间段导出，二选一', en: 'export a batch or a period, not both' },
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  let ids: string[];
  if (input.batchId) {
    const batch = await deps.reviews.getBatch(input.batchId);
    // Another unit's batch is as absent as a missing one.
    if (!batch || batch.programId !== input.programId || batch.unit !== input.unit)
      throw new NotFoundError('batch');
    ids = batch.filingIds;
  } else {
    ids = [];
    let cursor: string | undefined;
    do {
      const page = await deps.queries.unitFilings({
        programId: input.programId,
        unit: input.unit,
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.filingIds);
      cursor = page.next;
    } while (cursor);
  }
  const records: FilingRecord[] = [];
  for (const id of ids) {
    const record = await deps.repo.get(id);
    if (input.batchId || SUMMARY_STATES.includes(record.state)) records.push(record);
  }
  // Oldest first, as the city lists them.
  records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const at = deps.now();
  await deps.queries.recordAccess({
    at: at.toISOString(),
    programId: input.programId,
    unit: input.unit,
    subject: principal.subject,
    role: scope.role,
    what: `export:${format}:${records.length}`,
    reason: input.batchId ? `附件2 batch ${input.batchId}` : `附件2 ${input.from ?? '…'}–${input.to ?? '…'}`,
  });
  const unitName = program.reportingUnits.find((u) => u.code === input.unit)?.name.zh ?? input.unit;
  const stem = `${documentShortName(program, 'summary')}-${unitName}-${input.batchId ?? `${input.from ?? 'all'}-${input.to ?? at.toISOString().slice(0, 10)}`}`;
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      filename: `${stem}.csv`,
      data: citySummaryCsv(program, records),
      count: records.length,
    };
  }
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${stem}.xlsx`,
    data: await citySummaryXlsx(program, records, { generatedAt: at }),
    count: records.length,
  };
}
