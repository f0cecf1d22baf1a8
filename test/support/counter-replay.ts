// Tests only: the counter records a list of state changes leaves behind, applied exactly as the
// repository applies its ADDs (shared/data/counter-item.ts), so the report's unit tests can feed
// the use cases generated histories without a table.
import { type CounterChange, counterDelta } from '#shared/data/counter-item.ts';
import { fromCounterItem } from '#shared/data/counter-reader.ts';
import type { CounterRecord } from '#shared/ports/counters.ts';

/** One filing's transition within a programme given apart. */
export type Change = Omit<CounterChange, 'programId'>;

/** The counter items a list of transitions leaves behind, applied exactly as the repository's ADDs. */
export function replayCounters(changes: readonly Change[], programId = 'liaoning-cso'): CounterRecord[] {
  const items = new Map<string, Record<string, unknown>>();
  for (const change of changes) {
    const delta = counterDelta({ programId, ...change });
    if (!delta) continue;
    const item = items.get(delta.key.sk) ?? {
      year: delta.ExpressionAttributeValues[':year'],
      unit: change.unit,
      role: change.role,
    };
    for (const [name, attr] of Object.entries(delta.ExpressionAttributeNames)) {
      if (!name.startsWith('#a')) continue;
      item[attr] = Number(item[attr] ?? 0) + Number(delta.ExpressionAttributeValues[`:v${name.slice(2)}`]);
    }
    items.set(delta.key.sk, item);
  }
  return [...items.values()].map(fromCounterItem);
}

/** Noon in Shanghai on a date. */
export const noon = (date: string) => `${date}T04:00:00Z`;
