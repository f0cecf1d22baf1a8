// A local S3-compatible server (the npm package `s3rver`, in-process JS) for the attachment
// bucket: it listens on 127.0.0.1 (a free port unless given), keeps objects on disk under
// the runtime's LOCAL_DIR, and creates the bucket with CORS for the site's origins (the
// browser POSTs uploads straight to it). It lives in the process that starts it (the
// supervisor of `npm start`, or a test's global setup), so it stops with it. The handlers
// reach it with the real SDK through AWS_ENDPOINT_URL_S3; presigned URLs work as in AWS.
//
// Known gaps of s3rver 3.7.1, which is why submit checks every object itself: a presigned
// POST's policy is not enforced (content-length-range, Content-Type), nor are SigV4 signatures
// (only the expiry of presigned GETs), and lifecycle rules do not exist (see sweepUploads).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { s3AttachmentStore } from '#shared/adapters/s3-attachments.ts';
import { ATTACHMENT_BUCKET } from '#shared/data/attachment-bucket.ts';
import { UPLOAD_EXPIRY_DAYS, UPLOAD_PREFIX } from '#shared/domain/attachments.ts';

/** The credentials the local runtime signs with (s3rver knows only the keys it is told). */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalS3 {
  endpoint: string;
  port: number;
  bucket: string;
  stop(): Promise<void>;
}

interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  httpServer?: { closeAllConnections(): void };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverServer;

const require = createRequire(import.meta.url);

/** The local report bucket (the stack names its own and passes REPORTS_BUCKET). */
export const LOCAL_REPORTS_BUCKET = 'standards-officer-reports';

function corsXml(origins: readonly string[]): string {
  const allowed = origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  const methods = ATTACHMENT_BUCKET.corsMethods.map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}${methods}<AllowedHeader>*</AllowedHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

export async function startLocalS3(options: {
  directory: string;
  bucket: string;
  /** Origins allowed to POST uploads (the site's). */
  origins: readonly string[];
  /** Further private buckets (the report bucket), without CORS. */
  otherBuckets?: readonly string[];
  port?: number;
}): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const S3rver = require('s3rver') as S3rverClass;
  const account = require('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  account.DUMMY_ACCOUNT.createKeyPair(LOCAL_S3_CREDENTIALS.accessKeyId, LOCAL_S3_CREDENTIALS.secretAccessKey);
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: [
      { name: options.bucket, configs: [corsXml(options.origins)] },
      ...(options.otherBuckets ?? []).map((name) => ({ name, configs: [] })),
    ],
  });
  const { port } = await server.run();
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    bucket: options.bucket,
    stop() {
      stopped ??= (async () => {
        const closing = server.close().catch(() => undefined);
        server.httpServer?.closeAllConnections(); // keep-alive sockets would hold it open
        await closing;
      })();
      return stopped;
    },
  };
}

/** A client for the local server (tests, the sweep). */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
  });
}

/**
 * What the bucket's lifecycle rule does in the cloud: uploads older than UPLOAD_EXPIRY_DAYS
 * are deleted (a filing's documents live under `filings/`, which this never touches).
 */
export async function sweepUploads(client: S3Client, bucket: string, now = new Date()): Promise<number> {
  const cutoff = now.getTime() - UPLOAD_EXPIRY_DAYS * 86_400_000;
  const old: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: UPLOAD_PREFIX, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key && o.LastModified && o.LastModified.getTime() < cutoff) old.push(o.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (old.length > 0) await s3AttachmentStore(client, bucket).delete(old);
  return old.length;
}
