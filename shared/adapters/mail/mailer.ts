// The Mailer adapter: every message is built by nodemailer (HTML and plain-text parts, UTF-8,
// attachments) and handed to one transport chosen by MAIL_TRANSPORT: SES v2 in the cloud, SMTP
// where SES is not offered (its credentials in SMTP_URL or in a Secrets Manager secret read at
// the first send and again after the relay refuses them or cannot be reached), and locally an outbox of .eml files with an index the local runtime lists at
// /_local/outbox. Nothing here logs message bodies, addresses or credentials.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { SESTransportOptions, SendMailOptions, Transporter } from 'nodemailer';
import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';
import { type MailConfig, parseSmtpSecret, readMailConfig, type SmtpSecret } from './env.ts';

/** What the SES transport needs of an SESv2Client (tests pass a fake). */
export type SesClientLike = SESTransportOptions['SES']['sesClient'];

/** What the mailer needs of a SecretsManagerClient (tests pass a fake). */
export interface SecretsClientLike {
  send(command: GetSecretValueCommand): Promise<Pick<GetSecretValueCommandOutput, 'SecretString'>>;
}

export interface MailerOptions {
  /** The SES v2 client (`ses` only); by default one configured from the environment (AWS_REGION…). */
  sesClient?: SesClientLike;
  /** The Secrets Manager client (`smtp` with SMTP_SECRET_ARN only); by default one from the environment. */
  secretsClient?: SecretsClientLike;
  /** The outbox clock (`outbox` only). */
  now?: () => Date;
}

/** One line of `<OUTBOX_DIR>/index.jsonl`. */
export interface OutboxEntry {
  /** Also the local part of the message's Message-ID, and what `send` returns. */
  id: string;
  /** File name of the .eml, relative to the outbox directory. */
  file: string;
  to: string[];
  subject: string;
  kind: string;
  links: string[];
  /** ISO instant the message was written. */
  at: string;
}

export const OUTBOX_INDEX = 'index.jsonl';

// Bounds on an SMTP exchange, so a function never waits for its own timeout on a dead relay.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** A configuration whose SMTP credentials, if in a secret, have been read. */
export type TransporterConfig =
  | Exclude<MailConfig, { smtpSecretArn: string }>
  | { transport: 'smtp'; from: string; smtpSecret: SmtpSecret };

/** The nodemailer transporter for a configuration; nothing connects until a message is sent. */
export function createTransporter(config: TransporterConfig, options: MailerOptions = {}): Transporter {
  const quiet = { logger: false, debug: false } as const;
  switch (config.transport) {
    case 'outbox':
      return nodemailer.createTransport({
        streamTransport: true,
        buffer: true,
        newline: 'windows',
        ...quiet,
      });
    case 'ses':
      return nodemailer.createTransport({
        SES: { sesClient: options.sesClient ?? new SESv2Client({}), SendEmailCommand },
        ...quiet,
      });
    case 'smtp': {
      if ('smtpUrl' in config) {
        return nodemailer.createTransport({ url: config.smtpUrl, ...SMTP_TIMEOUTS, ...quiet });
      }
      const { host, port, secure, username, password } = config.smtpSecret;
      return nodemailer.createTransport({
        host,
        port,
        secure,
        auth: { user: username, pass: password },
        ...SMTP_TIMEOUTS,
        ...quiet,
      });
    }
  }
}

/** Reads and checks the SMTP secret (see SmtpSecretSchema in env.ts). */
export async function readSmtpSecret(secretArn: string, client: SecretsClientLike): Promise<SmtpSecret> {
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  return parseSmtpSecret(secretArn, output.SecretString);
}

/**
 * nodemailer's codes for a relay that refused the credentials or could not be reached or spoken
 * to: after an operator fills in or rotates the secret (host, port and TLS included), the
 * transport built from the old values fails this way until it is rebuilt.
 */
const STALE_TRANSPORT_CODES = new Set([
  'EAUTH',
  'ENOAUTH',
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
]);
/** Refused at AUTH: nothing of the message has been sent, so it may be sent again at once. */
const REFUSED_CREDENTIALS = new Set(['EAUTH', 'ENOAUTH']);

const codeOf = (error: unknown): string =>
  error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : '';

interface CachedTransporter {
  get(): Promise<Transporter>;
  /** Forgets `failed` (if still the cached one) so the next get reads the secret again; false if there is nothing to re-read. */
  drop(failed: Promise<Transporter>): boolean;
}

/**
 * The transporter, built on first use: for SMTP_SECRET_ARN the secret is read then and kept
 * for the life of the mailer (of the process, which builds it at cold start) until the relay
 * refuses the credentials or cannot be reached (see STALE_TRANSPORT_CODES). A failed read is
 * not kept either, so the next message tries again, e.g. once an operator has fixed the secret.
 */
function transporterFor(config: MailConfig, options: MailerOptions): CachedTransporter {
  if (config.transport !== 'smtp' || config.smtpSecretArn === undefined) {
    const transporter = Promise.resolve(createTransporter(config, options));
    return { get: () => transporter, drop: () => false };
  }
  const { from, smtpSecretArn } = config;
  const load = async () => {
    const client = options.secretsClient ?? new SecretsManagerClient({});
    const smtpSecret = await readSmtpSecret(smtpSecretArn, client);
    return createTransporter({ transport: 'smtp', from, smtpSecret }, options);
  };
  let pending: Promise<Transporter> | undefined;
  return {
    get: () => {
      pending ??= load().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    drop: (failed) => {
      if (pending === failed) {
        pending = undefined;
        void failed.then((t) => t.close()).catch(() => undefined);
      }
      return true;
    },
  };
}

/** Sends through the cached transporter; rebuilds it from the secret when it has gone stale. */
async function sendThrough(cache: CachedTransporter, mail: SendMailOptions) {
  const current = cache.get();
  try {
    return await (await current).sendMail(mail);
  } catch (error) {
    const code = codeOf(error);
    if (!STALE_TRANSPORT_CODES.has(code) || !cache.drop(current)) throw error;
    // Connection errors may come mid-message: the caller's retry sends it again, with the new secret.
    if (!REFUSED_CREDENTIALS.has(code)) throw error;
    return await (await cache.get()).sendMail(mail);
  }
}

/** SES message tags allow letters, digits, `_` and `-` only. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || 'unknown';

function composeOptions(config: MailConfig, message: MailMessage): SendMailOptions {
  if (message.to.length === 0) throw new Error(`mail of kind ${message.kind} has no recipients`);
  return {
    from: config.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { 'X-Mail-Kind': message.kind },
    attachments: message.attachments?.map((a) => ({
      filename: a.filename,
      content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
      contentType: a.contentType,
    })),
    // Messages are built from data only: no attachment may read a local file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(config.transport === 'ses'
      ? { ses: { EmailTags: [{ Name: 'kind', Value: tagValue(message.kind) }] } }
      : {}),
  };
}

/** Builds the mailer from MAIL_TRANSPORT, MAIL_FROM and the transport's own setting, read once. */
export function createMailer(env: NodeJS.ProcessEnv = process.env, options: MailerOptions = {}): Mailer {
  const config = readMailConfig(env);
  const transporter = transporterFor(config, options);
  if (config.transport === 'outbox') {
    const dir = config.outboxDir;
    const now = options.now ?? (() => new Date());
    return {
      async send(message) {
        // The queued message's id names its file, as a relay's Message-ID names it there.
        const id = message.id ?? randomUUID();
        const date = now();
        const info = await (await transporter.get()).sendMail({
          ...composeOptions(config, message),
          messageId: `<${id}@outbox.local>`,
          date,
        });
        const raw: unknown = info.message;
        if (!Buffer.isBuffer(raw)) throw new Error('outbox transport did not return the message');
        const at = date.toISOString();
        const file = `${at.replace(/[:.]/g, '-')}-${id}.eml`;
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, file), raw);
        const entry: OutboxEntry = {
          id,
          file,
          to: message.to,
          subject: message.subject,
          kind: message.kind,
          links: message.links ?? [],
          at,
        };
        await appendFile(join(dir, OUTBOX_INDEX), `${JSON.stringify(entry)}\n`);
        return { messageId: id };
      },
    };
  }
  return {
    async send(message) {
      // Composed first: a message without recipients fails before any secret is read.
      const mail = composeOptions(config, message);
      const info = await sendThrough(transporter, {
        ...mail,
        ...(message.id
          ? { messageId: `<${message.id}@${/@([^>\s]+)/.exec(config.from)?.[1] ?? 'mail'}>` }
          : {}),
      });
      return { messageId: String(info.messageId) };
    },
  };
}

function isEntry(value: unknown): value is OutboxEntry {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.file === 'string' &&
    typeof v.subject === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.at === 'string' &&
    Array.isArray(v.to) &&
    Array.isArray(v.links)
  );
}

/** The outbox index, newest first; an outbox nothing was sent to yet is empty. */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  let content: string;
  try {
    content = await readFile(join(dir, OUTBOX_INDEX), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: { entry: OutboxEntry; line: number }[] = [];
  for (const [line, text] of content.split('\n').entries()) {
    if (!text.trim()) continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isEntry(parsed)) entries.push({ entry: parsed, line });
    } catch {
      // A line cut short by a crash mid-append: skipped, the others stay readable.
    }
  }
  // Later lines were appended later: they win ties on the timestamp.
  entries.sort((a, b) => b.entry.at.localeCompare(a.entry.at) || b.line - a.line);
  return entries.map((e) => e.entry);
}

// ---------------------------------------------------------------------------------------------
// Reading back an .eml of the outbox: enough MIME for what nodemailer writes (nested multiparts,
// base64 and quoted-printable, RFC 2047 headers, RFC 2231 file names), for the local pages and tests.

export interface MimeHeader {
  name: string;
  value: string;
}

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutboxMessage {
  entry: OutboxEntry;
  /** Top-level headers, encoded words decoded. */
  headers: MimeHeader[];
  text?: string;
  html?: string;
  attachments: OutboxAttachment[];
  /** The .eml as written. */
  raw: string;
}

interface MimePart {
  headers: MimeHeader[];
  body: string;
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replaceAll('_', ' '));
      return new TextDecoder(charset).decode(bytes);
    });
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const input = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i++) {
    const hex = input.slice(i + 1, i + 3);
    if (input[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(input[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function parsePart(source: string): MimePart {
  const split = source.indexOf('\n\n');
  const head = split === -1 ? source : source.slice(0, split);
  const body = split === -1 ? '' : source.slice(split + 2);
  const headers: MimeHeader[] = [];
  for (const line of head.split('\n')) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  return { headers, body };
}

function header(part: MimePart, name: string): string | undefined {
  return part.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

/** The value and parameters of a structured header, RFC 2231 continuations joined and decoded. */
function structured(value: string | undefined): { value: string; params: Record<string, string> } {
  const [first = '', ...rest] = (value ?? '').split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const pieces: Record<string, { index: number; text: string; encoded: boolean }[]> = {};
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq === -1) continue;
    const key = item.slice(0, eq).trim().toLowerCase();
    const text = item
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (!match) continue;
    const [, name = key, index = '0', star] = match;
    pieces[name] ??= [];
    pieces[name].push({ index: Number(index), text, encoded: star === '*' });
  }
  const params: Record<string, string> = {};
  for (const [name, list] of Object.entries(pieces)) {
    list.sort((a, b) => a.index - b.index);
    if (list.some((p) => p.encoded)) {
      const joined = list.map((p, i) =>
        i === 0 && p.encoded ? p.text.replace(/^[^']*'[^']*'/, '') : p.text,
      );
      params[name] = decodeURIComponent(joined.join(''));
    } else {
      params[name] = decodeWords(list.map((p) => p.text).join(''));
    }
  }
  return { value: first.trim().toLowerCase(), params };
}

function decodeBody(part: MimePart): Buffer {
  const encoding = (header(part, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return Buffer.from(part.body, 'utf8');
}

function walk(part: MimePart, out: Omit<OutboxMessage, 'entry' | 'headers' | 'raw'>): void {
  const type = structured(header(part, 'content-type') ?? 'text/plain');
  const disposition = structured(header(part, 'content-disposition'));
  const boundary = type.params.boundary;
  if (type.value.startsWith('multipart/') && boundary) {
    const sections = part.body.split(`--${boundary}`);
    // Before the first delimiter is the preamble; from the closing `--boundary--` on, the epilogue.
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      walk(parsePart(section.replace(/^[^\n]*\n/, '').replace(/\n$/, '')), out);
    }
    return;
  }
  const content = decodeBody(part);
  const filename = disposition.params.filename ?? type.params.name;
  if (disposition.value === 'attachment' || filename) {
    out.attachments.push({ filename: filename ?? 'attachment', contentType: type.value, content });
  } else if (type.value === 'text/html' && out.html === undefined) {
    out.html = new TextDecoder(type.params.charset ?? 'utf-8').decode(content);
  } else if (type.value === 'text/plain' && out.text === undefined) {
    out.text = new TextDecoder(type.params.charset ?? 'utf-8').decode(content);
  }
}

/** Parses an RFC 5322 message as nodemailer writes it. */
export function parseMessage(raw: string): Omit<OutboxMessage, 'entry' | 'raw'> {
  const root = parsePart(raw.replace(/\r\n/g, '\n'));
  const out: Omit<OutboxMessage, 'entry' | 'headers' | 'raw'> = { attachments: [] };
  walk(root, out);
  return { headers: root.headers.map((h) => ({ name: h.name, value: decodeWords(h.value) })), ...out };
}

/** One message of the outbox, decoded; undefined for an id the index does not hold. */
export async function readOutboxMessage(dir: string, id: string): Promise<OutboxMessage | undefined> {
  const entry = (await readOutbox(dir)).find((e) => e.id === id);
  if (!entry) return undefined;
  // The index names a file in the outbox itself, never a path elsewhere.
  const raw = await readFile(join(dir, basename(entry.file)), 'utf8');
  return { entry, raw, ...parseMessage(raw) };
}
