// Training batches and pass lists for staff: province staff record any batch of their programme
// (the province's own or a city's); city staff record the batches their own bureau runs and
// upload those batches' pass lists. Every staff role of the programme may list the batches
// (they hold no personal data). Each batch and upload is written to the organizer's access log.

import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findUnit } from '../../domain/programs/program.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import {
  BATCH_ID_PATTERN,
  newBatchId,
  PROVINCE_ORGANIZER,
  type TrainingBatch,
  type TrainingBatchRequest,
} from '../../domain/training.ts';
import type { KeyedHasher } from '../../ports/crypto.ts';
import type { StaffQueries } from '../../ports/staff.ts';
import type { TrainingStore } from '../../ports/training.ts';
import { readPassListWorkbook } from '../imports/pass-list-sheet.ts';
import { batchOrNotFound, importPassList, type PassListReport } from './pass-list-import.ts';

export interface TrainingDeps {
  store: TrainingStore;
  hasher: KeyedHasher;
  queries: StaffQueries;
  now: () => Date;
}

/** Rows per upload over HTTP, so that it ends within the API's 30 s (larger lists: `npm run training`). */
export const PASS_LIST_ROW_LIMIT = 2000;
export const PASS_LIST_MAX_BYTES = 2 * 1024 * 1024;

/** The unit an organizer names for authorization: none for the province (province staff only). */
function organizerTarget(programId: string, organizer: string) {
  return organizer === PROVINCE_ORGANIZER ? { programId } : { programId, unit: organizer };
}

export async function recordBatch(
  deps: TrainingDeps,
  principal: StaffPrincipal,
  input: { programId: string; batch: TrainingBatchRequest },
): Promise<TrainingBatch> {
  const program = getProgram(input.programId);
  const { organizer } = input.batch;
  if (organizer !== PROVINCE_ORGANIZER && !findUnit(program, organizer)) {
    throw new ValidationError([
      {
        path: 'organizer',
        code: 'unknown_reporting_unit',
        message: {
          zh: '组织单位应为 province（省局）或本项目的备案单位代码',
          en: 'organizer is province or a reporting unit code of this programme',
        },
      },
    ]);
  }
  const scope = authorize(principal, 'training', organizerTarget(program.id, organizer));
  const at = deps.now().toISOString();
  const batch: TrainingBatch = {
    ...input.batch,
    programId: program.id,
    batchId: newBatchId(input.batch.startDate),
    createdAt: at,
    createdBy: principal.subject,
    passes: 0,
  };
  await deps.store.putBatch(batch);
  await deps.queries.recordAccess({
    at,
    programId: program.id,
    unit: organizer,
    subject: principal.subject,
    role: scope.role,
    what: `training-batch:${batch.batchId}`,
    reason: `培训批次 / training batch ${batch.course}`,
  });
  return batch;
}

export async function listBatches(
  deps: Pick<TrainingDeps, 'store'>,
  principal: StaffPrincipal,
  programId: string,
): Promise<{ batches: TrainingBatch[] }> {
  const program = getProgram(programId);
  // Any staff scope of the programme: a city's own unit is enough to see the programme's batches.
  const scope = principal.scopes.find((s) => s.programId === program.id);
  authorize(principal, 'list', { programId: program.id, ...(scope?.unit ? { unit: scope.unit } : {}) });
  return { batches: await deps.store.listBatches(program.id) };
}

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
