// Mail settings: the environment variable names (shared by the CDK code that sets them, the
// local runtime and the mailer that reads them) and their reading, once, at cold start.
// Values are never echoed in errors: SMTP_URL carries a password.
import { requireEnv } from '../../config/env.ts';

export const MAIL_ENV = {
  /** `outbox` (local), `ses` (cloud, SES v2) or `smtp` (where SES is not offered). */
  transport: 'MAIL_TRANSPORT',
  /** The sender of every message, e.g. `辽宁省首席标准官备案 <noreply@example.cn>`. */
  from: 'MAIL_FROM',
  /** Directory of the local outbox (.eml files and index.jsonl); `outbox` only. */
  outboxDir: 'OUTBOX_DIR',
  /** `smtp://user:pass@host:587` or `smtps://…:465`; query parameters become transport options. `smtp` only. */
  smtpUrl: 'SMTP_URL',
} as const;

export const MAIL_TRANSPORTS = ['outbox', 'ses', 'smtp'] as const;
export type MailTransportKind = (typeof MAIL_TRANSPORTS)[number];

export type MailConfig =
  | { transport: 'outbox'; from: string; outboxDir: string }
  | { transport: 'ses'; from: string }
  | { transport: 'smtp'; from: string; smtpUrl: string };

function isTransport(value: string): value is MailTransportKind {
  return (MAIL_TRANSPORTS as readonly string[]).includes(value);
}

/** Reads and checks the mail settings; a missing or malformed one throws naming the variable. */
export function readMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const transport = requireEnv(MAIL_ENV.transport, env);
  if (!isTransport(transport)) {
    throw new Error(
      `environment variable ${MAIL_ENV.transport} must be one of ${MAIL_TRANSPORTS.join(', ')}`,
    );
  }
  const from = requireEnv(MAIL_ENV.from, env);
  switch (transport) {
    case 'outbox':
      return { transport, from, outboxDir: requireEnv(MAIL_ENV.outboxDir, env) };
    case 'ses':
      return { transport, from };
    case 'smtp': {
      const smtpUrl = requireEnv(MAIL_ENV.smtpUrl, env);
      let protocol: string;
      try {
        protocol = new URL(smtpUrl).protocol;
      } catch {
        throw new Error(`environment variable ${MAIL_ENV.smtpUrl} is not a URL`);
      }
      if (protocol !== 'smtp:' && protocol !== 'smtps:') {
        throw new Error(`environment variable ${MAIL_ENV.smtpUrl} must start with smtp:// or smtps://`);
      }
      return { transport, from, smtpUrl };
    }
  }
}
