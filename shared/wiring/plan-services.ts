// Wiring of the yearly plans, once per process: the plan store on the table.
import { ENV, requireEnv } from '../config/env.ts';
import { createDocumentClient } from '../data/client.ts';
import { createPlanStore } from '../data/plan-store.ts';
import type { PlanDeps } from '../use-cases/plans/yearly-plans.ts';

let deps: PlanDeps | undefined;

export function planServices(): PlanDeps {
  deps ??= {
    plans: createPlanStore({ doc: createDocumentClient(), tableName: requireEnv(ENV.tableName) }),
    now: () => new Date(),
  };
  return deps;
}
