// Wiring of the scheduled jobs' claims, once per process: the table (TABLE_NAME).
import { createJobClaimStore } from '../data/job-claim-store.ts';
import type { ScheduledRunDeps } from '../use-cases/scheduled-runs.ts';
import { tableAccess } from './table-access.ts';

let deps: ScheduledRunDeps | undefined;

export function scheduledRunServices(): ScheduledRunDeps {
  if (!deps) {
    const { doc, tableName } = tableAccess();
    deps = { claims: createJobClaimStore(doc, tableName), now: () => new Date() };
  }
  return deps;
}
