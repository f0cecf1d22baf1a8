// Item type Outbox: a consequence of a state change, on the filing's partition
// (`FILING#<id>` / `OUTBOX#<version>#<kind>`), put in the transaction that writes the change's
// event (so it exists exactly when the change does). Its key follows from the change, so a
// retried transaction writes the same item. Nothing reads it back: the table's stream carries
// its INSERT to the delivery function, which filters on `type` and `kind` (OUTBOX_FILTERS).
// The TTL removes it after a month (its REMOVE record is filtered out).
import { OUTBOX_KINDS, type OutboxEntry, type OutboxKind } from '../ports/outbox.ts';
import { TABLE } from './table.ts';

export const OUTBOX_PREFIX = 'OUTBOX#';
export const OUTBOX_TYPE = 'Outbox';
const KEEP_SECONDS = 30 * 86_400;

export const outboxKey = (filingId: string, version: number, kind: OutboxKind) => ({
  pk: `FILING#${filingId}`,
  sk: `${OUTBOX_PREFIX}${String(version).padStart(6, '0')}#${kind}`,
});

export interface OutboxItem extends OutboxEntry {
  pk: string;
  sk: string;
  type: typeof OUTBOX_TYPE;
  expiresAt: number;
}

export function toOutboxItem(entry: OutboxEntry): OutboxItem {
  return {
    ...outboxKey(entry.filingId, entry.version, entry.kind),
    type: OUTBOX_TYPE,
    kind: entry.kind,
    filingId: entry.filingId,
    programId: entry.programId,
    version: entry.version,
    at: entry.at,
    [TABLE.ttlAttribute]: Math.floor(Date.parse(entry.at) / 1000) + KEEP_SECONDS,
  } as OutboxItem;
}

/** The entry an item (a stream record's new image, unmarshalled) holds; undefined when it is none. */
export function fromOutboxItem(item: Record<string, unknown> | undefined): OutboxEntry | undefined {
  if (!item || item.type !== OUTBOX_TYPE) return undefined;
  const kind = OUTBOX_KINDS.find((k) => k === item.kind);
  const { filingId, programId, version, at } = item;
  if (!kind || typeof filingId !== 'string' || typeof programId !== 'string') return undefined;
  if (typeof version !== 'number' || typeof at !== 'string') return undefined;
  return { kind, filingId, programId, version, at };
}

/**
 * The event-source filters, one per kind (Lambda's filter-pattern syntax on the stream record):
 * only the INSERT of an outbox item of that kind invokes the delivery function. The local stream
 * reader applies the same patterns (matchesFilter).
 */
export const OUTBOX_FILTERS: Record<OutboxKind, Record<string, unknown>> = Object.fromEntries(
  OUTBOX_KINDS.map((kind) => [
    kind,
    {
      eventName: ['INSERT'],
      dynamodb: { NewImage: { type: { S: [OUTBOX_TYPE] }, kind: { S: [kind] } } },
    },
  ]),
) as unknown as Record<OutboxKind, Record<string, unknown>>;

/**
 * Whether a stream record matches a filter pattern, for the subset of the syntax OUTBOX_FILTERS
 * uses: nested objects, and arrays of the values a field may equal.
 */
export function matchesFilter(record: unknown, pattern: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, wanted]) => {
    const value = (record as Record<string, unknown> | null | undefined)?.[field];
    if (Array.isArray(wanted)) return wanted.includes(value);
    return matchesFilter(value, wanted as Record<string, unknown>);
  });
}
