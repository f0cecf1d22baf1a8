// `npm run backfill -- <table>`: gives the items of a deployed table written before an index
// existed that index's keys (today: awaitingBatch, added with the weekly batch's own index).
// Run once after the deploy that adds the index, with the credentials and AWS_REGION of the
// stage; safe to run again and while the system runs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillAwaitingBatch } from '#shared/data/awaiting-batch-backfill.ts';

const [tableName] = process.argv.slice(2);
if (!tableName) {
  console.error('usage: npm run backfill -- <table name>');
  process.exit(2);
}
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const updated = await backfillAwaitingBatch(doc, tableName);
console.log(`${tableName}: ${updated} province task(s) waiting for a batch given the awaitingBatch keys`);
