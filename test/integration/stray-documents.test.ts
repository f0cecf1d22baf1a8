// The stray-document sweep of the retention job on the real adapters: filings stored through
// the repository in DynamoDB Local, their documents and strays in a bucket of its own on the
// local S3 (s3rver), more than a listing page of objects (1,000) and more filings than one
// BatchGetItem (100). Only what no stored filing names goes, and only once it is two days old.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localS3Client } from '#infra/local/s3-local.ts';
import { s3AttachmentStore } from '#shared/adapters/s3-attachments.ts';
import { createDocumentOwners } from '#shared/data/retention-store.ts';
import { filingPrefix } from '#shared/domain/attachments.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { sweepStrayDocuments } from '#shared/use-cases/retention/stray-documents.ts';
import { samplePdf } from '../support/attachments.ts';
import { freshTable } from '../support/ddb.ts';
import { validFiling } from '../support/fixtures.ts';

const s3 = localS3Client(inject('s3Endpoint'));
const bucket = `strays-${randomBytes(4).toString('hex')}`;
const FILINGS = 120;
const STRAYS_UNDER_NEVER_STORED = 1_000;
const pdf = samplePdf('stray');

let env: Awaited<ReturnType<typeof freshTable>>;
const named: string[] = [];
const strays: string[] = [];

async function allKeys(): Promise<string[]> {
  const out: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: marker }));
    for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
    marker = page.Contents?.at(-1)?.Key;
    if (!page.IsTruncated || !marker) return out.sort();
  }
}

async function putAll(keys: string[]): Promise<void> {
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let key = queue.pop(); key; key = queue.pop()) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pdf }));
      }
    }),
  );
}

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  env = await freshTable();
  for (let i = 0; i < FILINGS; i++) {
    const filingId = `S${String(i).padStart(4, '0')}`;
    const appointment = `${filingPrefix(filingId)}appointment-A${i}`;
    const endorsement = `${filingPrefix(filingId)}endorsement-E${i}`;
    named.push(appointment, endorsement);
    // An amendment stopped before its cleanup left the document it replaced.
    if (i % 10 === 0) strays.push(`${filingPrefix(filingId)}appointment-OLD${i}`);
    await env.repo.create({
      filingId,
      requestHash: `h${i}`,
      programId: 'liaoning-cso',
      filing: {
        ...parseFiling(validFiling({ n: 500 + i })),
        attachments: [
          { kind: 'appointment', key: appointment, contentType: 'application/pdf', filename: '聘任文件.pdf' },
          { kind: 'endorsement', key: endorsement, contentType: 'application/pdf', filename: '企业意见.pdf' },
        ],
      },
      warnings: [],
      actor: { role: 'applicant' },
      at: new Date().toISOString(),
    });
  }
  // Copies of submissions whose filing was never stored, two documents each.
  for (let i = 0; i < STRAYS_UNDER_NEVER_STORED / 2; i++) {
    strays.push(
      `filings/N${String(i).padStart(4, '0')}/appointment-X`,
      `filings/N${String(i).padStart(4, '0')}/endorsement-Y`,
    );
  }
  await putAll([...named, ...strays]);
}, 300_000);

describe('the stray-document sweep on DynamoDB Local and the local S3', () => {
  const deps = () => ({
    inventory: s3AttachmentStore(s3, bucket),
    owners: createDocumentOwners(env.doc, env.tableName),
  });
  const inThreeDays = () => new Date(Date.now() + 3 * 86_400_000);

  it('leaves documents younger than two days alone, strays included', async () => {
    const summary = await sweepStrayDocuments(deps(), { now: new Date() });
    expect(summary).toEqual({
      examined: named.length + strays.length,
      stray: 0,
      deleted: 0,
      filings: 0,
      dryRun: false,
    });
    expect(await allKeys()).toHaveLength(named.length + strays.length);
  });

  it('counts the old strays on a dry run without deleting', async () => {
    const summary = await sweepStrayDocuments(deps(), { now: inThreeDays(), dryRun: true });
    expect(summary).toMatchObject({ stray: strays.length, deleted: 0, filings: FILINGS / 10 + 500 });
    expect(await allKeys()).toHaveLength(named.length + strays.length);
  });

  it('deletes every old document no stored filing names, across listing pages, and keeps every named one', async () => {
    const summary = await sweepStrayDocuments(deps(), { now: inThreeDays() });
    expect(summary).toEqual({
      examined: named.length + strays.length,
      stray: strays.length,
      deleted: strays.length,
      filings: FILINGS / 10 + 500,
      dryRun: false,
    });
    expect(await allKeys()).toEqual([...named].sort());

    const again = await sweepStrayDocuments(deps(), { now: inThreeDays() });
    expect(again).toMatchObject({ examined: named.length, stray: 0, deleted: 0 });
  });
});
