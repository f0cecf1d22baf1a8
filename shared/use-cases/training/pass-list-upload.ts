// A training batch's pass list uploaded by staff over HTTP: the batch's organizer (province
// staff, or the city whose bureau ran it) uploads the workbook; the upload is written to the
// organizer's access log. Apart from staff-training.ts so that only this function bundles exceljs.

import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import { BATCH_ID_PATTERN } from '../../domain/training.ts';
import { readPassListWorkbook } from '../imports/pass-list-sheet.ts';
import { batchOrNotFound, importPassList, type PassListReport } from './pass-list-import.ts';
import { organizerTarget, type TrainingDeps } from './staff-training.ts';

/** Rows per upload over HTTP, so that it ends within the API's 30 s (larger lists: `npm run training`). */
export const PASS_LIST_ROW_LIMIT = 2000;
export const PASS_LIST_MAX_BYTES = 2 * 1024 * 1024;

export async function uploadPassList(
  deps: TrainingDeps,
  principal: StaffPrincipal,
  input: { programId: string; batchId: string; fileName?: string; workbook: Uint8Array },
): Promise<PassListReport> {
  const program = getProgram(input.programId);
  if (!BATCH_ID_PATTERN.test(input.batchId)) {
    throw new ValidationError([
      {
        path: 'batchId',
        code: 'invalid_batch_id',
        message: { zh: '培训批次编号格式不正确', en: 'not a training batch id' },
      },
    ]);
  }
  const batch = await batchOrNotFound(deps.store, program.id, input.batchId);
  const scope = authorize(principal, 'training', organizerTarget(program.id, batch.organizer));
  const fileName = (input.fileName ?? 'upload.xlsx').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 100);
  const rows = (await readPassListWorkbook(input.workbook)).rows.length;
  if (rows > PASS_LIST_ROW_LIMIT) {
    throw new ValidationError([
      {
        path: 'body',
        code: 'too_many_rows',
        message: {
          zh: `每次最多导入 ${PASS_LIST_ROW_LIMIT} 行（本文件 ${rows} 行）：请分批导入，或由管理员使用 npm run training`,
          en: `at most ${PASS_LIST_ROW_LIMIT} rows per request (this file has ${rows}): split it, or use npm run training`,
        },
      },
    ]);
  }
  const report = await importPassList(
    { store: deps.store, hasher: deps.hasher, now: deps.now },
    { programId: program.id, batchId: batch.batchId, fileName, workbook: input.workbook },
  );
  await deps.queries.recordAccess({
    at: deps.now().toISOString(),
    programId: program.id,
    // A city's batch goes to its unit's log; the province's own to the log keyed `province`.
    unit: batch.organizer,
    subject: principal.subject,
    role: scope.role,
    what: `training-passes:${report.imported}`,
    reason: `培训合格名单 / pass list ${batch.batchId} from ${fileName}`,
  });
  return report;
}
