// The local S3 of `npm start` (s3rver, started once for this suite) with the real SDK: the
// attachment store's operations, and the sweep that stands in for the bucket's lifecycle rule.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localS3Client, sweepUploads } from '#infra/local/s3-local.ts';
import { s3AttachmentStore } from '#shared/adapters/s3-attachments.ts';
import { samplePdf } from '../support/attachments.ts';

const client = localS3Client(inject('s3Endpoint'));
const bucket = `sweep-${randomBytes(4).toString('hex')}`;
const store = s3AttachmentStore(client, bucket);

const put = (key: string, body: Uint8Array = samplePdf()) =>
  client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const keys = async (prefix = '') =>
  ((await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key)
    .sort();

beforeAll(async () => {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});

describe('the attachment store on the local S3', () => {
  it('tells size and first bytes, copies once, deletes by key and by prefix', async () => {
    const pdf = samplePdf('store');
    await put('uploads/p/A', pdf);
    expect(await store.inspect('uploads/p/A')).toEqual({ size: pdf.length, head: pdf.subarray(0, 16) });
    expect(await store.inspect('uploads/p/missing')).toBeUndefined();
    await put('uploads/p/empty', new Uint8Array());
    expect(await store.inspect('uploads/p/empty')).toEqual({ size: 0, head: new Uint8Array() });

    await store.copy('uploads/p/A', 'filings/F1/appointment-A');
    await put('uploads/p/A', samplePdf('changed'));
    await store.copy('uploads/p/A', 'filings/F1/appointment-A'); // already there: left as it was
    expect((await store.inspect('filings/F1/appointment-A'))?.size).toBe(pdf.length);
    await expect(store.copy('uploads/p/never', 'filings/F1/x')).rejects.toMatchObject({ name: 'NoSuchKey' });

    await store.delete(['uploads/p/A', 'uploads/p/not-there']);
    expect(await keys('uploads/p/A')).toEqual([]);
    await put('filings/F1/endorsement-B');
    expect(await store.deletePrefix('filings/F1/')).toBe(2);
    expect(await keys('filings/')).toEqual([]);
    expect(await store.deletePrefix('filings/F1/')).toBe(0);
  });

  it('the sweep deletes uploads older than a day and never a filing’s documents', async () => {
    await put('uploads/q/old');
    await put('filings/F2/appointment-C');
    expect(await sweepUploads(client, bucket)).toBe(0); // fresh: kept
    expect(await sweepUploads(client, bucket, new Date(Date.now() + 25 * 3_600_000))).toBeGreaterThanOrEqual(
      1,
    );
    expect(await keys('uploads/')).toEqual([]);
    expect(await keys('filings/')).toEqual(['filings/F2/appointment-C']);
  });
});
