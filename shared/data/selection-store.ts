// The SelectionStore port on DynamoDB: one item per programme and year beside the year's
// return, `RETURN#<programme>#<year>` / `SELECTION`, holding the selected filing ids (a few
// dozen to a few hundred ids: well under DynamoDB's 400 KB). A write replaces the item and puts
// its access-log entries (one per unit it touches) in one TransactWriteItems.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SelectionStore } from '../ports/selection.ts';
import { accessPuts } from './staff-queries.ts';

export const selectionKey = (programId: string, year: string) => ({
  pk: `RETURN#${programId}#${year}`,
  sk: 'SELECTION',
});

export function createSelectionStore(deps: {
  doc: DynamoDBDocumentClient;
  tableName: string;
}): SelectionStore {
  return {
    async get(programId, year) {
      const out = await deps.doc.send(
        new GetCommand({
          TableName: deps.tableName,
          Key: selectionKey(programId, year),
          ConsistentRead: true,
        }),
      );
      const item = out.Item;
      return {
        programId,
        year,
        selected: Array.isArray(item?.selected) ? (item.selected as string[]) : [],
        setAt: typeof item?.setAt === 'string' ? item.setAt : null,
        setBy: typeof item?.setBy === 'string' ? item.setBy : null,
      };
    },
    async put(selection, access) {
      await deps.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: deps.tableName,
                Item: {
                  ...selectionKey(selection.programId, selection.year),
                  type: 'Selection',
                  ...selection,
                },
              },
            },
            ...access.flatMap((entry) => accessPuts(deps.tableName, entry)),
          ],
        }),
      );
    },
  };
}
