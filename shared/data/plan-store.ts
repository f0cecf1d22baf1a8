// The PlanStore port on DynamoDB: one item per programme and year, `PLAN#<programme>` /
// `<year>`, holding every unit's plan (a few numbers per unit: well under 4 KB), so the report
// reads a year's plans with one GetItem. A write replaces the item and puts its access-log
// entries (one per unit it names, under the unit) in one TransactWriteItems.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { UnitPlan } from '../domain/plans.ts';
import type { PlanStore } from '../ports/plans.ts';
import { accessPuts } from './staff-queries.ts';

export const planKey = (programId: string, year: string) => ({ pk: `PLAN#${programId}`, sk: year });

export interface PlanStoreDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** Read capacity of each GetItem (ReturnConsumedCapacity TOTAL), for the benchmark. */
  onRead?: (capacityUnits: number) => void;
}

export function createPlanStore(deps: PlanStoreDeps): PlanStore {
  return {
    async get(programId, year) {
      const out = await deps.doc.send(
        new GetCommand({
          TableName: deps.tableName,
          Key: planKey(programId, year),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      deps.onRead?.(out.ConsumedCapacity?.CapacityUnits ?? 0);
      const item = out.Item;
      return {
        programId,
        year,
        units: Array.isArray(item?.units) ? (item.units as UnitPlan[]) : [],
        setAt: typeof item?.setAt === 'string' ? item.setAt : null,
        setBy: typeof item?.setBy === 'string' ? item.setBy : null,
      };
    },
    async put(plan, access) {
      await deps.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: deps.tableName,
                Item: { ...planKey(plan.programId, plan.year), type: 'Plan', ...plan },
              },
            },
            ...access.flatMap((entry) => accessPuts(deps.tableName, entry)),
          ],
        }),
      );
    },
  };
}
