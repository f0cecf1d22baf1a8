// The consequences of a state change that leave the table (a workflow to start, a waiting task
// to answer): written as outbox items in the same transaction as the change itself, and
// delivered from the table's stream (functions/outbox/deliver.ts; locally the runtime's stream
// reader). A change that is stored always gets its consequence; one that is refused gets none.
export const OUTBOX_KINDS = ['review.start', 'review.amended'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxMessage {
  /** `review.start`: start the filing's review workflow; `review.amended`: answer its amendment wait. */
  kind: OutboxKind;
  filingId: string;
  programId: string;
}

/** An outbox message as stored and delivered: which state change (the event version) wrote it, and when. */
export interface OutboxEntry extends OutboxMessage {
  /** The version of the filing event written with it: one message of a kind per state change. */
  version: number;
  at: string;
}
