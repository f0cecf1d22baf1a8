// Environment variable names, shared by the CDK code that sets them and the functions that
// read them, so the two cannot drift apart. Values are read once, at cold start.
export const ENV = {
  tableName: 'TABLE_NAME',
  /** KMS key (ARN) that wraps the field-encryption data keys (cloud). */
  fieldKeyArn: 'FIELD_KEY_ARN',
  /** KMS HMAC key (ARN) for the person keyed hash (cloud). */
  personHmacKeyArn: 'PERSON_HMAC_KEY_ARN',
  /** Local key file with a raw AES key and an HMAC key (local runtime and tests). */
  localKeyFile: 'LOCAL_KEY_FILE',
  /** The private bucket of filing attachments (locally s3rver's, reached via AWS_ENDPOINT_URL_S3). */
  attachmentsBucket: 'ATTACHMENTS_BUCKET',
  /** The private bucket of target-progress reports (locally s3rver's second bucket). */
  reportsBucket: 'REPORTS_BUCKET',
  /** Lifetime of a reviewer's attachment view link in seconds (default VIEW_URL_SECONDS, 5 minutes). */
  attachmentLinkSeconds: 'ATTACHMENT_LINK_SECONDS',
} as const;

/** A required setting; missing configuration stops the cold start with its name. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}
