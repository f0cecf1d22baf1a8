// The AttachmentStore port on S3 (the real `@aws-sdk/client-s3`; locally s3rver through
// AWS_ENDPOINT_URL_S3): HeadObject for the size, a ranged GetObject for the first bytes,
// an idempotent CopyObject, batched deletes, and listings (a filing's prefix to delete it, all of
// `filings/` for the stray-document sweep), ListObjects v1 paged by Marker: s3rver's v2
// continuation tokens fail past 1,000 keys on Node 24, and S3 answers v1 alike.
import {
  type _Object,
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type ObjectFacts, SNIFF_BYTES } from '../domain/attachments.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { DocumentInventory, StoredObject } from '../ports/stray-documents.ts';

const isMissing = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

export function s3AttachmentStore(client: S3Client, bucket: string): AttachmentStore & DocumentInventory {
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

  /** The objects under a prefix, a page (up to 1,000) at a time, in key order. */
  async function* pages(prefix: string): AsyncIterable<_Object[]> {
    let marker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, ...(marker ? { Marker: marker } : {}) }),
      );
      const contents = page.Contents ?? [];
      yield contents;
      marker = contents.at(-1)?.Key;
      if (!page.IsTruncated || !marker) return;
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

    async *list(prefix: string): AsyncIterable<StoredObject[]> {
      for await (const contents of pages(prefix)) {
        // An object whose age is not known is not listed: the sweep must never judge it old.
        const objects = contents.flatMap((o) =>
          o.Key && o.LastModified ? [{ key: o.Key, lastModified: o.LastModified }] : [],
        );
        if (objects.length > 0) yield objects;
      }
    },

    async deletePrefix(prefix: string): Promise<number> {
      let count = 0;
      // Deleting a page does not disturb the next: a Marker is a position in key order.
      for await (const contents of pages(prefix)) {
        const keys = contents.flatMap((o) => (o.Key ? [o.Key] : []));
        if (keys.length > 0) await deleteKeys(keys);
        count += keys.length;
      }
      return count;
    },
  };
}
