// The Mailer every function but the mailer uses: a message is queued in the table (a Mail item)
// and the table's stream hands it to the one mailer function, which sends it (functions/outbox/
// mail.ts). So no other function holds a relay's credentials or bundles a mail library, a relay
// that refuses delays mail without failing the step that wrote it, and a message handed over
// twice (a retried step) is mailed once.
import { requireEnv, TABLE_NAME_ENV } from '../../config/env.ts';
import { createDocumentClient } from '../../data/client.ts';
import { createMailStore } from '../../data/mail-store.ts';
import type { MailQueue } from '../../ports/mail-queue.ts';
import type { Mailer } from '../../ports/mailer.ts';

export function queuedMailer(queue?: MailQueue): Mailer {
  let built = queue;
  return {
    async send(message) {
      if (message.to.length === 0) throw new Error(`mail of kind ${message.kind} has no recipients`);
      built ??= createMailStore({ doc: createDocumentClient(), tableName: requireEnv(TABLE_NAME_ENV) });
      return { messageId: await built.queue(message) };
    },
  };
}
