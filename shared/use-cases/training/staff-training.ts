// Training batches and pass lists for staff: province staff record any batch of their programme
// (the province's own or a city's); city staff record the batches their own bureau runs and
// upload those batches' pass lists. Every staff role of the programme may list the batches
// (they hold no personal data). Each batch and upload is written to the organizer's access log.
// The pass list's upload is in pass-list-upload.ts, so that listing and recording batches bundle no exceljs.

import { ValidationError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findUnit } from '../../domain/programs/program.ts';
import { authorize, type StaffPrincipal } from '../../domain/staff.ts';
import {
  newBatchId,
  PROVINCE_ORGANIZER,
  type TrainingBatch,
  type TrainingBatchRequest,
} from '../../domain/training.ts';
import type { KeyedHasher } from '../../ports/crypto.ts';
import type { StaffQueries } from '../../ports/staff.ts';
import type { TrainingStore } from '../../ports/training.ts';

export interface TrainingDeps {
  store: TrainingStore;
  hasher: KeyedHasher;
  queries: StaffQueries;
  now: () => Date;
}

/** The unit an organizer names for authorization: none for the province (province staff only). */
export function organizerTarget(programId: string, organizer: string) {
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
