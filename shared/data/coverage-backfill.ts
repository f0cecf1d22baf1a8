// Gives the enterprises of a coverage programme (Anhui) the member counts and the units the coverage counts they would
// have had, had coverage been kept since their first filing (coverage-item.ts): computed once from the current
// filings. The enterprise index (enterprise-item.ts, backfilled first) lists each enterprise's active filings; for
// each filing of a coverage role, its latest event says whether it is a member. Each enterprise is then reconciled in
// one transaction: its EnterpriseMembers item set to the true number (conditional on the number read, or on its
// absence), the unit's Coverage count moved only when the enterprise changes between covered and not, and a check that
// each member counted has no later event. A transition that lands meanwhile makes that transaction fail: the
// enterprise is counted as raced, and a second run settles it. Idempotent: a run over settled data writes nothing.
// `npm run backfill` runs it on a deployed table, after the enterprise index backfill.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { MEMBER_STATES } from '../domain/lifecycle.ts';
import { PROGRAMS } from '../domain/programs/index.ts';
import type { Program } from '../domain/programs/program.ts';
import {
  type CoverageDelta,
  cellOf,
  classesOf,
  coverageKey,
  coverageRoles,
  coverageTransactItems,
  type EnterpriseMembersItem,
  MEMBERS_SK,
  type MembersWrite,
} from './coverage-item.ts';
import { ENTERPRISE_FILING_PREFIX } from './enterprise-item.ts';
import { bodyKey, type FilingBodyItem } from './filing-body-item.ts';
import { EVENT_PREFIX, eventKey, fromEventItem } from './filing-event-item.ts';

export interface CoverageBackfillResult {
  /** Enterprises of coverage programmes looked at. */
  enterprises: number;
  /** Enterprises whose member count or coverage was corrected. */
  corrected: number;
  /** Enterprises whose reconciliation lost a race with a transition (run again). */
  raced: number;
}

interface Member {
  filingId: string;
  version: number;
  at: string;
}

export async function backfillCoverage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  programs: readonly Program[] = PROGRAMS,
): Promise<CoverageBackfillResult> {
  const result: CoverageBackfillResult = { enterprises: 0, corrected: 0, raced: 0 };
  // Every enterprise partition of a coverage programme: its coverage-role filings and whether it has a member item.
  const enterprises = new Map<string, { programId: string; filings: string[] }>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :enterprise) AND (begins_with(sk, :filing) OR sk = :members)',
        ProjectionExpression: 'pk, sk, filingId, #role',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: {
          ':enterprise': 'ENTERPRISE#',
          ':filing': ENTERPRISE_FILING_PREFIX,
          ':members': MEMBERS_SK,
        },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const pk = String(item.pk);
      const programId = pk.split('#')[1] ?? '';
      const roles = coverageRoles(programId, programs);
      if (roles.length === 0) continue;
      const entry = enterprises.get(pk) ?? { programId, filings: [] };
      if (item.sk !== MEMBERS_SK && roles.includes(String(item.role)))
        entry.filings.push(String(item.filingId));
      enterprises.set(pk, entry);
    }
    start = out.LastEvaluatedKey;
  } while (start);

  for (const [pk, { programId, filings }] of enterprises) {
    result.enterprises++;
    const members: Member[] = [];
    for (const filingId of filings) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `FILING#${filingId}`, ':prefix': EVENT_PREFIX },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const last = out.Items?.[0] ? fromEventItem(out.Items[0]) : undefined;
      if (last && MEMBER_STATES.includes(last.to))
        members.push({ filingId, version: last.version, at: last.at });
    }
    const key = { pk, sk: MEMBERS_SK };
    const found = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    const before = found.Item as EnterpriseMembersItem | undefined;
    const had = before?.members ?? 0;
    if (had === members.length && (before !== undefined) === members.length > 0) continue;

    let write: MembersWrite;
    const coverage: CoverageDelta[] = [];
    const guard = before ? { expected: had } : { absent: true as const };
    if (members.length === 0) {
      write = { kind: 'delete', key, ...guard };
      if (before && had > 0)
        coverage.push({ key: coverageKey(programId, before.unit), adds: { [cellOf(before)]: -1 } });
    } else {
      let counted = before;
      if (!counted) {
        // Counted under the member registered first, as if coverage had been kept from then.
        const first = [...members].sort(
          (a, b) => a.at.localeCompare(b.at) || a.filingId.localeCompare(b.filingId),
        )[0];
        const body = first
          ? ((
              await doc.send(
                new GetCommand({ TableName: tableName, Key: bodyKey(first.filingId), ConsistentRead: true }),
              )
            ).Item as FilingBodyItem | undefined)
          : undefined;
        if (!first || !body) {
          result.raced++;
          continue;
        }
        counted = {
          ...key,
          type: 'EnterpriseMembers',
          programId,
          members: members.length,
          unit: body.unit,
          ...classesOf(body.filing.enterprise),
          since: first.at,
        };
      }
      write = { kind: 'put', key, item: { ...counted, members: members.length }, ...guard };
      if (had === 0)
        coverage.push({ key: coverageKey(programId, counted.unit), adds: { [cellOf(counted)]: 1 } });
    }
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...members.map((m) => ({
              ConditionCheck: {
                TableName: tableName,
                Key: eventKey(m.filingId, m.version + 1),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            ...coverageTransactItems(tableName, { members: [write], coverage }),
          ],
        }),
      );
      result.corrected++;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      result.raced++;
    }
  }
  return result;
}
