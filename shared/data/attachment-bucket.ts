// The attachment bucket, in one place for the CDK stack (infra/constructs/storage.ts) and the
// local runtime: private (public access blocked), encrypted, the site's origins allowed to
// POST uploads (CORS), and a lifecycle rule that deletes uploads no filing took within a day.
// Functions get the bucket's name in ATTACHMENTS_BUCKET.
import {
  FILING_PREFIX,
  MAX_ATTACHMENT_BYTES,
  UPLOAD_EXPIRY_DAYS,
  UPLOAD_PREFIX,
} from '../domain/attachments.ts';

export const ATTACHMENT_BUCKET = {
  /** The local runtime's bucket (s3rver); the stack names its own and passes it in the environment. */
  localName: 'standards-officer-attachments',
  /** Where browsers upload (presigned POST); expired by the lifecycle rule. */
  uploadPrefix: UPLOAD_PREFIX,
  /** A filing's documents, `filings/<filingId>/<kind>-<token>`; deleted on withdrawal and by the retention purge. */
  filingPrefix: FILING_PREFIX,
  /** Lifecycle: expire objects under `uploadPrefix` after this many days. */
  uploadExpiryDays: UPLOAD_EXPIRY_DAYS,
  /** The upload policy's content-length-range upper bound. */
  maxObjectBytes: MAX_ATTACHMENT_BYTES,
  /** CORS for the site's origins: POST (upload) only; a view link is a plain navigation, not a fetch. */
  corsMethods: ['POST'],
} as const;
