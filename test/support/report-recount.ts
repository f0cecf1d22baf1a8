// Tests only: what the target-progress report should say, recounted from every filing's
// audit events instead of the counters. The unit tests feed it generated histories, the
// integration test the events read back from DynamoDB Local.
import type { FilingState } from '#shared/domain/lifecycle.ts';
import { MEMBER_STATES, STATES } from '#shared/domain/lifecycle.ts';
import { shanghaiDate } from '#shared/domain/time.ts';
import { endOfMonth, monthFromIndex, monthIndex } from '#shared/use-cases/reports/calendar.ts';

export interface ModelEvent {
  filingId: string;
  /** Order of the event within its filing (1 = creation). */
  version: number;
  at: string;
  to: FilingState;
  unit: string;
  role: string;
}

export interface Recount {
  /** Per `unit#role`: filings received up to `monthEnd` (under the unit filed in), and states. */
  cells: Map<string, { filed: number; states: Record<FilingState, number> }>;
  /** Per month up to `monthEnd`'s: entries and the pool at the month's end. */
  trend: Map<string, { filed: number; included: number; removed: number; pool: number }>;
}

/** The states the report takes through the month: the members' (in the pool, registered) and the ways out. */
const MONTHLY: readonly FilingState[] = [...MEMBER_STATES, 'removed', 'superseded'];

/**
 * Members, removed and superseded as of `monthEnd`, the other states as of `yearEnd` (the report's two
 * bases, see target-progress.ts), trend months from `firstMonth`.
 */
export function recount(
  events: readonly ModelEvent[],
  cut: { monthEnd: string; yearEnd: string; firstMonth: string },
): Recount {
  const byFiling = new Map<string, ModelEvent[]>();
  for (const e of events) {
    const list = byFiling.get(e.filingId) ?? [];
    list.push(e);
    byFiling.set(e.filingId, list);
  }
  const cells: Recount['cells'] = new Map();
  const cell = (unit: string, role: string) => {
    const key = `${unit}#${role}`;
    const c = cells.get(key) ?? {
      filed: 0,
      states: Object.fromEntries(STATES.map((s) => [s, 0])) as Record<FilingState, number>,
    };
    cells.set(key, c);
    return c;
  };
  const dayOf = new Map(events.map((e) => [e, shanghaiDate(e.at)]));
  const stateAt = (history: readonly ModelEvent[], date: string) =>
    history.filter((e) => (dayOf.get(e) ?? '') <= date).at(-1);
  const lastMonth = cut.monthEnd.slice(0, 7);
  const months: string[] = [];
  for (let i = monthIndex(cut.firstMonth); i <= monthIndex(lastMonth); i++) months.push(monthFromIndex(i));
  const trend: Recount['trend'] = new Map(
    months.map((m) => [m, { filed: 0, included: 0, removed: 0, pool: 0 }]),
  );
  for (const unsorted of byFiling.values()) {
    const history = [...unsorted].sort((a, b) => a.version - b.version);
    const first = history[0];
    if (!first) continue;
    if ((dayOf.get(first) ?? '') <= cut.monthEnd) cell(first.unit, first.role).filed++;
    const atMonth = stateAt(history, cut.monthEnd);
    if (atMonth && MONTHLY.includes(atMonth.to)) cell(atMonth.unit, atMonth.role).states[atMonth.to]++;
    const atYear = stateAt(history, cut.yearEnd);
    if (atYear && !MONTHLY.includes(atYear.to)) cell(atYear.unit, atYear.role).states[atYear.to]++;
    let previous: FilingState | null = null;
    for (const e of history) {
      const point = trend.get((dayOf.get(e) ?? '').slice(0, 7));
      if (point) {
        if (e === first) point.filed++;
        if (MEMBER_STATES.includes(e.to) && previous !== e.to) point.included++;
        // A superseded member leaves the count, and the trend shows it as an inclusion undone.
        if (e.to === 'superseded' && previous !== 'superseded') point.included--;
        if (e.to === 'removed' && previous !== 'removed') point.removed++;
      }
      previous = e.to;
    }
    for (const month of months) {
      const end = month === lastMonth ? cut.monthEnd : endOfMonth(month);
      const at = stateAt(history, end)?.to;
      if (at && MEMBER_STATES.includes(at)) {
        const point = trend.get(month);
        if (point) point.pool++;
      }
    }
  }
  return { cells, trend };
}
