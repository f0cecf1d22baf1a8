// Queued mail on DynamoDB Local: a message handed over twice is one item; the mailer function,
// given the same stream record twice (or twice at once), sends it once; a relay that refuses
// leaves it queued for the next delivery; the sent message keeps no content.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { readOutbox } from '#shared/adapters/mail/mailer.ts';
import { queuedMailer } from '#shared/adapters/mail/queued-mailer.ts';
import { MAIL_FILTER, mailKey, messageOf, toMailItem } from '#shared/data/mail-item.ts';
import { createMailStore } from '#shared/data/mail-store.ts';
import { matchesFilter } from '#shared/data/outbox-item.ts';
import type { MailMessage } from '#shared/ports/mailer.ts';
import { sendQueuedMail } from '#shared/use-cases/outbox/send-mail.ts';
import { freshTable, scanAll } from '../support/ddb.ts';

const message = (n: number, extra: Partial<MailMessage> = {}): MailMessage => ({
  to: [`reviewer${n}@shenyang.example.cn`],
  subject: `请审核备案 F00000000000${n}`,
  text: `审核链接 https://api.example.cn/review/token-${n}`,
  html: `<p>审核链接</p>`,
  kind: 'review_request',
  links: [`https://api.example.cn/review/token-${n}`],
  ...extra,
});

/** The stream record of an item's INSERT, as Lambda passes it. */
function insertRecord(
  item: Record<string, unknown>,
  sequence: string,
): DynamoDBStreamEvent['Records'][number] {
  return {
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
    },
  };
}

let table: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  table = await freshTable();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the mail queue', () => {
  it('keeps one item per message id however often a message is handed over, and lets only its INSERT through the filter', async () => {
    const store = createMailStore({ doc: table.doc, tableName: table.tableName });
    const first = await store.queue(message(1, { id: 'F1#received' }));
    const again = await store.queue(message(1, { id: 'F1#received', subject: 'changed' }));
    expect(again).toBe(first);
    const items = (await scanAll(table.doc, table.tableName)).filter((i) => i.pk === mailKey(first).pk);
    expect(items).toHaveLength(1);
    expect(messageOf(items[0] as never)?.subject).toBe('请审核备案 F000000000001');
    // Without an id, the same content is the same message; other content another one.
    expect(await store.queue(message(2))).toBe(await store.queue(message(2)));
    expect(await store.queue(message(3))).not.toBe(await store.queue(message(2)));
    const record = insertRecord(items[0] as Record<string, unknown>, '1');
    expect(matchesFilter(record, MAIL_FILTER)).toBe(true);
    expect(matchesFilter({ ...record, eventName: 'MODIFY' }, MAIL_FILTER)).toBe(false);
  });

  it('keeps a report’s attachments whole through the queue', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const item = toMailItem(
      message(4, {
        attachments: [
          { filename: 'report.csv', content: '单位,人数\n沈阳,12\n', contentType: 'text/csv' },
          { filename: 'chart.png', content: bytes, contentType: 'image/png' },
        ],
      }),
      new Date(),
    );
    const back = messageOf(item);
    expect(back?.attachments?.[0]?.content).toBe('单位,人数\n沈阳,12\n');
    expect(back?.attachments?.[1]?.content).toEqual(bytes);
  });

  it('refuses a message too large for an item, naming its kind', () => {
    const noise = Array.from({ length: 400_000 }, (_, i) =>
      String.fromCharCode(0x4e00 + ((i * 7919) % 20000)),
    ).join('');
    expect(() => toMailItem(message(5, { html: noise, kind: 'target_report' }), new Date())).toThrow(
      'target_report',
    );
  });
});

describe('the mailer function', () => {
  it('sends a record delivered twice, and twice at once, exactly once, and keeps no content once sent', async () => {
    const store = createMailStore({ doc: table.doc, tableName: table.tableName });
    const sent: MailMessage[] = [];
    const relay = {
      async send(m: MailMessage) {
        sent.push(m);
        return { messageId: `relay-${sent.length}` };
      },
    };
    const id = await queuedMailer(store).send(message(6, { id: 'F6#received' }));
    const outcomes = await Promise.all([
      sendQueuedMail({ queue: store, relay }, id.messageId).catch((e: Error) => e.name),
      sendQueuedMail({ queue: store, relay }, id.messageId).catch((e: Error) => e.name),
    ]);
    // One delivery sent it; the other found it held (and is retried) or already sent.
    expect(outcomes).toContain('sent');
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(await sendQueuedMail({ queue: store, relay }, id.messageId)).toBe('already_sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.id).toBe(id.messageId);
    const item = (
      await table.doc.send(new GetCommand({ TableName: table.tableName, Key: mailKey(id.messageId) }))
    ).Item;
    expect(item).toMatchObject({ sentAt: expect.any(String), relayId: 'relay-1' });
    expect(item).not.toHaveProperty('body');
  });

  it('gives a message back when the relay refuses, and sends it on the next delivery', async () => {
    const store = createMailStore({ doc: table.doc, tableName: table.tableName });
    let refuse = true;
    const sent: string[] = [];
    const relay = {
      async send(m: MailMessage) {
        if (refuse) throw Object.assign(new Error('421 try again later'), { name: 'SmtpRefused' });
        sent.push(m.subject);
        return { messageId: 'relay' };
      },
    };
    const { messageId } = await queuedMailer(store).send(message(7));
    await expect(sendQueuedMail({ queue: store, relay }, messageId)).rejects.toThrow('421');
    refuse = false;
    expect(await sendQueuedMail({ queue: store, relay }, messageId)).toBe('sent');
    expect(sent).toEqual(['请审核备案 F000000000007']);
  });

  it('as the stream invokes it: the handler sends a record given twice once, to the stage’s relay (the local outbox)', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'mailer-'));
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('MAIL_TRANSPORT', 'outbox');
    vi.stubEnv('OUTBOX_DIR', outboxDir);
    vi.stubEnv('MAIL_FROM', '辽宁省首席标准官备案 <noreply@liaoning-cso.example.cn>');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', inject('dynamodbEndpoint'));
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const store = createMailStore({ doc: table.doc, tableName: table.tableName });
    const { messageId } = await queuedMailer(store).send(message(8, { id: 'F8#city_approved#0' }));
    const item = (
      await table.doc.send(new GetCommand({ TableName: table.tableName, Key: mailKey(messageId) }))
    ).Item as Record<string, unknown>;
    vi.resetModules();
    const { handler } = await import('#functions/outbox/mail.ts');
    const event = { Records: [insertRecord(item, '10'), insertRecord(item, '11')] };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    const mails = await readOutbox(outboxDir);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      id: messageId,
      kind: 'review_request',
      to: ['reviewer8@shenyang.example.cn'],
    });
  });
});
