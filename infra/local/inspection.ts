// Inspection pages of the local runtime (`/_local/…`), each with a JSON twin for tests and
// scripts. They read through the same indexes as the product (no table scans) and show
// personal data masked, as every read does.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { filingServices } from '#shared/adapters/filing-services.ts';
import { ENV, requireEnv } from '#shared/config/env.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { TABLE } from '#shared/data/table.ts';
import { maskName } from '#shared/domain/masking.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { escapeHtml, page } from '#shared/http/html.ts';
import { ROUTES } from '#shared/http/routes.ts';

const doc = createDocumentClient();

interface Page {
  contentType: string;
  body: string;
}

const json = (value: unknown): Page => ({
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value, null, 2),
});
const html = (title: string, body: string): Page => ({
  contentType: 'text/html; charset=utf-8',
  body: page(title, body),
});

/** Recent filings of every unit of every program, newest first (at most `limit` per unit). */
async function recentFilings(limit = 20) {
  const index = TABLE.indexes.filingsByUnit;
  const { repo } = filingServices();
  const rows = [];
  for (const program of PROGRAMS) {
    for (const unit of program.reportingUnits) {
      const out = await doc.send(
        new QueryCommand({
          TableName: requireEnv(ENV.tableName),
          IndexName: index.name,
          KeyConditionExpression: `${index.partitionKey} = :pk`,
          ExpressionAttributeValues: { ':pk': `PROGRAM#${program.id}#UNIT#${unit.code}` },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      for (const item of out.Items ?? []) {
        const record = await repo.get(String(item.pk).replace('FILING#', ''));
        rows.push({
          filingId: record.filingId,
          programId: record.programId,
          unit: unit.code,
          role: record.filing.role,
          name: maskName(record.filing.person.name),
          enterprise: record.filing.enterprise.name,
          state: record.state,
          version: record.version,
          submittedAt: record.createdAt,
          warnings: record.warnings.length,
        });
      }
    }
  }
  return rows.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
}

export async function inspectionPage(url: URL): Promise<Page | undefined> {
  switch (url.pathname.replace(/\/$/, '')) {
    case '/_local':
      return html(
        'Local runtime',
        `<h1>Local runtime</h1><ul>
<li><a href="/_local/filings">Filings</a> (<a href="/_local/filings.json">json</a>)</li>
<li><a href="/_local/routes.json">Routes</a></li>
<li><a href="/docs">API reference</a></li>
<li><a href="/">Filing site</a></li></ul>`,
      );
    case '/_local/routes.json':
      return json(
        ROUTES.map(({ id, method, path, handler, access }) => ({ id, method, path, handler, access })),
      );
    case '/_local/filings.json':
      return json(await recentFilings());
    case '/_local/filings': {
      const rows = await recentFilings();
      return html(
        'Filings',
        `<h1>Filings</h1><table><tr><th>filing</th><th>program</th><th>unit</th><th>role</th><th>name</th><th>enterprise</th><th>state</th><th>submitted</th></tr>${rows
          .map(
            (r) =>
              `<tr><td><code>${escapeHtml(r.filingId)}</code></td><td>${escapeHtml(r.programId)}</td><td>${escapeHtml(r.unit)}</td><td>${escapeHtml(r.role)}</td><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.enterprise)}</td><td>${escapeHtml(r.state)}</td><td>${escapeHtml(r.submittedAt)}</td></tr>`,
          )
          .join('')}</table>`,
      );
    }
    default:
      return undefined;
  }
}
