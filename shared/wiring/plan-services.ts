// Wiring of the yearly plans, once per process: the plan store on the table.
import { createPlanStore } from '../data/plan-store.ts';
import type { PlanDeps } from '../use-cases/plans/yearly-plans.ts';
import { tableAccess } from './table-access.ts';

let deps: PlanDeps | undefined;

export function planServices(): PlanDeps {
  deps ??= {
    plans: createPlanStore(tableAccess()),
    now: () => new Date(),
  };
  return deps;
}
