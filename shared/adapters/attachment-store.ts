// Wiring of the attachment bucket's objects for the functions that change them (submit,
// amend, withdraw), once per process: the bucket (ATTACHMENTS_BUCKET) and S3
// (AWS_ENDPOINT_URL_S3 locally). Apart from the filing services so that functions which
// only read a filing (status) do not bundle the S3 client.
import { S3Client } from '@aws-sdk/client-s3';
import { ATTACHMENTS_BUCKET_ENV, requireEnv } from '../config/env.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { DocumentInventory } from '../ports/stray-documents.ts';
import { s3AttachmentStore } from './s3-attachments.ts';

let store: (AttachmentStore & DocumentInventory) | undefined;

export function attachmentStore(): AttachmentStore & DocumentInventory {
  store ??= s3AttachmentStore(new S3Client({}), requireEnv(ATTACHMENTS_BUCKET_ENV));
  return store;
}
