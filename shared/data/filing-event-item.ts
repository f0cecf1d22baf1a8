// Item type FilingEvent: the immutable audit trail, one item per transition. The latest
// event is the filing's current state: a transition appends event v+1 on the condition that
// it does not exist yet, which is the optimistic lock on "expected state and version".
import type { FilingEvent } from '../ports/filings.ts';

const pad = (version: number) => String(version).padStart(6, '0');

export const eventKey = (filingId: string, version: number) => ({
  pk: `FILING#${filingId}`,
  sk: `EVENT#${pad(version)}`,
});
export const EVENT_PREFIX = 'EVENT#';

export interface FilingEventItem extends FilingEvent {
  pk: string;
  sk: string;
  type: 'FilingEvent';
  /** Identifies the request that wrote the event, so a retry can recognise its own write. */
  requestId: string;
}

export function toEventItem(event: FilingEvent, requestId: string): FilingEventItem {
  return { ...eventKey(event.filingId, event.version), type: 'FilingEvent', requestId, ...event };
}

export function fromEventItem(item: Record<string, unknown>): FilingEvent {
  const {
    pk: _pk,
    sk: _sk,
    type: _type,
    requestId: _requestId,
    ...event
  } = item as unknown as FilingEventItem;
  return event;
}
