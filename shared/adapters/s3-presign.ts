// The AttachmentLinks port on S3: a presigned POST whose policy allows one key, one content
// type and at most the size limit (the browser uploads straight to the bucket), and a short
// presigned GET that shows a document inline to a reviewer. Signing is local (no request).
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition, servedFilename, UPLOAD_URL_SECONDS } from '../domain/attachments.ts';
import type { AttachmentLinks } from '../ports/attachments.ts';

export function s3AttachmentLinks(client: S3Client, bucket: string, now = () => new Date()): AttachmentLinks {
  return {
    async presignUpload({ key, contentType, maxBytes }) {
      const signedAt = now();
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: UPLOAD_URL_SECONDS,
      });
      return {
        url,
        fields,
        expiresAt: new Date(signedAt.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
      };
    },

    async presignView({ key, kind, contentType, seconds }) {
      const signedAt = now();
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ResponseContentType: contentType,
          ResponseContentDisposition: contentDisposition(servedFilename({ kind, contentType })),
          ResponseCacheControl: 'no-store',
        }),
        { expiresIn: seconds, signingDate: signedAt },
      );
      return { url, expiresAt: new Date(signedAt.getTime() + seconds * 1000).toISOString() };
    },
  };
}
