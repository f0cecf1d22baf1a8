// Item type Mail: a message handed over for sending (`MAIL#<id>` / `MAIL`). The functions that
// tell people things write it (a conditional put: the same id twice is one item) and return; the
// table's stream carries its INSERT to the one mailer function (functions/outbox/mail.ts), which
// claims it, sends it through the stage's relay and marks it sent, dropping the message itself
// (its links are review links, its text names people). The TTL removes it after a month.
// The message is kept gzipped: report mails carry their HTML and CSV, which must fit in an item.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { MailMessage } from '../ports/mailer.ts';
import { TABLE } from './table.ts';

export const MAIL_TYPE = 'Mail';
const KEEP_SECONDS = 30 * 86_400;
/** DynamoDB's item limit is 400 KB: the gzipped message stays well under it with its keys. */
export const MAX_MAIL_BYTES = 350 * 1024;

export const mailKey = (id: string) => ({ pk: `MAIL#${id}`, sk: 'MAIL' });

export interface MailItem {
  pk: string;
  sk: string;
  type: typeof MAIL_TYPE;
  id: string;
  /** The message's kind (review_request, reminder, …): for logs and metrics, never its content. */
  kind: string;
  at: string;
  /** The gzipped message (JSON); removed once it is sent. */
  body?: Uint8Array;
  /** Until when a delivery holds the message (epoch ms): another one waits. */
  claimedUntil?: number;
  sentAt?: string;
  /** The relay's id for the message, once sent. */
  relayId?: string;
  expiresAt: number;
}

/** The id a message is mailed under: its own, or one made from what it says and to whom. */
export function mailId(message: MailMessage): string {
  const basis = message.id ?? JSON.stringify([message.kind, message.to, message.subject, message.text]);
  return createHash('sha256').update(basis).digest('hex').slice(0, 32);
}

interface StoredAttachment {
  filename: string;
  contentType: string;
  text?: string;
  base64?: string;
}

export function toMailItem(message: MailMessage, at: Date): MailItem {
  const id = mailId(message);
  const attachments: StoredAttachment[] | undefined = message.attachments?.map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    ...(typeof a.content === 'string'
      ? { text: a.content }
      : { base64: Buffer.from(a.content).toString('base64') }),
  }));
  const body = gzipSync(JSON.stringify({ ...message, id, ...(attachments ? { attachments } : {}) }));
  if (body.length > MAX_MAIL_BYTES) {
    throw new Error(`mail of kind ${message.kind} is ${body.length} bytes gzipped, over ${MAX_MAIL_BYTES}`);
  }
  return {
    ...mailKey(id),
    type: MAIL_TYPE,
    id,
    kind: message.kind,
    at: at.toISOString(),
    body,
    [TABLE.ttlAttribute]: Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
  } as MailItem;
}

/** The message an item holds (with its id); undefined once sent (the body is gone). */
export function messageOf(item: Pick<MailItem, 'body'>): (MailMessage & { id: string }) | undefined {
  if (!item.body) return undefined;
  const stored = JSON.parse(gunzipSync(item.body).toString('utf8')) as Omit<MailMessage, 'attachments'> & {
    id: string;
    attachments?: StoredAttachment[];
  };
  const { attachments, ...rest } = stored;
  return {
    ...rest,
    ...(attachments
      ? {
          attachments: attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.text ?? new Uint8Array(Buffer.from(a.base64 ?? '', 'base64')),
          })),
        }
      : {}),
  };
}

/** The mailer function's event-source filter: only the INSERT of a mail item invokes it. */
export const MAIL_FILTER: Record<string, unknown> = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { type: { S: [MAIL_TYPE] } } },
};
