// Wiring of the presigned URLs (upload POST, reviewer's view GET) from the environment:
// the bucket (ATTACHMENTS_BUCKET) and S3 (AWS_ENDPOINT_URL_S3 locally), once per process.
// Apart from the object store so that submit and amend do not bundle the presigners.
import { S3Client } from '@aws-sdk/client-s3';
import { ATTACHMENT_LINK_SECONDS_ENV, ATTACHMENTS_BUCKET_ENV, requireEnv } from '../config/env.ts';
import { VIEW_URL_SECONDS } from '../domain/attachments.ts';
import type { AttachmentLinks } from '../ports/attachments.ts';
import { s3AttachmentLinks } from './s3-presign.ts';

let links: AttachmentLinks | undefined;

export function attachmentLinks(): AttachmentLinks {
  links ??= s3AttachmentLinks(new S3Client({}), requireEnv(ATTACHMENTS_BUCKET_ENV));
  return links;
}

/** Lifetime of a view link: ATTACHMENT_LINK_SECONDS when set (1–900), else 5 minutes. */
export function attachmentLinkSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[ATTACHMENT_LINK_SECONDS_ENV]);
  return Number.isInteger(value) && value >= 1 && value <= 900 ? value : VIEW_URL_SECONDS;
}
