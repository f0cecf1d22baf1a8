// The one place mail leaves the system: each stream record of a queued message (data/mail-item.ts)
// is claimed, sent through the stage's relay and marked sent. Delivery is at least once (a
// failed record is retried, a restarted local reader re-reads), so a message already sent is
// skipped, and one another delivery holds is retried later. A relay that refuses fails the
// record: the message is given back and the stream retries it, from that record on.
import type { MailQueue } from '../../ports/mail-queue.ts';
import type { Mailer } from '../../ports/mailer.ts';

/**
 * How long a delivery holds a message: longer than a relay may take to answer (the SMTP bounds
 * add up to 50 s), and short, because a delivery that died holding one holds back the mail
 * after it on the stream until the hold runs out.
 */
export const MAIL_HOLD_MS = 60_000;

export interface SendMailDeps {
  queue: MailQueue;
  /** The stage's relay (SES, SMTP, or the local outbox). */
  relay: Mailer;
}

/** A stream record of a queued message: its sequence number and the message id its new image names. */
export interface MailRecord {
  sequenceNumber: string;
  id: string | undefined;
  kind: string | undefined;
}

export type MailOutcome = 'sent' | 'already_sent' | 'missing';

export async function sendQueuedMail(deps: SendMailDeps, id: string): Promise<MailOutcome> {
  const claim = await deps.queue.claim(id, MAIL_HOLD_MS);
  if (claim.state === 'sent') return 'already_sent';
  if (claim.state === 'missing') return 'missing';
  if (claim.state === 'held')
    throw Object.assign(new Error(`mail ${id} is being sent by another delivery`), {
      name: 'MailHeld',
    });
  let relayId: string;
  try {
    relayId = (await deps.relay.send(claim.message)).messageId;
  } catch (error) {
    await deps.queue.release(id);
    throw error;
  }
  await deps.queue.markSent(id, relayId);
  return 'sent';
}

export interface MailDeliveryReport {
  sent: { id: string; kind: string; outcome: MailOutcome }[];
  /** The first record that failed: it and every later one of the batch are delivered again. */
  failed?: { sequenceNumber: string; id: string; kind: string; error: Error };
}

/** Sends a batch in order and stops at the first failure (the stream retries from it). */
export async function sendMailRecords(
  deps: SendMailDeps,
  records: readonly MailRecord[],
): Promise<MailDeliveryReport> {
  const sent: MailDeliveryReport['sent'] = [];
  for (const record of records) {
    if (!record.id) continue;
    const kind = record.kind ?? 'unknown';
    try {
      sent.push({ id: record.id, kind, outcome: await sendQueuedMail(deps, record.id) });
    } catch (error) {
      return {
        sent,
        failed: { sequenceNumber: record.sequenceNumber, id: record.id, kind, error: error as Error },
      };
    }
  }
  return { sent };
}
