// The messages handed over for sending (shared/data/mail-store.ts): queued by whoever tells
// people things, sent by the one mailer function, once per message id.
import type { MailMessage } from './mailer.ts';

export type MailClaim =
  | { state: 'claimed'; message: MailMessage & { id: string } }
  /** Already sent (a redelivered record): nothing to do. */
  | { state: 'sent' }
  /** Another delivery holds it now: this one is retried later. */
  | { state: 'held' }
  /** No such message (expired, or never queued): nothing to do. */
  | { state: 'missing' };

export interface MailQueue {
  /** Queues a message; the same id queued again is the same message. Returns its id. */
  queue(message: MailMessage): Promise<string>;
  /** Takes a message for sending for `holdMs`, unless it is sent or held. */
  claim(id: string, holdMs: number): Promise<MailClaim>;
  /** Records a message as sent and drops its content. */
  markSent(id: string, relayId: string): Promise<void>;
  /** Gives a claimed message back (its sending failed): the next delivery takes it. */
  release(id: string): Promise<void>;
}
