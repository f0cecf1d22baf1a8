import { describe, expect, it } from 'vitest';
import type { FilingState } from '../domain/lifecycle.ts';
import { anhuiStdDirector } from '../domain/programs/anhui-std-director.ts';
import {
  type CoverageCell,
  cellOf,
  classesOf,
  coverageCells,
  coverageRoles,
  coverageTransactItems,
  coverageWrites,
  type EnterpriseMembersItem,
  enterpriseChanges,
  type MemberChange,
  memberDelta,
  membersKey,
} from './coverage-item.ts';

const PROGRAM = anhuiStdDirector.id;
const AT = '2026-04-01T02:00:00.000Z';
const USCC_A = '91340100MA0XYW122U';
const USCC_B = '91341882MA0XYW1225';

type Enterprise = MemberChange['enterprise'];
const aboveEmerging: Enterprise = {
  uscc: USCC_A,
  categories: ['above_scale'],
  emergingIndustries: ['new_materials'],
};
const small: Enterprise = { uscc: USCC_B, categories: ['good_behavior'] };

const change = (
  enterprise: Enterprise,
  from: FilingState | null,
  to: FilingState | null,
  overrides: Partial<MemberChange> = {},
): MemberChange => ({
  programId: PROGRAM,
  enterprise,
  unit: '340100',
  role: 'director',
  from,
  to,
  at: AT,
  ...overrides,
});

/**
 * A table of EnterpriseMembers and Coverage items that applies a transaction's writes as DynamoDB would: all of them, or
 * none when a condition fails.
 */
class Store {
  members = new Map<string, EnterpriseMembersItem>();
  coverage = new Map<string, Record<string, unknown>>();

  apply(changes: readonly MemberChange[]): { members: number; coverage: number } {
    const writes = coverageWrites(enterpriseChanges(changes), (pk) => this.members.get(pk));
    for (const w of writes.members) {
      const now = this.members.get(w.key.pk);
      const ok =
        w.kind === 'check' || w.absent
          ? now === undefined
          : w.expected === undefined || now?.members === w.expected;
      if (!ok) throw new Error('ConditionalCheckFailed');
    }
    for (const w of writes.members) {
      if (w.kind === 'put') this.members.set(w.key.pk, w.item);
      if (w.kind === 'delete') this.members.delete(w.key.pk);
    }
    for (const d of writes.coverage) {
      const item = this.coverage.get(d.key.sk) ?? { unit: d.key.sk };
      for (const [cell, n] of Object.entries(d.adds)) item[`n_${cell}`] = Number(item[`n_${cell}`] ?? 0) + n;
      this.coverage.set(d.key.sk, item);
    }
    return { members: writes.members.length, coverage: writes.coverage.length };
  }

  cells(unit = '340100'): Record<CoverageCell, number> {
    return coverageCells(this.coverage.get(unit) ?? {});
  }

  total(unit = '340100'): number {
    return Object.values(this.cells(unit)).reduce((a, b) => a + b, 0);
  }
}

describe('which transitions change coverage', () => {
  it('only Anhui counts coverage, of its directors', () => {
    expect(coverageRoles(PROGRAM)).toEqual(['director']);
    expect(coverageRoles('liaoning-cso')).toEqual([]);
    expect(coverageRoles('no-such-programme')).toEqual([]);
  });

  it('entering or leaving the members’ states is ±1; anything else is 0', () => {
    const roles = ['director'];
    expect(memberDelta(change(small, 'city_review', 'registered'), roles)).toBe(1);
    expect(memberDelta(change(small, 'registered', 'removed'), roles)).toBe(-1);
    expect(memberDelta(change(small, 'registered', 'superseded'), roles)).toBe(-1);
    expect(memberDelta(change(small, 'registered', 'registered'), roles)).toBe(0);
    expect(memberDelta(change(small, 'submitted', 'city_review'), roles)).toBe(0);
    expect(memberDelta(change(small, 'city_review', 'withdrawn'), roles)).toBe(0);
    expect(memberDelta(change(small, null, 'submitted'), roles)).toBe(0);
    expect(memberDelta(change(small, 'province_review', 'in_pool'), roles)).toBe(1);
    expect(memberDelta(change(small, 'city_review', 'registered', { role: 'cso' }), roles)).toBe(0);
  });

  it('classes an enterprise by the 规上企业 category and any 战略性新兴产业', () => {
    expect(cellOf(classesOf(aboveEmerging))).toBe('above_emerging');
    expect(cellOf(classesOf({ categories: ['above_scale'] }))).toBe('above_only');
    expect(cellOf(classesOf({ categories: [], emergingIndustries: ['biology'] }))).toBe('emerging_only');
    expect(cellOf(classesOf({ categories: ['standards_leader'], emergingIndustries: [] }))).toBe('neither');
  });
});

describe('coverage counts', () => {
  it('a registration covers the enterprise: +1 in its unit and class', () => {
    const store = new Store();
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    expect(store.cells()).toEqual({ above_emerging: 1, above_only: 0, emerging_only: 0, neither: 0 });
    expect(store.members.get(membersKey(PROGRAM, USCC_A).pk)).toMatchObject({
      type: 'EnterpriseMembers',
      members: 1,
      unit: '340100',
      aboveScale: true,
      emerging: true,
    });
  });

  it('a second director of the same enterprise changes no coverage count, only its member count', () => {
    const store = new Store();
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    const writes = store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    expect(writes).toEqual({ members: 1, coverage: 0 });
    expect(store.total()).toBe(1);
    expect(store.members.get(membersKey(PROGRAM, USCC_A).pk)?.members).toBe(2);
  });

  it('removing one of two directors keeps the enterprise covered; removing the last gives the count back', () => {
    const store = new Store();
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    expect(store.apply([change(aboveEmerging, 'registered', 'removed')])).toEqual({
      members: 1,
      coverage: 0,
    });
    expect(store.total()).toBe(1);
    store.apply([change(aboveEmerging, 'registered', 'removed')]);
    expect(store.total()).toBe(0);
    expect(store.members.has(membersKey(PROGRAM, USCC_A).pk)).toBe(false);
  });

  it('a consent withdrawal (a removal) or a supersession of the last director is −1', () => {
    const store = new Store();
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    store.apply([change(small, 'city_review', 'registered', { unit: '341882' })]);
    expect(store.total()).toBe(1);
    expect(store.total('341882')).toBe(1);
    // The director moves from enterprise A to B: B's new filing is registered and A's superseded, in one transaction.
    store.apply([
      change(small, 'city_review', 'registered', { unit: '341882' }),
      change(aboveEmerging, 'registered', 'superseded'),
    ]);
    expect(store.total()).toBe(0);
    expect(store.total('341882')).toBe(1);
    expect(store.members.get(membersKey(PROGRAM, USCC_B).pk)?.members).toBe(2);
    store.apply([change(small, 'registered', 'removed', { unit: '341882' })]);
    store.apply([change(small, 'registered', 'removed', { unit: '341882' })]);
    expect(store.cells('341882')).toEqual({ above_emerging: 0, above_only: 0, emerging_only: 0, neither: 0 });
  });

  it('gives back the count it took: a later director declaring other classes does not move the enterprise', () => {
    const store = new Store();
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    store.apply([
      change({ ...aboveEmerging, categories: [], emergingIndustries: [] }, 'city_review', 'registered'),
    ]);
    store.apply([change(aboveEmerging, 'registered', 'removed')]);
    expect(store.cells().above_emerging).toBe(1);
    store.apply([change({ ...aboveEmerging, categories: [] }, 'registered', 'removed')]);
    expect(store.cells()).toEqual({ above_emerging: 0, above_only: 0, emerging_only: 0, neither: 0 });
  });

  it('one enterprise entering and leaving in one transaction writes its item once and no coverage', () => {
    const store = new Store();
    store.apply([change(aboveEmerging, 'city_review', 'registered')]);
    const changes = enterpriseChanges([
      change(aboveEmerging, 'city_review', 'registered'),
      change(aboveEmerging, 'registered', 'superseded'),
    ]);
    expect(changes).toEqual([]);
  });

  it('a member leaving an enterprise never counted (before the backfill) changes nothing, under a check', () => {
    const store = new Store();
    const writes = coverageWrites(
      enterpriseChanges([change(small, 'registered', 'removed')]),
      () => undefined,
    );
    expect(writes.coverage).toEqual([]);
    expect(writes.members).toEqual([{ kind: 'check', key: membersKey(PROGRAM, USCC_B) }]);
    store.apply([change(small, 'registered', 'removed')]);
    expect(store.total()).toBe(0);
  });

  it('a Liaoning transition writes nothing', () => {
    expect(
      enterpriseChanges([
        change(aboveEmerging, 'province_review', 'in_pool', { programId: 'liaoning-cso', role: 'cso' }),
      ]),
    ).toEqual([]);
  });
});

describe('the transaction items', () => {
  it('are conditional on the member count read (or on the item’s absence); coverage is added per unit', () => {
    const before: EnterpriseMembersItem = {
      ...membersKey(PROGRAM, USCC_A),
      type: 'EnterpriseMembers',
      programId: PROGRAM,
      members: 1,
      unit: '340100',
      aboveScale: true,
      emerging: true,
      since: AT,
    };
    const writes = coverageWrites(
      enterpriseChanges([
        change(aboveEmerging, 'registered', 'removed'),
        change(small, 'city_review', 'registered'),
      ]),
      (pk) => (pk === before.pk ? before : undefined),
    );
    const items = coverageTransactItems('t', writes);
    expect(items[0]).toEqual({
      Delete: {
        TableName: 't',
        Key: membersKey(PROGRAM, USCC_A),
        ConditionExpression: 'members = :had',
        ExpressionAttributeValues: { ':had': 1 },
      },
    });
    expect(items[1]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[1]?.Put?.Item).toMatchObject({
      members: 1,
      unit: '340100',
      aboveScale: false,
      emerging: false,
    });
    expect(items[2]).toEqual({
      Update: {
        TableName: 't',
        Key: { pk: `COVERAGE#${PROGRAM}`, sk: '340100' },
        UpdateExpression: 'SET #type = :type, #unit = :unit ADD #a0 :v0, #a1 :v1',
        ExpressionAttributeNames: {
          '#type': 'type',
          '#unit': 'unit',
          '#a0': 'n_above_emerging',
          '#a1': 'n_neither',
        },
        ExpressionAttributeValues: { ':type': 'Coverage', ':unit': '340100', ':v0': -1, ':v1': 1 },
      },
    });
    expect(items).toHaveLength(3);
  });
});
