// Wiring of the scheduled jobs' claims, once per process: the table (TABLE_NAME).
import { ENV, requireEnv } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';
import { createJobClaimStore } from '../data/job-claim-store.ts';
import type { ScheduledRunDeps } from '../use-cases/scheduled-runs.ts';

let deps: ScheduledRunDeps | undefined;

export function scheduledRunServices(): ScheduledRunDeps {
  deps ??= {
    claims: createJobClaimStore(createDocumentClient(), requireEnv(ENV.tableName)),
    now: () => new Date(),
  };
  return deps;
}
