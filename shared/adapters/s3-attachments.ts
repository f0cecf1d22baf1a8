// The AttachmentStore port on S3 (the real `@aws-sdk/client-s3`; locally s3rver through
// AWS_ENDPOINT_URL_S3): HeadObject for the size, a ranged GetObject for the first bytes,
// an idempotent CopyObject, and batched deletes.
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type ObjectFacts, SNIFF_BYTES } from '../domain/attachments.ts';
import type { AttachmentStore } from '../ports/attachments.ts';

const isMissing = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

export function s3AttachmentStore(client: S3Client, bucket: string): AttachmentStore {
  async function size(key: string): Promise<number | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async function deleteKeys(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        throw new Error(`could not delete ${failed.length} attachment objects: ${failed[0]?.Code}`);
      }
    }
  }

  return {
    async inspect(key: string): Promise<ObjectFacts | undefined> {
      const bytes = await size(key);
      if (bytes === undefined) return undefined;
      if (bytes === 0) return { size: 0, head: new Uint8Array() };
      try {
        const got = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${SNIFF_BYTES - 1}` }),
        );
        const head = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
        return { size: bytes, head: head.subarray(0, SNIFF_BYTES) };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async copy(from: string, to: string): Promise<void> {
      if ((await size(to)) !== undefined) return;
      try {
        await client.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: to,
            CopySource: `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
          }),
        );
      } catch (error) {
        // A concurrent retry of the same request copied it and removed the upload meanwhile.
        if (isMissing(error) && (await size(to)) !== undefined) return;
        throw error;
      }
    },

    delete: deleteKeys,

    async deletePrefix(prefix: string): Promise<number> {
      let count = 0;
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
        if (keys.length > 0) await deleteKeys(keys);
        count += keys.length;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return count;
    },
  };
}
