// The one registry of the environment variables a function may read: each name is a constant
// here, shared by the CDK code that sets it, the local runtime that sets it for the in-process
// handlers, and the code that reads it, so none can drift apart. Values are read once, at cold
// start. The names are separate constants, not properties of one object, so that esbuild keeps
// in a function's bundle only the names its code uses: test/infra/environment.test.ts reads
// them there and checks them against the variables the stack gives each function.

export const TABLE_NAME_ENV = 'TABLE_NAME';
export const FIELD_KEY_ARN_ENV = 'FIELD_KEY_ARN';
export const PERSON_HMAC_KEY_ARN_ENV = 'PERSON_HMAC_KEY_ARN';
export const LOCAL_KEY_FILE_ENV = 'LOCAL_KEY_FILE';
export const ATTACHMENTS_BUCKET_ENV = 'ATTACHMENTS_BUCKET';
export const REPORTS_BUCKET_ENV = 'REPORTS_BUCKET';
export const ATTACHMENT_LINK_SECONDS_ENV = 'ATTACHMENT_LINK_SECONDS';
export const ALLOWED_ORIGINS_ENV = 'ALLOWED_ORIGINS';
export const PUBLIC_API_URL_ENV = 'PUBLIC_API_URL';
export const PUBLIC_SITE_URL_ENV = 'PUBLIC_SITE_URL';
export const FILING_WORKFLOW_ARN_ENV = 'FILING_WORKFLOW_ARN';
export const ANNUAL_RETURN_ARN_ENV = 'ANNUAL_RETURN_ARN';
export const UNIT_RETURN_ARN_ENV = 'UNIT_RETURN_ARN';
export const RETURN_BATCH_SIZE_ENV = 'RETURN_BATCH_SIZE';
export const ALERT_EMAIL_ENV = 'ALERT_EMAIL';
export const ALERT_CONSOLE_URL_ENV = 'ALERT_CONSOLE_URL';
export const MAIL_TRANSPORT_ENV = 'MAIL_TRANSPORT';
export const MAIL_FROM_ENV = 'MAIL_FROM';
export const OUTBOX_DIR_ENV = 'OUTBOX_DIR';
export const SMTP_URL_ENV = 'SMTP_URL';
export const SMTP_SECRET_ARN_ENV = 'SMTP_SECRET_ARN';
export const POWERTOOLS_SERVICE_NAME_ENV = 'POWERTOOLS_SERVICE_NAME';
export const LOCAL_EXIT_AFTER_SUBMIT_WRITE_ENV = 'LOCAL_EXIT_AFTER_SUBMIT_WRITE';

/**
 * Who sets a variable: `cdk`, the CDK app, on exactly the functions whose needs in
 * infra/functions.ts call for it (`by` names the need); `local`, only the local runtime
 * (infra/local/start.ts) or the tests, the cloud running on the default or the alternative.
 */
export type EnvSetter = 'cdk' | 'local';

export interface EnvVar {
  name: string;
  /** What it holds, in one line. */
  doc: string;
  example: string;
  setBy: EnvSetter;
  /** The need (or construct) that sets it in the cloud, or where it is set locally. */
  by: string;
}

/** Every variable a function may read; docs/environment-variables.md is checked against it. */
export const ENV_REGISTRY: readonly EnvVar[] = [
  {
    name: TABLE_NAME_ENV,
    doc: 'The one DynamoDB table.',
    example: 'standards-officer-dev-Table1A2B3C',
    setBy: 'cdk',
    by: 'needs.table (HouseFunction.useTable)',
  },
  {
    name: FIELD_KEY_ARN_ENV,
    doc: 'KMS key (ARN) that wraps the data keys encrypting ID numbers; unset, the local key file is used.',
    example: 'arn:aws-cn:kms:cn-north-1:123456789012:key/…',
    setBy: 'cdk',
    by: 'needs.encrypt or needs.decrypt',
  },
  {
    name: PERSON_HMAC_KEY_ARN_ENV,
    doc: 'KMS HMAC key (ARN) for the person keyed hash, receipt tokens and idempotent filing ids.',
    example: 'arn:aws-cn:kms:cn-north-1:123456789012:key/…',
    setBy: 'cdk',
    by: 'needs.hmac',
  },
  {
    name: LOCAL_KEY_FILE_ENV,
    doc: 'Local file with a raw AES key and an HMAC key, read where the KMS key ARNs are unset.',
    example: '.local/keys.json',
    setBy: 'local',
    by: 'infra/local/start.ts, the tests',
  },
  {
    name: ATTACHMENTS_BUCKET_ENV,
    doc: 'The private bucket of filing attachments (locally s3rver’s, reached via AWS_ENDPOINT_URL_S3).',
    example: 'standards-officer-dev-attachments',
    setBy: 'cdk',
    by: 'needs.attachments (HouseFunction.useBucket)',
  },
  {
    name: REPORTS_BUCKET_ENV,
    doc: 'The private bucket of target-progress reports (locally s3rver’s second bucket).',
    example: 'standards-officer-dev-reports',
    setBy: 'cdk',
    by: 'needs.reports (HouseFunction.writesReports)',
  },
  {
    name: ATTACHMENT_LINK_SECONDS_ENV,
    doc: 'Lifetime of a reviewer’s attachment view link in seconds, 1–900; default 300.',
    example: '300',
    setBy: 'local',
    by: 'nobody by default (the tests)',
  },
  {
    name: ALLOWED_ORIGINS_ENV,
    doc: 'Comma-separated origins answered with CORS headers by the HTTP handlers.',
    example: 'https://beian.example.cn',
    setBy: 'cdk',
    by: 'every HTTP route (appFunction)',
  },
  {
    name: PUBLIC_API_URL_ENV,
    doc: 'Base of the review and return links in mail.',
    example: 'https://api.beian.example.cn',
    setBy: 'cdk',
    by: 'needs.apiUrl',
  },
  {
    name: PUBLIC_SITE_URL_ENV,
    doc: 'Base of the status-page links in mail.',
    example: 'https://beian.example.cn',
    setBy: 'cdk',
    by: 'needs.siteUrl',
  },
  {
    name: FILING_WORKFLOW_ARN_ENV,
    doc: 'The filing state machine; unset, filings stay `submitted`.',
    example: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-dev-FilingWorkflow',
    setBy: 'cdk',
    by: "needs.starts: ['FilingWorkflow']",
  },
  {
    name: ANNUAL_RETURN_ARN_ENV,
    doc: 'The annual return’s parent state machine; unset, derived from FILING_WORKFLOW_ARN.',
    example: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-dev-AnnualReturn',
    setBy: 'cdk',
    by: "needs.starts: ['AnnualReturn']",
  },
  {
    name: UNIT_RETURN_ARN_ENV,
    doc: 'The annual return’s per-unit state machine; unset, derived from FILING_WORKFLOW_ARN.',
    example: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:standards-officer-dev-UnitReturn',
    setBy: 'cdk',
    by: "needs.starts: ['UnitReturn']",
  },
  {
    name: RETURN_BATCH_SIZE_ENV,
    doc: 'Enterprises mailed, or removals applied, per annual-return task; 1–500, default 100.',
    example: '100',
    setBy: 'local',
    by: 'nobody by default (the tests)',
  },
  {
    name: ALERT_EMAIL_ENV,
    doc: 'Where workflow-failure alerts and the operators’ notices go.',
    example: 'ops@example.cn',
    setBy: 'cdk',
    by: 'needs.alerts',
  },
  {
    name: ALERT_CONSOLE_URL_ENV,
    doc: 'Link in an alert to where executions are inspected; default the Step Functions console.',
    example: 'http://127.0.0.1:3000/_local/executions',
    setBy: 'local',
    by: 'infra/local/start.ts',
  },
  {
    name: MAIL_TRANSPORT_ENV,
    doc: '`outbox` (local), `ses` (SES v2) or `smtp`; the mailer function only.',
    example: 'ses',
    setBy: 'cdk',
    by: 'needs.sendsMail (Mail.configure)',
  },
  {
    name: MAIL_FROM_ENV,
    doc: 'The sender of every message.',
    example: '辽宁省首席标准官备案 <noreply@example.cn>',
    setBy: 'cdk',
    by: 'needs.sendsMail (Mail.configure)',
  },
  {
    name: OUTBOX_DIR_ENV,
    doc: 'Directory of the local outbox (.eml files and index.jsonl); `outbox` transport only.',
    example: '.local/outbox',
    setBy: 'local',
    by: 'infra/local/start.ts',
  },
  {
    name: SMTP_URL_ENV,
    doc: '`smtp://user:pass@host:587` or `smtps://…:465`; `smtp` transport only, never echoed in errors.',
    example: 'smtps://user:pass@smtp.example.cn:465',
    setBy: 'local',
    by: 'the mail-outage soak (the cloud uses SMTP_SECRET_ARN)',
  },
  {
    name: SMTP_SECRET_ARN_ENV,
    doc: 'Secrets Manager secret with the SMTP credentials (JSON host, port, username, password, secure).',
    example: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:smtp-credentials',
    setBy: 'cdk',
    by: 'needs.sendsMail on an `smtp` stage (Mail.configure)',
  },
  {
    name: POWERTOOLS_SERVICE_NAME_ENV,
    doc: 'The `service` field of every log line.',
    example: 'standards-officer',
    setBy: 'cdk',
    by: 'every function (HouseFunction)',
  },
  {
    name: LOCAL_EXIT_AFTER_SUBMIT_WRITE_ENV,
    doc: '`1`: the submit handler exits right after the filing’s transaction, as a crash there would (a test hook).',
    example: '1',
    setBy: 'local',
    by: 'the outbox crash test',
  },
];

/**
 * The older names of some of the settings above, kept for the benchmark's in-process runtime
 * (bench/lib/cold-response.ts). Function code imports the constants: a function using this
 * object would bundle every name in it.
 */
export const ENV = {
  tableName: TABLE_NAME_ENV,
  fieldKeyArn: FIELD_KEY_ARN_ENV,
  personHmacKeyArn: PERSON_HMAC_KEY_ARN_ENV,
  localKeyFile: LOCAL_KEY_FILE_ENV,
  attachmentsBucket: ATTACHMENTS_BUCKET_ENV,
  reportsBucket: REPORTS_BUCKET_ENV,
  attachmentLinkSeconds: ATTACHMENT_LINK_SECONDS_ENV,
} as const;

/** A required setting; missing configuration stops the cold start with its name. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}
