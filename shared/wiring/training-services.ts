// Wiring of the training store (batches and pass lists), once per process: for submission's
// certificate match, and with the keyed hash and the access log for the staff training routes.
import { ENV, requireEnv } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';
import { keyedHasherFromEnv } from '../data/keyed-hash.ts';
import { createStaffQueries } from '../data/staff-queries.ts';
import { createTrainingStore } from '../data/training-store.ts';
import type { TrainingStore } from '../ports/training.ts';
import type { TrainingDeps } from '../use-cases/training/staff-training.ts';

let store: TrainingStore | undefined;
let services: TrainingDeps | undefined;

export function trainingStore(): TrainingStore {
  store ??= createTrainingStore(createDocumentClient(), requireEnv(ENV.tableName));
  return store;
}

export function trainingServices(): TrainingDeps {
  services ??= {
    store: trainingStore(),
    hasher: keyedHasherFromEnv(),
    queries: createStaffQueries(createDocumentClient(), requireEnv(ENV.tableName)),
    now: () => new Date(),
  };
  return services;
}
