// The rows of the city summary (附件2, docs/domain.md §4): one line of Chinese labels per filing,
// mobiles masked, never an ID number. Apart from the XLSX writer so that a CSV-only caller
// does not bundle exceljs (about 1 MB).
import { summaryColumns } from '../../domain/documents.ts';
import { BATCH_COLUMNS, INDUSTRY_LABELS } from '../../domain/email-templates.ts';
import { EDUCATION_LABELS, labelOf, SEX_LABELS, TITLE_LABELS } from '../../domain/labels.ts';
import { maskPhone, redactText } from '../../domain/masking.ts';
import { findRole, findUnit, type Program } from '../../domain/programs/program.ts';
import { isEducationLevel, isTitleLevel } from '../../domain/validation/ranks.ts';
import type { FilingRecord } from '../../ports/filings.ts';
import { toCsv } from './csv.ts';

/** The headers of docs/domain.md §4, in order, with 所在市 for the unit (summaryColumns gives a programme's own). */
export const SUMMARY_HEADERS: readonly string[] = BATCH_COLUMNS;

function titleCell(titleName: string | undefined, titleLevel: string): string {
  const level = isTitleLevel(titleLevel) ? TITLE_LABELS[titleLevel].zh : titleLevel;
  return titleName ? `${titleName}（${level}）` : level;
}

/** The 附件2 cells of each record, in the given order (序号 counts from 1). Never an ID number. */
export function citySummaryRows(program: Program, records: readonly FilingRecord[]): string[][] {
  return records.map((record, index) => {
    const { person, enterprise, role } = record.filing;
    const industry = INDUSTRY_LABELS[enterprise.industry];
    return [
      String(index + 1),
      findUnit(program, enterprise.reportingUnit)?.name.zh ?? enterprise.reportingUnit,
      enterprise.name,
      enterprise.uscc,
      industry ? `${enterprise.industry} ${industry}` : enterprise.industry,
      person.name,
      labelOf(SEX_LABELS, person.sex).zh,
      person.birthYearMonth,
      findRole(program, role)?.name.zh ?? role,
      person.position,
      isEducationLevel(person.education) ? EDUCATION_LABELS[person.education].zh : person.education,
      titleCell(person.titleName, person.titleLevel),
      person.training?.certificateNumber ?? '',
      person.appointment.date,
      maskPhone(person.mobile),
      // What the reviewer was warned about (soft rules, legacy credit codes). The texts come from
      // the rules, but pass the redaction anyway: nothing personal leaves in a remark.
      redactText(record.warnings.map((w) => w.message.zh).join('；')),
    ];
  });
}

/** The header and rows as CSV (UTF-8 with BOM, CRLF, RFC 4180, formula-safe). */
export function citySummaryCsv(program: Program, records: readonly FilingRecord[]): Buffer {
  return toCsv([summaryColumns(program), ...citySummaryRows(program, records)]);
}
