// `npm run backfill -- <table>`: gives the items of a deployed table written before an index
// existed that index's keys (awaitingBatch, added with the weekly batch's own index; the enterprise index of active
// filings, added with the "usually one per enterprise" check at submission; the enterprise coverage counts of the
// programmes that report coverage, computed from the active filings; the filingSearch index of staff search by
// credit code or enterprise name).
// Run once after the deploy that adds the index, with the credentials and AWS_REGION of the
// stage; safe to run again and while the system runs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillAwaitingBatch } from '#shared/data/awaiting-batch-backfill.ts';
import { backfillCoverage } from '#shared/data/coverage-backfill.ts';
import { backfillEnterpriseIndex } from '#shared/data/enterprise-backfill.ts';
import { backfillFilingSearch } from '#shared/data/search-backfill.ts';

const [tableName] = process.argv.slice(2);
if (!tableName) {
  console.error('usage: npm run backfill -- <table name>');
  process.exit(2);
}
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const updated = await backfillAwaitingBatch(doc, tableName);
console.log(`${tableName}: ${updated} province task(s) waiting for a batch given the awaitingBatch keys`);
const indexed = await backfillEnterpriseIndex(doc, tableName);
console.log(`${tableName}: ${indexed} active filing(s) added to their enterprise's index`);
// After the enterprise index: coverage is computed from the active filings it lists.
const coverage = await backfillCoverage(doc, tableName);
console.log(
  `${tableName}: enterprise coverage reconciled for ${coverage.corrected} of ${coverage.enterprises} enterprise(s)` +
    (coverage.raced > 0 ? `; ${coverage.raced} changed meanwhile: run again` : ''),
);
const searchable = await backfillFilingSearch(doc, tableName);
console.log(
  `${tableName}: ${searchable} filing(s) given the filingSearch keys (credit code, enterprise name)`,
);
