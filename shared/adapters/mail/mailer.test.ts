import { mkdtemp, readdir, readFile, rm, appendFile as writeMore } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../ports/mailer.ts';
import { readMailConfig } from './env.ts';
import {
  createMailer,
  createTransporter,
  OUTBOX_INDEX,
  parseMessage,
  readOutbox,
  readOutboxMessage,
  type SecretsClientLike,
  type SesClientLike,
} from './mailer.ts';

const FROM = '辽宁省首席标准官备案 <noreply@liaoning-cso.example.cn>';
const SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:liaoning-cso/smtp-AbCdEf';
const SUBJECT = '【辽宁省首席标准官制度】请审核备案：张*（首席标准官，沈阳市）';

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    to: ['review-210100@liaoning-cso.example.cn', 'second@liaoning-cso.example.cn'],
    subject: SUBJECT,
    text: '沈阳市市场监督管理局：\n请审核。\nhttps://api.example.cn/review/abc',
    html: '<p>沈阳市市场监督管理局：</p><p><a href="https://api.example.cn/review/abc">打开审核页面</a></p>',
    kind: 'review_request',
    links: ['https://api.example.cn/review/abc'],
    ...overrides,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function clock(...isoTimes: string[]) {
  let i = 0;
  return () => new Date(isoTimes[Math.min(i++, isoTimes.length - 1)] ?? 0);
}

describe('outbox transport', () => {
  it('writes a real .eml with both parts, the encoded subject and the attachments, and indexes it', async () => {
    const outboxDir = join(dir, 'nested', 'outbox');
    const mailer = createMailer(
      { MAIL_TRANSPORT: 'outbox', MAIL_FROM: FROM, OUTBOX_DIR: outboxDir },
      { now: clock('2025-03-01T02:00:00.000Z') },
    );
    const csv = '序号,所在市,姓名\n1,沈阳市,张*\n';
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const { messageId } = await mailer.send(
      message({
        attachments: [
          { filename: '附件2 汇总表（沈阳市）.csv', content: csv, contentType: 'text/csv' },
          { filename: 'report.bin', content: bytes, contentType: 'application/octet-stream' },
        ],
      }),
    );

    const files = await readdir(outboxDir);
    const eml = files.find((f) => f.endsWith('.eml'));
    expect(eml).toBe(`2025-03-01T02-00-00-000Z-${messageId}.eml`);
    expect(files).toContain(OUTBOX_INDEX);

    const raw = await readFile(join(outboxDir, eml ?? ''), 'utf8');
    // RFC 5322: CRLF line ends, non-ASCII headers as encoded words, never raw UTF-8 in a header.
    expect(raw).toContain('\r\n');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toContain('请审核');
    expect(raw).toContain('multipart/alternative');
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(raw).toContain(`Message-ID: <${messageId}@outbox.local>`);
    expect(raw).toContain('Date: Sat, 01 Mar 2025 02:00:00 +0000');

    const parsed = parseMessage(raw);
    const header = (name: string) => parsed.headers.find((h) => h.name.toLowerCase() === name)?.value;
    expect(header('subject')).toBe(SUBJECT);
    expect(header('from')).toBe(FROM);
    expect(header('to')).toBe('review-210100@liaoning-cso.example.cn, second@liaoning-cso.example.cn');
    expect(header('x-mail-kind')).toBe('review_request');
    expect(parsed.text).toBe(message().text);
    expect(parsed.html).toBe(message().html);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['附件2 汇总表（沈阳市）.csv', 'text/csv'],
      ['report.bin', 'application/octet-stream'],
    ]);
    expect(parsed.attachments[0]?.content.toString('utf8')).toBe(csv);
    expect([...(parsed.attachments[1]?.content ?? [])]).toEqual([...bytes]);

    const lines = (await readFile(join(outboxDir, OUTBOX_INDEX), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      id: messageId,
      file: eml,
      to: message().to,
      subject: SUBJECT,
      kind: 'review_request',
      links: ['https://api.example.cn/review/abc'],
      at: '2025-03-01T02:00:00.000Z',
    });
  });

  it('reads the outbox back newest first, skipping a torn line, and decodes one message', async () => {
    const mailer = createMailer(
      { MAIL_TRANSPORT: 'outbox', MAIL_FROM: FROM, OUTBOX_DIR: dir },
      {
        now: clock(
          '2025-03-01T02:00:00.000Z',
          '2025-03-03T02:00:00.000Z',
          '2025-03-02T02:00:00.000Z',
          '2025-03-03T02:00:00.000Z',
        ),
      },
    );
    const ids: string[] = [];
    for (const kind of ['first', 'third', 'second', 'fourth']) {
      ids.push((await mailer.send(message({ kind, subject: `主题 ${kind}`, links: undefined }))).messageId);
    }
    await writeMore(join(dir, OUTBOX_INDEX), '{"id":"torn","file":');

    const entries = await readOutbox(dir);
    // Same timestamp: the later line wins.
    expect(entries.map((e) => e.kind)).toEqual(['fourth', 'third', 'second', 'first']);
    expect(entries[0]?.links).toEqual([]);

    const one = await readOutboxMessage(dir, ids[2] ?? '');
    expect(one?.entry.kind).toBe('second');
    expect(one?.headers.find((h) => h.name === 'Subject')?.value).toBe('主题 second');
    expect(one?.html).toBe(message().html);
    expect(await readOutboxMessage(dir, 'no-such-id')).toBeUndefined();
  });

  it('an outbox nothing was sent to is empty', async () => {
    expect(await readOutbox(join(dir, 'never-created'))).toEqual([]);
  });

  it('refuses a message without recipients', async () => {
    const mailer = createMailer({ MAIL_TRANSPORT: 'outbox', MAIL_FROM: FROM, OUTBOX_DIR: dir });
    await expect(mailer.send(message({ to: [] }))).rejects.toThrow(/no recipients/);
    expect(await readOutbox(dir)).toEqual([]);
  });
});

describe('configuration', () => {
  it.each([
    [{}, 'MAIL_TRANSPORT'],
    [{ MAIL_TRANSPORT: 'sendgrid', MAIL_FROM: FROM }, 'MAIL_TRANSPORT'],
    [{ MAIL_TRANSPORT: 'ses' }, 'MAIL_FROM'],
    [{ MAIL_TRANSPORT: 'outbox', MAIL_FROM: FROM }, 'OUTBOX_DIR'],
    [{ MAIL_TRANSPORT: 'smtp', MAIL_FROM: FROM }, 'SMTP_URL'],
    [{ MAIL_TRANSPORT: 'smtp', MAIL_FROM: FROM, SMTP_URL: 'not a url' }, 'SMTP_URL'],
    [{ MAIL_TRANSPORT: 'smtp', MAIL_FROM: FROM, SMTP_SECRET_ARN: 'smtp-credentials' }, 'SMTP_SECRET_ARN'],
  ])('%j is refused naming %s', (env, name) => {
    expect(() => createMailer(env)).toThrow(name);
  });

  it.each([
    ['neither', {}],
    ['both', { SMTP_URL: 'smtps://user:pass@smtp.example.cn:465', SMTP_SECRET_ARN: SECRET_ARN }],
    // Empty, as a template may leave a variable: as good as unset.
    ['empty ones', { SMTP_URL: '', SMTP_SECRET_ARN: '' }],
  ])('smtp with %s of SMTP_URL and SMTP_SECRET_ARN is refused naming both', (_, settings) => {
    const env = { MAIL_TRANSPORT: 'smtp', MAIL_FROM: FROM, ...settings };
    expect(() => readMailConfig(env)).toThrow(/SMTP_URL.*SMTP_SECRET_ARN/);
  });

  it('smtp takes a secret ARN instead of SMTP_URL, an empty SMTP_URL beside it counting as unset', () => {
    expect(
      readMailConfig({ MAIL_TRANSPORT: 'smtp', MAIL_FROM: FROM, SMTP_URL: '', SMTP_SECRET_ARN: SECRET_ARN }),
    ).toEqual({ transport: 'smtp', from: FROM, smtpSecretArn: SECRET_ARN });
  });

  it('never echoes the SMTP password in an error', () => {
    const env = {
      MAIL_TRANSPORT: 'smtp',
      MAIL_FROM: FROM,
      SMTP_URL: 'http://user:s3cret-pass@mail.example.cn',
    };
    expect(() => readMailConfig(env)).toThrow(/SMTP_URL/);
    try {
      readMailConfig(env);
    } catch (error) {
      expect(String(error)).not.toContain('s3cret-pass');
    }
  });

  it('reads the settings once: later changes to the environment do not matter', async () => {
    const env: NodeJS.ProcessEnv = { MAIL_TRANSPORT: 'outbox', MAIL_FROM: FROM, OUTBOX_DIR: dir };
    const mailer = createMailer(env);
    env.OUTBOX_DIR = join(dir, 'elsewhere');
    delete env.MAIL_FROM;
    await mailer.send(message());
    expect(await readOutbox(dir)).toHaveLength(1);
  });
});

describe('SES v2 transport', () => {
  it('sends the raw MIME message through the client with SendEmailCommand', async () => {
    const commands: unknown[] = [];
    const sesClient: SesClientLike = {
      config: { region: async () => 'cn-northwest-1' },
      async send(command: unknown) {
        commands.push(command);
        return { MessageId: '0100018e-ses-id' };
      },
    };
    const mailer = createMailer({ MAIL_TRANSPORT: 'ses', MAIL_FROM: FROM }, { sesClient });
    const result = await mailer.send(message());

    expect(result.messageId).toBe('<0100018e-ses-id@cn-northwest-1.amazonses.com>');
    expect(commands).toHaveLength(1);
    const command = commands[0];
    expect(command).toBeInstanceOf(SendEmailCommand);
    const input = (command as SendEmailCommand).input;
    expect(input.Destination?.ToAddresses).toEqual(message().to);
    expect(input.EmailTags).toEqual([{ Name: 'kind', Value: 'review_request' }]);
    const data = input.Content?.Raw?.Data;
    expect(data).toBeInstanceOf(Uint8Array);
    const raw = Buffer.from(data ?? new Uint8Array()).toString('utf8');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m);
    const parsed = parseMessage(raw);
    expect(parsed.headers.find((h) => h.name === 'Subject')?.value).toBe(SUBJECT);
    expect(parsed.text).toBe(message().text);
    expect(parsed.html).toBe(message().html);
  });

  it('a kind SES tags cannot carry is made safe', async () => {
    const commands: SendEmailCommand[] = [];
    const sesClient: SesClientLike = {
      async send(command: unknown) {
        commands.push(command as SendEmailCommand);
        return { MessageId: 'x' };
      },
    };
    await createMailer({ MAIL_TRANSPORT: 'ses', MAIL_FROM: FROM }, { sesClient }).send(
      message({ kind: 'report: monthly' }),
    );
    expect(commands[0]?.input.EmailTags).toEqual([{ Name: 'kind', Value: 'report__monthly' }]);
  });

  it('surfaces a failure of SES', async () => {
    const sesClient: SesClientLike = {
      send: async () => {
        throw Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
      },
    };
    await expect(
      createMailer({ MAIL_TRANSPORT: 'ses', MAIL_FROM: FROM }, { sesClient }).send(message()),
    ).rejects.toMatchObject({ name: 'MessageRejected' });
  });
});

/** A minimal SMTP server: enough of RFC 5321 for one nodemailer delivery with AUTH PLAIN. */
/** A fake relay; `acceptsPassword` decides AUTH (every password by default). */
function fakeSmtp(acceptsPassword: (password: string) => boolean = () => true) {
  const sessions: { auth?: string; from?: string; rcpt: string[]; data?: string }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const session: (typeof sessions)[number] = { rcpt: [] };
    sessions.push(session);
    let buffer = '';
    let inData = false;
    socket.write('220 fake.example ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          session.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 2.0.0 queued as FAKE1\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') socket.write('250-fake.example\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') {
          session.auth = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          const password = session.auth.split('\0')[2] ?? '';
          socket.write(
            acceptsPassword(password) ? '235 2.7.0 ok\r\n' : '535 5.7.8 authentication failed\r\n',
          );
        } else if (verb === 'MAIL') {
          session.from = line;
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          session.rcpt.push(line);
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return {
    sessions,
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : 0);
        }),
      ),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('SMTP transport', () => {
  it('is built from SMTP_URL (credentials decoded, port, plain then STARTTLS) without connecting', () => {
    const transporter = createTransporter({
      transport: 'smtp',
      from: FROM,
      smtpUrl: 'smtp://mailer%40example.cn:p%3Ass@smtp.example.cn:587',
    });
    expect(transporter.transporter.name).toBe('SMTP');
    expect(transporter.options).toMatchObject({
      host: 'smtp.example.cn',
      port: 587,
      secure: false,
      auth: { user: 'mailer@example.cn', pass: 'p:ss' },
      connectionTimeout: 10_000,
    });
  });

  it('delivers the message to the server named by SMTP_URL', async () => {
    const smtp = fakeSmtp();
    const port = await smtp.listen();
    try {
      const mailer = createMailer({
        MAIL_TRANSPORT: 'smtp',
        MAIL_FROM: FROM,
        SMTP_URL: `smtp://mailer%40example.cn:p%3Ass@127.0.0.1:${port}`,
      });
      expect(smtp.sessions).toHaveLength(0);
      const result = await mailer.send(message());
      expect(result.messageId).toMatch(/^<.+@.+>$/);
      const session = smtp.sessions[0];
      expect(session?.auth).toBe('\0mailer@example.cn\0p:ss');
      expect(session?.from).toContain('noreply@liaoning-cso.example.cn');
      expect(session?.rcpt).toHaveLength(2);
      const parsed = parseMessage(session?.data ?? '');
      expect(parsed.headers.find((h) => h.name === 'Subject')?.value).toBe(SUBJECT);
      expect(parsed.html).toBe(message().html);
    } finally {
      await smtp.close();
    }
  });
});

/** A Secrets Manager client answering every GetSecretValue with the next of `answers` (the last repeats). */
function fakeSecrets(...answers: (string | undefined)[]) {
  const commands: GetSecretValueCommand[] = [];
  const client: SecretsClientLike = {
    async send(command) {
      commands.push(command);
      return { SecretString: answers[Math.min(commands.length - 1, answers.length - 1)] };
    },
  };
  return { client, commands };
}

const smtpSecret = (port: number, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    host: '127.0.0.1',
    port,
    username: 'mailer@example.cn',
    password: 'p:ss-from-secret',
    secure: false,
    ...overrides,
  });

const secretEnv = { MAIL_TRANSPORT: 'smtp', MAIL_FROM: FROM, SMTP_SECRET_ARN: SECRET_ARN };

describe('SMTP transport with the credentials in Secrets Manager', () => {
  it('is built from the secret: implicit TLS when secure, credentials as given', () => {
    const transporter = createTransporter({
      transport: 'smtp',
      from: FROM,
      smtpSecret: {
        host: 'smtp.example.cn',
        port: 465,
        username: 'mailer@example.cn',
        password: 'p:ss',
        secure: true,
      },
    });
    expect(transporter.transporter.name).toBe('SMTP');
    expect(transporter.options).toMatchObject({
      host: 'smtp.example.cn',
      port: 465,
      secure: true,
      auth: { user: 'mailer@example.cn', pass: 'p:ss' },
      connectionTimeout: 10_000,
    });
  });

  it('reads the secret at the first send, once for every later and concurrent one, and delivers', async () => {
    const smtp = fakeSmtp();
    const port = await smtp.listen();
    try {
      const secrets = fakeSecrets(smtpSecret(port));
      const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
      // A cold start that sends nothing reads nothing.
      expect(secrets.commands).toHaveLength(0);

      await Promise.all([mailer.send(message()), mailer.send(message({ kind: 'second' }))]);
      const third = await mailer.send(message({ kind: 'third' }));

      expect(secrets.commands).toHaveLength(1);
      expect(secrets.commands[0]).toBeInstanceOf(GetSecretValueCommand);
      expect(secrets.commands[0]?.input).toEqual({ SecretId: SECRET_ARN });
      expect(third.messageId).toMatch(/^<.+@.+>$/);
      expect(smtp.sessions).toHaveLength(3);
      for (const session of smtp.sessions) {
        expect(session.auth).toBe('\0mailer@example.cn\0p:ss-from-secret');
        expect(session.rcpt).toHaveLength(2);
      }
      const kinds = smtp.sessions.map(
        (s) => parseMessage(s.data ?? '').headers.find((h) => h.name === 'X-Mail-Kind')?.value,
      );
      expect(kinds.sort()).toEqual(['review_request', 'second', 'third']);
    } finally {
      await smtp.close();
    }
  });

  it.each([
    // The likeliest slip, and the one whose SyntaxError would quote the password whole.
    ['a bare password', 's3cret-pass', /not JSON/],
    [
      'JSON cut short',
      '{"host":"smtp.example.cn","port":465,"username":"mailer","password":"s3cret-pass"',
      /not JSON/,
    ],
    [
      'values of the wrong type',
      '{"host":"smtp.example.cn","port":"465","username":"mailer","password":"s3cret-pass","secure":"yes"}',
      /check port, secure$/,
    ],
    [
      'a key missing',
      '{"host":"smtp.example.cn","port":465,"username":"mailer","secure":true}',
      /check password$/,
    ],
    ['a binary secret', undefined, /no SecretString/],
  ])('a secret with %s is refused naming the secret, never quoting it', async (_, secretString, reason) => {
    const secrets = fakeSecrets(secretString);
    const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
    const error = await mailer.send(message()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    // No cause either: a SyntaxError of JSON.parse quotes the text it choked on.
    expect((error as Error).cause).toBeUndefined();
    const text = (error as Error).message;
    expect(text).toContain(SECRET_ARN);
    expect(text).toMatch(reason);
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toContain('smtp.example.cn');
  });

  it('a refused secret is not kept: once fixed, the next send reads it again and delivers', async () => {
    const smtp = fakeSmtp();
    const port = await smtp.listen();
    try {
      // The secret as CDK leaves it before an operator fills it in, then filled in.
      const secrets = fakeSecrets(smtpSecret(port, { port: undefined }), smtpSecret(port));
      const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
      await expect(mailer.send(message())).rejects.toThrow(/check port$/);
      await mailer.send(message());
      await mailer.send(message());
      expect(secrets.commands).toHaveLength(2);
      expect(smtp.sessions).toHaveLength(2);
    } finally {
      await smtp.close();
    }
  });

  it('credentials refused by the relay: the secret is read again and the message sent with the new ones', async () => {
    // The operator rotated the password after this container read the secret.
    const smtp = fakeSmtp((password) => password === 'rotated');
    const port = await smtp.listen();
    try {
      const secrets = fakeSecrets(smtpSecret(port), smtpSecret(port, { password: 'rotated' }));
      const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
      const sent = await mailer.send(message());
      expect(sent.messageId).toMatch(/^<.+@.+>$/);
      expect(secrets.commands).toHaveLength(2);
      expect(smtp.sessions.map((s) => s.auth?.split('\0')[2])).toEqual(['p:ss-from-secret', 'rotated']);
      expect(smtp.sessions.map((s) => s.data !== undefined)).toEqual([false, true]);
      // Kept again once it works.
      await mailer.send(message());
      expect(secrets.commands).toHaveLength(2);
    } finally {
      await smtp.close();
    }
  });

  it('credentials refused with the secret unchanged: refused once more, then the error, no loop', async () => {
    const smtp = fakeSmtp(() => false);
    const port = await smtp.listen();
    try {
      const secrets = fakeSecrets(smtpSecret(port));
      const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
      await expect(mailer.send(message())).rejects.toMatchObject({ code: 'EAUTH' });
      expect(secrets.commands).toHaveLength(2);
      expect(smtp.sessions).toHaveLength(2);
    } finally {
      await smtp.close();
    }
  });

  it('a relay that cannot be reached: the send fails, and the next one reads the secret again', async () => {
    const smtp = fakeSmtp();
    const port = await smtp.listen();
    // A port nothing listens on: the one of a relay the operator has since moved away from.
    const closed = fakeSmtp();
    const closedPort = await closed.listen();
    await closed.close();
    try {
      const secrets = fakeSecrets(smtpSecret(closedPort), smtpSecret(port));
      const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
      await expect(mailer.send(message())).rejects.toMatchObject({ code: 'ESOCKET' });
      expect(secrets.commands).toHaveLength(1);
      await mailer.send(message());
      expect(secrets.commands).toHaveLength(2);
      expect(smtp.sessions).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('a message without recipients is refused before the secret is read', async () => {
    const secrets = fakeSecrets(smtpSecret(25));
    const mailer = createMailer(secretEnv, { secretsClient: secrets.client });
    await expect(mailer.send(message({ to: [] }))).rejects.toThrow(/no recipients/);
    expect(secrets.commands).toHaveLength(0);
  });
});
