// Mail settings (their names are in the registry, shared/config/env.ts) and their reading, once,
// at cold start.
// Values are never echoed in errors: SMTP_URL carries a password, and so does the SMTP secret.
import * as z from 'zod/mini';
import {
  MAIL_FROM_ENV,
  MAIL_TRANSPORT_ENV,
  OUTBOX_DIR_ENV,
  requireEnv,
  SMTP_SECRET_ARN_ENV,
  SMTP_URL_ENV,
} from '../../config/env.ts';

export const MAIL_TRANSPORTS = ['outbox', 'ses', 'smtp'] as const;
export type MailTransportKind = (typeof MAIL_TRANSPORTS)[number];

export type MailConfig =
  | { transport: 'outbox'; from: string; outboxDir: string }
  | { transport: 'ses'; from: string }
  | { transport: 'smtp'; from: string; smtpUrl: string; smtpSecretArn?: never }
  | { transport: 'smtp'; from: string; smtpSecretArn: string; smtpUrl?: never };

/**
 * The JSON of the SMTP secret (SMTP_SECRET_ARN, the cloud's way, instead of SMTP_URL):
 * `{ "host": "smtp.example.cn", "port": 465, "username": "…", "password": "…", "secure": true }`
 * where `secure` is true for TLS from the start (465) and false for plain upgraded by STARTTLS
 * when the server offers it (587), as with `smtps://` and `smtp://`. Other keys are ignored.
 */
const SmtpSecretSchema = z.object({
  host: z.string().check(z.minLength(1)),
  port: z.number().check(z.int(), z.minimum(1), z.maximum(65_535)),
  username: z.string().check(z.minLength(1)),
  password: z.string().check(z.minLength(1)),
  secure: z.boolean(),
});
export type SmtpSecret = z.infer<typeof SmtpSecretSchema>;

/**
 * Checks the SecretString of the SMTP secret. An error names the secret and the offending keys,
 * never the text: a JSON syntax error would quote it, password included.
 */
export function parseSmtpSecret(secretArn: string, secretString: string | undefined): SmtpSecret {
  const shape = '{ host, port, username, password, secure }';
  if (secretString === undefined) {
    throw new Error(`SMTP secret ${secretArn} has no SecretString; expected JSON ${shape}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    throw new Error(`SMTP secret ${secretArn} is not JSON; expected ${shape}`);
  }
  const parsed = SmtpSecretSchema.safeParse(json);
  if (!parsed.success) {
    // Paths come from the schema's keys, not from the secret's values.
    const keys = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    throw new Error(`SMTP secret ${secretArn} must be JSON ${shape}; check ${keys.join(', ')}`);
  }
  return parsed.data;
}

function isTransport(value: string): value is MailTransportKind {
  return (MAIL_TRANSPORTS as readonly string[]).includes(value);
}

/** Reads and checks the mail settings; a missing or malformed one throws naming the variable. */
export function readMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const transport = requireEnv(MAIL_TRANSPORT_ENV, env);
  if (!isTransport(transport)) {
    throw new Error(
      `environment variable ${MAIL_TRANSPORT_ENV} must be one of ${MAIL_TRANSPORTS.join(', ')}`,
    );
  }
  const from = requireEnv(MAIL_FROM_ENV, env);
  switch (transport) {
    case 'outbox':
      return { transport, from, outboxDir: requireEnv(OUTBOX_DIR_ENV, env) };
    case 'ses':
      return { transport, from };
    case 'smtp': {
      // An empty value counts as unset, as requireEnv has it.
      const smtpUrl = env[SMTP_URL_ENV] || undefined;
      const smtpSecretArn = env[SMTP_SECRET_ARN_ENV] || undefined;
      if (smtpUrl !== undefined && smtpSecretArn !== undefined) {
        throw new Error(
          `environment variables ${SMTP_URL_ENV} and ${SMTP_SECRET_ARN_ENV} are both set; MAIL_TRANSPORT=smtp takes one`,
        );
      }
      if (smtpSecretArn !== undefined) {
        if (!/^arn:[^:]+:secretsmanager:[^:]*:\d*:secret:./.test(smtpSecretArn)) {
          throw new Error(`environment variable ${SMTP_SECRET_ARN_ENV} is not a Secrets Manager secret ARN`);
        }
        return { transport, from, smtpSecretArn };
      }
      if (smtpUrl === undefined) {
        throw new Error(
          `missing environment variable ${SMTP_URL_ENV} or ${SMTP_SECRET_ARN_ENV} (MAIL_TRANSPORT=smtp takes one)`,
        );
      }
      let protocol: string;
      try {
        protocol = new URL(smtpUrl).protocol;
      } catch {
        throw new Error(`environment variable ${SMTP_URL_ENV} is not a URL`);
      }
      if (protocol !== 'smtp:' && protocol !== 'smtps:') {
        throw new Error(`environment variable ${SMTP_URL_ENV} must start with smtp:// or smtps://`);
      }
      return { transport, from, smtpUrl };
    }
  }
}
