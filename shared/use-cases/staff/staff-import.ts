// Import of existing pool members by province staff over HTTP: the workbook in the request
// body, at most IMPORT_ROW_LIMIT rows so that it finishes within the API's 30 seconds (larger
// files go through `npm run import` or in parts); the row-level report as the answer; the
// import written to the access log of each unit it touched.

import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import type { KeyedHasher } from '../../ports/crypto.ts';
import { readImportWorkbook } from '../imports/import-sheet.ts';
import { importPool, type PoolImportReport } from '../imports/pool-import.ts';
import type { StaffDeps } from './staff-filings.ts';

export const IMPORT_ROW_LIMIT = 500;
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

export async function importForStaff(
  deps: StaffDeps & { hasher: KeyedHasher },
  principal: StaffPrincipal,
  input: { programId: string; fileName?: string; workbook: Uint8Array },
): Promise<PoolImportReport> {
  const program = getProgram(input.programId);
  const scope = authorize(principal, 'import', { programId: program.id });
  const fileName = (input.fileName ?? 'upload.xlsx').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100);
  let rows: number;
  try {
    rows = (await readImportWorkbook(input.workbook)).rows.length;
  } catch (error) {
    if (error instanceof ValidationError) throw error; // e.g. every missing column, named
    throw new ValidationError([
      {
        path: 'body',
        code: 'invalid_workbook',
        message: { zh: '不是可读取的 XLSX 文件', en: 'not a readable XLSX file' },
      },
    ]);
  }
  if (rows > IMPORT_ROW_LIMIT) {
    throw new ValidationError([
      {
        path: 'body',
        code: 'too_many_rows',
        message: {
          zh: `每次最多导入 ${IMPORT_ROW_LIMIT} 行（本文件 ${rows} 行）：请分批导入，或由管理员使用 npm run import`,
          en: `at most ${IMPORT_ROW_LIMIT} rows per request (this file has ${rows}): split it, or use npm run import`,
        },
      },
    ]);
  }
  const report = await importPool(
    { repo: deps.repo, hasher: deps.hasher, now: deps.now },
    { programId: program.id, fileName, workbook: input.workbook },
  );
  const at = deps.now().toISOString();
  const units = new Set<string>();
  for (const row of report.rows) {
    if (row.filingId && (row.status === 'imported' || row.status === 'warned')) {
      units.add((await deps.repo.get(row.filingId)).filing.enterprise.reportingUnit);
    }
  }
  for (const unit of units) {
    await deps.queries.recordAccess({
      at,
      programId: program.id,
      unit,
      subject: principal.subject,
      role: scope.role,
      what: `import:${report.imported + report.warned}`,
      reason: `导入 / imported from ${fileName}`,
    });
  }
  return report;
}
