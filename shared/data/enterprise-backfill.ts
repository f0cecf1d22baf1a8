// Gives the active filings stored before the enterprise index existed their EnterpriseFiling item. The person claims
// (Person, PersonSuccessor) are exactly the active filings, so the scan reads them; each item is written in a
// transaction that checks the claim still names the filing, so a filing that ended meanwhile is not indexed.
// Idempotent and safe while the system runs; `npm run backfill` runs it on a deployed table.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { toEnterpriseFilingItem } from './enterprise-item.ts';
import { bodyKey, type FilingBodyItem } from './filing-body-item.ts';

/** Returns how many filings were added to their enterprise's index. */
export async function backfillEnterpriseIndex(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<number> {
  let added = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :person) AND (sk = :held OR sk = :next)',
        ProjectionExpression: 'pk, sk, filingId',
        ExpressionAttributeValues: { ':person': 'PERSON#', ':held': 'PERSON', ':next': 'SUCCESSOR' },
        ExclusiveStartKey: start,
      }),
    );
    for (const claim of out.Items ?? []) {
      const filingId = String(claim.filingId);
      const found = await doc.send(
        new GetCommand({ TableName: tableName, Key: bodyKey(filingId), ConsistentRead: true }),
      );
      const body = found.Item as FilingBodyItem | undefined;
      if (!body) continue;
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: { pk: claim.pk, sk: claim.sk },
                  ConditionExpression: 'filingId = :id',
                  ExpressionAttributeValues: { ':id': filingId },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: toEnterpriseFilingItem(
                    body.programId,
                    body.filing.enterprise.uscc,
                    filingId,
                    body.role,
                    body.createdAt,
                  ),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        added++;
      } catch (error) {
        // Ended since the scan read it, or indexed already.
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return added;
}
