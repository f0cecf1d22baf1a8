// Wiring of the training store (batches and pass lists), once per process: for submission's
// certificate match, and with the keyed hash and the access log for the staff training routes.
import { createStaffQueries } from '../data/staff-queries.ts';
import { createTrainingStore } from '../data/training-store.ts';
import type { TrainingStore } from '../ports/training.ts';
import type { TrainingDeps } from '../use-cases/training/staff-training.ts';
import { keyedTableAccess } from './keyed-table-access.ts';
import { tableAccess } from './table-access.ts';

let store: TrainingStore | undefined;
let services: TrainingDeps | undefined;

export function trainingStore(): TrainingStore {
  if (!store) {
    const { doc, tableName } = tableAccess();
    store = createTrainingStore(doc, tableName);
  }
  return store;
}

export function trainingServices(): TrainingDeps {
  if (!services) {
    const { doc, tableName, hasher } = keyedTableAccess();
    services = {
      store: trainingStore(),
      hasher,
      queries: createStaffQueries(doc, tableName),
      now: () => new Date(),
    };
  }
  return services;
}
