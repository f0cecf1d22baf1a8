// Gives the filings stored before the filingSearch index existed its keys: the credit code's on the body, and the
// FilingName item beside it. Each filing is done in one transaction that requires the body still to lack the keys,
// so an amendment meanwhile (which writes both itself) wins and the filing is skipped. Idempotent and safe while the
// system runs. Run by ensureTable when it adds the index locally, and by `npm run backfill` on a deployed table.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { creditSearchKeys, toFilingNameItem } from './filing-search-item.ts';
import { TABLE } from './table.ts';

/** Returns how many filings were given the search keys. */
export async function backfillFilingSearch(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const index = TABLE.indexes.filingSearch;
  let added = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `sk = :body AND attribute_not_exists(${index.partitionKey})`,
        ProjectionExpression:
          'pk, filingId, programId, #unit, createdAt, #filing.#enterprise.#name, #filing.#enterprise.uscc',
        ExpressionAttributeNames: {
          '#unit': 'unit',
          '#filing': 'filing',
          '#enterprise': 'enterprise',
          '#name': 'name',
        },
        ExpressionAttributeValues: { ':body': 'BODY' },
        ExclusiveStartKey: start,
      }),
    );
    for (const body of out.Items ?? []) {
      const enterprise = (body.filing as { enterprise: { name: string; uscc: string } }).enterprise;
      const facts = {
        programId: String(body.programId),
        unit: String(body.unit),
        createdAt: String(body.createdAt),
        filingId: String(body.filingId),
      };
      const keys = creditSearchKeys({ ...facts, uscc: enterprise.uscc });
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: body.pk, sk: 'BODY' },
                  UpdateExpression: 'SET #qpk = :qpk, #qsk = :qsk',
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#qpk)',
                  ExpressionAttributeNames: { '#qpk': index.partitionKey, '#qsk': index.sortKey },
                  ExpressionAttributeValues: { ':qpk': keys.gsi3pk, ':qsk': keys.gsi3sk },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: toFilingNameItem({ ...facts, enterpriseName: enterprise.name }),
                },
              },
            ],
          }),
        );
        added++;
      } catch (error) {
        // Amended (and so given its keys) since the scan read it.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return added;
}
