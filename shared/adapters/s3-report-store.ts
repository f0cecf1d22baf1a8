// The ReportStore port on S3 (server-side encryption is the bucket's own key).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReportStore } from '../ports/report-store.ts';

export function s3ReportStore(client: S3Client, bucket: string): ReportStore {
  return {
    async put(key, body, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    },
  };
}
