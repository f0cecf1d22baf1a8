// Item type Counter: what the reports read instead of the filings. One item per program ×
// year × reporting unit × role holds, for that year, the net change of each state's count
// (`n_<state>`) and the monthly entries into the states the trend shows (`m<MM>_<state>`).
// A state's count at a date is the sum of its net changes over the years so far, so one
// transition updates exactly one small item and a report reads a few hundred at most,
// however large the pool grows.
import type { FilingState } from '../domain/lifecycle.ts';
import { STATES } from '../domain/lifecycle.ts';
import { shanghaiYearMonth } from '../domain/time.ts';

export const counterPartition = (programId: string) => `COUNTERS#${programId}`;
/**
 * Item type CounterSummary: the counters of a programme's closed years folded into one item
 * (reports/closed-years.ts, as JSON), written by the first report that needs it. It lives in a
 * partition of its own so that every reader of the counter partition sees counters only.
 */
export const counterSummaryKey = (programId: string, throughYear: string) => ({
  pk: `COUNTERSUMMARY#${programId}`,
  sk: throughYear,
});
export const counterKey = (programId: string, year: string, unit: string, role: string) => ({
  pk: counterPartition(programId),
  sk: `${year}#${unit}#${role}`,
});

/**
 * States whose monthly entries are kept: filed, included, and the two ways out of the pool
 * (removed, superseded), so that the pool at the end of any month is exact. Registration is
 * the inclusion of a programme whose review ends at the city, so its entries are kept too.
 */
export const TREND_STATES: readonly FilingState[] = [
  'submitted',
  'in_pool',
  'registered',
  'removed',
  'superseded',
];

export interface CounterDelta {
  key: { pk: string; sk: string };
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, number | string>;
}

export interface CounterChange {
  programId: string;
  unit: string;
  role: string;
  /** null when the filing enters this unit × role (creation, or moved here by an amendment). */
  from: FilingState | null;
  /** null when the filing leaves this unit × role (moved away by an amendment). */
  to: FilingState | null;
  at: string;
}

function counterAdds(input: CounterChange): [string, number][] {
  const { month } = shanghaiYearMonth(input.at);
  const adds: [string, number][] = [];
  if (input.from !== input.to) {
    if (input.from) adds.push([`n_${input.from}`, -1]);
    if (input.to) adds.push([`n_${input.to}`, 1]);
    if (input.to && TREND_STATES.includes(input.to)) adds.push([`m${month}_${input.to}`, 1]);
  }
  return adds;
}

/** The counter update for one transition, or undefined when no count changes. */
export function counterDelta(input: CounterChange): CounterDelta | undefined {
  return counterDeltas([input])[0];
}

/**
 * The counter updates for transitions written in one transaction, one per counter item: a
 * transaction may touch an item only once, and a later filing that supersedes an earlier one
 * of the same unit and role changes the same counter twice.
 */
export function counterDeltas(changes: readonly CounterChange[]): CounterDelta[] {
  const byItem = new Map<string, { change: CounterChange; adds: Map<string, number> }>();
  for (const change of changes) {
    const { year } = shanghaiYearMonth(change.at);
    const id = `${change.programId}#${year}#${change.unit}#${change.role}`;
    const entry = byItem.get(id) ?? { change, adds: new Map<string, number>() };
    for (const [attr, n] of counterAdds(change)) entry.adds.set(attr, (entry.adds.get(attr) ?? 0) + n);
    byItem.set(id, entry);
  }
  const deltas: CounterDelta[] = [];
  for (const { change, adds } of byItem.values()) {
    const nonZero = [...adds].filter(([, n]) => n !== 0);
    if (nonZero.length > 0) deltas.push(updateOf(change, nonZero));
  }
  return deltas;
}

function updateOf(input: CounterChange, adds: readonly [string, number][]): CounterDelta {
  const { year } = shanghaiYearMonth(input.at);
  const names: Record<string, string> = {
    '#type': 'type',
    '#unit': 'unit',
    '#role': 'role',
    '#year': 'year',
  };
  const values: Record<string, number | string> = {
    ':type': 'Counter',
    ':unit': input.unit,
    ':role': input.role,
    ':year': year,
  };
  const parts = adds.map(([attr, n], i) => {
    names[`#a${i}`] = attr;
    values[`:v${i}`] = n;
    return `#a${i} :v${i}`;
  });
  return {
    key: counterKey(input.programId, year, input.unit, input.role),
    UpdateExpression: `SET #type = :type, #unit = :unit, #role = :role, #year = :year ADD ${parts.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export type StateCounts = Record<FilingState, number>;

export function emptyCounts(): StateCounts {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as StateCounts;
}

/** Current counts per `unit#role`, summed over the yearly counter items up to a year. */
export function sumCounters(items: Record<string, unknown>[], upToYear = '9999'): Map<string, StateCounts> {
  const totals = new Map<string, StateCounts>();
  for (const item of items) {
    if (String(item.year) > upToYear) continue;
    const key = `${String(item.unit)}#${String(item.role)}`;
    const counts = totals.get(key) ?? emptyCounts();
    for (const state of STATES) {
      const n = item[`n_${state}`];
      if (typeof n === 'number') counts[state] += n;
    }
    totals.set(key, counts);
  }
  return totals;
}
