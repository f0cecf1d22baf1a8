// Enterprise coverage (Anhui's 规上 and 战略性新兴产业 enterprises with a registered director), kept as counts so the
// report reads one small item per reporting unit and never a filing. Two item types:
//
// - EnterpriseMembers, `ENTERPRISE#<programme>#<hash>` / `MEMBERS`, beside the enterprise's index entries: how many
//   members of the programme's coverage roles the enterprise has now, and the unit and classes it is counted under.
//   It exists while that number is above 0.
// - Coverage, `COVERAGE#<programme>` / `<unit>`: per unit, the enterprises with at least one such member now, in four
//   cells (规上 yes/no × 战略性新兴产业 yes/no), so a unit's totals are sums of cells and no enterprise counts twice.
//
// Every state change that makes a filing of a coverage role enter or leave the members' states writes, in the same
// transaction, the enterprise's EnterpriseMembers item conditional on the number it read (or on its absence), and adds
// to the Coverage item only when that number goes from 0 to 1 or from 1 to 0. Two reviewers registering two directors
// of one enterprise at once cannot both see 0: one transaction fails its condition and is rebuilt from a fresh read.
//
// An enterprise is counted under the unit and the classes of the filing that made it covered (the form's 规上企业
// category and whether any 战略性新兴产业 is ticked), until its last member leaves: a later member's filing that
// declares other classes does not move it, so the count it took is the count it gives back.
//
// A current-state figure: there is no yearly or monthly history, so a report as of a past date shows today's coverage
// and says so. A filing that stops being a member while its enterprise has no EnterpriseMembers item (written before
// coverage was kept, and not yet backfilled: coverage-backfill.ts) changes nothing.
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Filing } from '../domain/filing.ts';
import { type FilingState, MEMBER_STATES } from '../domain/lifecycle.ts';
import { PROGRAMS } from '../domain/programs/index.ts';
import type { Program } from '../domain/programs/program.ts';
import { enterprisePartition } from './enterprise-item.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** 规上 yes/no × 战略性新兴产业 yes/no; attribute `n_<cell>` of a Coverage item. */
export const COVERAGE_CELLS = ['above_emerging', 'above_only', 'emerging_only', 'neither'] as const;
export type CoverageCell = (typeof COVERAGE_CELLS)[number];

export const coveragePartition = (programId: string) => `COVERAGE#${programId}`;
export const coverageKey = (programId: string, unit: string) => ({
  pk: coveragePartition(programId),
  sk: unit,
});

export const MEMBERS_SK = 'MEMBERS';
export const membersKey = (programId: string, uscc: string) => ({
  pk: enterprisePartition(programId, uscc),
  sk: MEMBERS_SK,
});

export interface EnterpriseClasses {
  /** 规上企业 ticked among the enterprise's categories. */
  aboveScale: boolean;
  /** At least one 战略性新兴产业 given. */
  emerging: boolean;
}

export function classesOf(
  enterprise: Pick<Filing['enterprise'], 'categories' | 'emergingIndustries'>,
): EnterpriseClasses {
  return {
    aboveScale: enterprise.categories.includes('above_scale'),
    emerging: (enterprise.emergingIndustries?.length ?? 0) > 0,
  };
}

export function cellOf(classes: EnterpriseClasses): CoverageCell {
  if (classes.aboveScale) return classes.emerging ? 'above_emerging' : 'above_only';
  return classes.emerging ? 'emerging_only' : 'neither';
}

export interface EnterpriseMembersItem extends EnterpriseClasses {
  pk: string;
  sk: string;
  type: 'EnterpriseMembers';
  programId: string;
  /** Members of the coverage roles the enterprise has now (> 0 while the item exists). */
  members: number;
  /** The unit it is counted under. */
  unit: string;
  /** When it last became covered. */
  since: string;
}

/** The roles whose members make an enterprise covered; empty where the programme counts no coverage. */
export function coverageRoles(programId: string, programs: readonly Program[] = PROGRAMS): readonly string[] {
  return programs.find((p) => p.id === programId)?.coverage?.roles ?? [];
}

/** One filing's transition, as far as coverage cares. */
export interface MemberChange {
  programId: string;
  enterprise: Pick<Filing['enterprise'], 'uscc' | 'categories' | 'emergingIndustries'>;
  unit: string;
  role: string;
  from: FilingState | null;
  to: FilingState | null;
  at: string;
}

/** +1 when a filing of a coverage role becomes a member, −1 when it stops being one, else 0. */
export function memberDelta(change: MemberChange, roles: readonly string[]): -1 | 0 | 1 {
  if (!roles.includes(change.role)) return 0;
  const was = change.from !== null && MEMBER_STATES.includes(change.from);
  const is = change.to !== null && MEMBER_STATES.includes(change.to);
  return was === is ? 0 : is ? 1 : -1;
}

/** One enterprise's net change in a transaction, with what it is counted under should it become covered. */
export interface EnterpriseChange {
  key: { pk: string; sk: string };
  programId: string;
  delta: number;
  /** The unit and classes of the first filing entering the members' states (used only on 0 → covered). */
  entering?: { unit: string; classes: EnterpriseClasses; at: string };
}

/** The changes of one transaction merged per enterprise (a transaction may write an item only once). */
export function enterpriseChanges(
  changes: readonly MemberChange[],
  rolesOf: (programId: string) => readonly string[] = coverageRoles,
): EnterpriseChange[] {
  const byKey = new Map<string, EnterpriseChange>();
  for (const change of changes) {
    const delta = memberDelta(change, rolesOf(change.programId));
    if (delta === 0) continue;
    const key = membersKey(change.programId, change.enterprise.uscc);
    const entry = byKey.get(key.pk) ?? { key, programId: change.programId, delta: 0 };
    entry.delta += delta;
    if (delta > 0 && !entry.entering) {
      entry.entering = { unit: change.unit, classes: classesOf(change.enterprise), at: change.at };
    }
    byKey.set(key.pk, entry);
  }
  return [...byKey.values()].filter((e) => e.delta !== 0);
}

/** A Coverage item's additions, per programme × unit. */
export interface CoverageDelta {
  key: { pk: string; sk: string };
  adds: Partial<Record<CoverageCell, number>>;
}

/**
 * The writes of a transaction's enterprise changes, given each enterprise's EnterpriseMembers item as read just
 * before (undefined: absent): the EnterpriseMembers puts, deletes or checks, each conditional on what was read, and
 * the Coverage additions merged per unit. Pure, so the unit tests run it against a map.
 */
export function coverageWrites(
  changes: readonly EnterpriseChange[],
  read: (pk: string) => EnterpriseMembersItem | undefined,
): { members: MembersWrite[]; coverage: CoverageDelta[] } {
  const members: MembersWrite[] = [];
  const byUnit = new Map<string, CoverageDelta>();
  const add = (programId: string, unit: string, cell: CoverageCell, n: number) => {
    const key = coverageKey(programId, unit);
    const id = `${key.pk}#${key.sk}`;
    const entry = byUnit.get(id) ?? { key, adds: {} };
    entry.adds[cell] = (entry.adds[cell] ?? 0) + n;
    byUnit.set(id, entry);
  };
  for (const change of changes) {
    const before = read(change.key.pk);
    const had = before?.members ?? 0;
    const now = Math.max(0, had + change.delta);
    const guard = before ? { expected: had } : { absent: true as const };
    if (now === 0) {
      // Nothing stored and a member leaves: counted before coverage was kept, so nothing to give back; the check
      // still makes a concurrent first write rebuild this transaction.
      members.push(
        before ? { kind: 'delete', key: change.key, ...guard } : { kind: 'check', key: change.key },
      );
      if (before && had > 0) add(change.programId, before.unit, cellOf(before), -1);
      continue;
    }
    const counted =
      before ??
      (change.entering && {
        unit: change.entering.unit,
        aboveScale: change.entering.classes.aboveScale,
        emerging: change.entering.classes.emerging,
        since: change.entering.at,
      });
    // Leaving members only, and none stored: as above, nothing counted to change.
    if (!counted) {
      members.push({ kind: 'check', key: change.key });
      continue;
    }
    const item: EnterpriseMembersItem = {
      ...change.key,
      type: 'EnterpriseMembers',
      programId: change.programId,
      members: now,
      unit: counted.unit,
      aboveScale: counted.aboveScale,
      emerging: counted.emerging,
      since: counted.since,
    };
    members.push({ kind: 'put', key: change.key, item, ...guard });
    if (had === 0) add(change.programId, item.unit, cellOf(item), 1);
  }
  const coverage = [...byUnit.values()]
    .map((d) => ({ ...d, adds: Object.fromEntries(Object.entries(d.adds).filter(([, n]) => n !== 0)) }))
    .filter((d) => Object.keys(d.adds).length > 0);
  return { members, coverage };
}

export type MembersWrite =
  | {
      kind: 'put';
      key: { pk: string; sk: string };
      item: EnterpriseMembersItem;
      expected?: number;
      absent?: true;
    }
  | { kind: 'delete'; key: { pk: string; sk: string }; expected?: number; absent?: true }
  | { kind: 'check'; key: { pk: string; sk: string } };

/** The writes as TransactWriteItems entries: the EnterpriseMembers ones first, then the Coverage additions. */
export function coverageTransactItems(
  tableName: string,
  writes: { members: readonly MembersWrite[]; coverage: readonly CoverageDelta[] },
): TransactItem[] {
  const guard = (w: { expected?: number }) =>
    w.expected === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'members = :had',
          ExpressionAttributeValues: { ':had': w.expected },
        };
  const items: TransactItem[] = writes.members.map((w) => {
    if (w.kind === 'put') return { Put: { TableName: tableName, Item: w.item, ...guard(w) } };
    if (w.kind === 'delete') return { Delete: { TableName: tableName, Key: w.key, ...guard(w) } };
    return {
      ConditionCheck: { TableName: tableName, Key: w.key, ConditionExpression: 'attribute_not_exists(pk)' },
    };
  });
  for (const delta of writes.coverage) {
    const names: Record<string, string> = { '#type': 'type', '#unit': 'unit' };
    const values: Record<string, string | number> = { ':type': 'Coverage', ':unit': delta.key.sk };
    const parts = Object.entries(delta.adds).map(([cell, n], i) => {
      names[`#a${i}`] = `n_${cell}`;
      values[`:v${i}`] = n;
      return `#a${i} :v${i}`;
    });
    items.push({
      Update: {
        TableName: tableName,
        Key: delta.key,
        UpdateExpression: `SET #type = :type, #unit = :unit ADD ${parts.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  return items;
}

/** A Coverage item's counts per cell (absent or non-numbers: 0). */
export function coverageCells(item: Record<string, unknown>): Record<CoverageCell, number> {
  return Object.fromEntries(
    COVERAGE_CELLS.map((c) => {
      const n = item[`n_${c}`];
      return [c, typeof n === 'number' ? n : 0];
    }),
  ) as Record<CoverageCell, number>;
}
