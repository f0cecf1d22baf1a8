// Wiring of the staff dashboard, once per process: the counters (without the closed years'
// summary write: the dashboard only reads; the target report stores that summary), the plans,
// the unit index, the filings' latest events and failures, the awaitingBatch index and the
// annual returns, all on the one table.
import { createCounterReader } from '../data/counter-reader.ts';
import { createDashboardReads } from '../data/dashboard-reads.ts';
import { createPlanStore } from '../data/plan-store.ts';
import { createReturnStore } from '../data/return-store.ts';
import { createStaffQueries } from '../data/staff-queries.ts';
import type { DashboardDeps } from '../use-cases/staff/dashboard.ts';
import { tableAccess } from './table-access.ts';

let deps: DashboardDeps | undefined;

export function dashboardServices(): DashboardDeps {
  if (deps) return deps;
  const { doc, tableName } = tableAccess();
  const { saveYearSummary: _write, ...counters } = createCounterReader({ doc, tableName });
  deps = {
    counters,
    plans: createPlanStore({ doc, tableName }),
    queries: createStaffQueries(doc, tableName),
    reads: createDashboardReads(doc, tableName),
    returns: createReturnStore(doc, tableName),
    now: () => new Date(),
  };
  return deps;
}
