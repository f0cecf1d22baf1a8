import { describe, expect, it } from 'vitest';
import { STATES } from '../domain/lifecycle.ts';
import {
  counterDelta,
  counterKey,
  counterPartition,
  emptyCounts,
  sumCounters,
  TREND_STATES,
} from './counter-item.ts';

const base = { programId: 'liaoning-cso', unit: '210100', role: 'cso' };

describe('counter keys', () => {
  it('put one item per program × year × unit × role', () => {
    expect(counterPartition('liaoning-cso')).toBe('COUNTERS#liaoning-cso');
    expect(counterKey('liaoning-cso', '2025', '210100', 'cso')).toEqual({
      pk: 'COUNTERS#liaoning-cso',
      sk: '2025#210100#cso',
    });
  });

  it('keep the monthly trend for filed, included or registered, removed and superseded', () => {
    expect([...TREND_STATES].sort()).toEqual(['in_pool', 'registered', 'removed', 'submitted', 'superseded']);
  });
});

describe('counterDelta', () => {
  it('counts a creation and its monthly entry', () => {
    const delta = counterDelta({ ...base, from: null, to: 'submitted', at: '2025-03-10T02:00:00Z' });
    expect(delta).toEqual({
      key: { pk: 'COUNTERS#liaoning-cso', sk: '2025#210100#cso' },
      UpdateExpression: 'SET #type = :type, #unit = :unit, #role = :role, #year = :year ADD #a0 :v0, #a1 :v1',
      ExpressionAttributeNames: {
        '#type': 'type',
        '#unit': 'unit',
        '#role': 'role',
        '#year': 'year',
        '#a0': 'n_submitted',
        '#a1': 'm03_submitted',
      },
      ExpressionAttributeValues: {
        ':type': 'Counter',
        ':unit': '210100',
        ':role': 'cso',
        ':year': '2025',
        ':v0': 1,
        ':v1': 1,
      },
    });
  });

  it('moves one count from the old state to the new one', () => {
    const delta = counterDelta({
      ...base,
      from: 'city_review',
      to: 'province_review',
      at: '2025-05-01T00:00:00Z',
    });
    expect(delta?.UpdateExpression).toMatch(/ ADD #a0 :v0, #a1 :v1$/);
    expect(delta?.ExpressionAttributeNames).toMatchObject({
      '#a0': 'n_city_review',
      '#a1': 'n_province_review',
    });
    expect(delta?.ExpressionAttributeValues).toMatchObject({ ':v0': -1, ':v1': 1 });
    expect(delta?.ExpressionAttributeNames['#a2']).toBeUndefined();
  });

  it('adds the monthly entry when the new state is on the trend', () => {
    const delta = counterDelta({
      ...base,
      from: 'province_review',
      to: 'in_pool',
      at: '2025-11-20T03:00:00Z',
    });
    expect(delta?.ExpressionAttributeNames).toMatchObject({
      '#a0': 'n_province_review',
      '#a1': 'n_in_pool',
      '#a2': 'm11_in_pool',
    });
    expect(delta?.ExpressionAttributeValues).toMatchObject({ ':v0': -1, ':v1': 1, ':v2': 1 });
  });

  it('keeps the monthly entry of a registration (a programme whose review ends at the city)', () => {
    const delta = counterDelta({
      ...base,
      programId: 'anhui-std-director',
      unit: '340100',
      role: 'director',
      from: 'city_review',
      to: 'registered',
      at: '2025-06-03T03:00:00Z',
    });
    expect(delta?.key).toEqual({ pk: 'COUNTERS#anhui-std-director', sk: '2025#340100#director' });
    expect(delta?.ExpressionAttributeNames).toMatchObject({
      '#a0': 'n_city_review',
      '#a1': 'n_registered',
      '#a2': 'm06_registered',
    });
    expect(delta?.ExpressionAttributeValues).toMatchObject({ ':v0': -1, ':v1': 1, ':v2': 1 });
  });

  it('changes nothing for an assessment that keeps the person in the pool', () => {
    expect(
      counterDelta({ ...base, from: 'in_pool', to: 'in_pool', at: '2025-11-20T03:00:00Z' }),
    ).toBeUndefined();
    expect(counterDelta({ ...base, from: null, to: null, at: '2025-11-20T03:00:00Z' })).toBeUndefined();
  });

  it('only takes the count away when the filing moves to another unit or role', () => {
    const delta = counterDelta({ ...base, from: 'in_pool', to: null, at: '2025-07-01T00:00:00Z' });
    expect(delta?.ExpressionAttributeNames).toMatchObject({ '#a0': 'n_in_pool' });
    expect(delta?.ExpressionAttributeNames['#a1']).toBeUndefined();
    expect(delta?.ExpressionAttributeValues[':v0']).toBe(-1);
    expect(delta?.UpdateExpression).toMatch(/ ADD #a0 :v0$/);
  });

  it('uses the Asia/Shanghai month and year', () => {
    const february = counterDelta({
      ...base,
      from: 'province_review',
      to: 'in_pool',
      at: '2025-01-31T17:00:00Z',
    });
    expect(february?.ExpressionAttributeNames['#a2']).toBe('m02_in_pool');
    const newYear = counterDelta({ ...base, from: null, to: 'submitted', at: '2024-12-31T16:30:00Z' });
    expect(newYear?.key.sk).toBe('2025#210100#cso');
    expect(newYear?.ExpressionAttributeValues[':year']).toBe('2025');
    expect(newYear?.ExpressionAttributeNames['#a1']).toBe('m01_submitted');
    const stillOld = counterDelta({ ...base, from: null, to: 'submitted', at: '2024-12-31T15:59:59Z' });
    expect(stillOld?.key.sk).toBe('2024#210100#cso');
    expect(stillOld?.ExpressionAttributeNames['#a1']).toBe('m12_submitted');
  });
});

describe('emptyCounts', () => {
  it('has a zero for every state', () => {
    const counts = emptyCounts();
    expect(Object.keys(counts).sort()).toEqual([...STATES].sort());
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });
});

describe('sumCounters', () => {
  const items = [
    { year: '2024', unit: '210100', role: 'cso', n_submitted: 3, n_in_pool: 2, m05_in_pool: 2 },
    { year: '2025', unit: '210100', role: 'cso', n_submitted: -1, n_in_pool: 4, n_removed: 1 },
    { year: '2026', unit: '210100', role: 'cso', n_in_pool: 10 },
    { year: '2025', unit: '210200', role: 'director', n_in_pool: 1, n_unknown: 7, n_removed: 'x' },
  ];

  it('sums the net changes of all years per unit and role', () => {
    const totals = sumCounters(items);
    expect([...totals.keys()].sort()).toEqual(['210100#cso', '210200#director']);
    expect(totals.get('210100#cso')).toEqual({ ...emptyCounts(), submitted: 2, in_pool: 16, removed: 1 });
    expect(totals.get('210200#director')).toEqual({ ...emptyCounts(), in_pool: 1 });
  });

  it('stops at the given year', () => {
    expect(sumCounters(items, '2025').get('210100#cso')).toEqual({
      ...emptyCounts(),
      submitted: 2,
      in_pool: 6,
      removed: 1,
    });
    expect(sumCounters(items, '2024').get('210100#cso')).toEqual({
      ...emptyCounts(),
      submitted: 3,
      in_pool: 2,
    });
    expect(sumCounters(items, '2024').has('210200#director')).toBe(false);
    expect(sumCounters(items, '2023').size).toBe(0);
  });

  it('returns an empty map for no items', () => {
    expect(sumCounters([]).size).toBe(0);
  });

  it('agrees with a replay of the deltas', () => {
    const steps: [
      Parameters<typeof counterDelta>[0]['from'],
      Parameters<typeof counterDelta>[0]['to'],
      string,
    ][] = [
      [null, 'submitted', '2024-03-01T00:00:00Z'],
      ['submitted', 'city_review', '2024-03-02T00:00:00Z'],
      ['city_review', 'province_review', '2024-12-31T17:00:00Z'],
      ['province_review', 'in_pool', '2025-02-01T00:00:00Z'],
      ['in_pool', 'in_pool', '2025-11-15T00:00:00Z'],
    ];
    const store = new Map<string, Record<string, unknown>>();
    for (const [from, to, at] of steps) {
      const delta = counterDelta({ ...base, from, to, at });
      if (!delta) continue;
      const item = store.get(delta.key.sk) ?? {
        year: delta.ExpressionAttributeValues[':year'],
        unit: base.unit,
        role: base.role,
      };
      for (const [name, attr] of Object.entries(delta.ExpressionAttributeNames)) {
        if (!name.startsWith('#a')) continue;
        const value = delta.ExpressionAttributeValues[`:v${name.slice(2)}`];
        item[attr] = Number(item[attr] ?? 0) + Number(value);
      }
      store.set(delta.key.sk, item);
    }
    expect([...store.keys()].sort()).toEqual(['2024#210100#cso', '2025#210100#cso']);
    expect(sumCounters([...store.values()]).get('210100#cso')).toEqual({ ...emptyCounts(), in_pool: 1 });
    // The approval at 2024-12-31T17:00Z is already 2025 in Shanghai: at the end of 2024 the
    // filing was still under city review.
    expect(sumCounters([...store.values()], '2024').get('210100#cso')).toEqual({
      ...emptyCounts(),
      city_review: 1,
    });
  });
});
