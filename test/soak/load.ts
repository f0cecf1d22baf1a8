// Load for the soak suite: submissions prepared as the site leaves them (both documents
// uploaded to the local S3 first, under keys of the shape the presign issues), requests with a
// client timeout that always come back with an answer or the reason there was none, closed
// loops of fixed concurrency, and percentiles.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { localS3Client } from '#infra/local/s3-local.ts';
import { loadOrCreateLocalKeys, localHasher } from '#shared/data/field-crypto.ts';
import { filingIdFrom } from '#shared/domain/ids.ts';
import { attachmentRefs, samplePdf } from '../support/attachments.ts';
import { validFiling } from '../support/fixtures.ts';
import type { Runtime } from '../support/runtime.ts';

export const PROGRAM = 'liaoning-cso';

export interface Submission {
  n: number;
  /** Sent as Idempotency-Key: the filing id follows from it, so even an unanswered one is known. */
  key: string;
  filingId: string;
  body: string;
}

/** The filing id the runtime derives from an Idempotency-Key (its keyed hash, with the runtime's own key). */
export async function filingIdForKey(runtime: Runtime, key: string, programId = PROGRAM): Promise<string> {
  const hasher = localHasher(loadOrCreateLocalKeys(`${runtime.localDir}/keys.json`).hmacKey);
  const mac = await hasher.mac('idempotency', `${programId}\u0000${key}`);
  return filingIdFrom(Buffer.from(mac, 'base64url'));
}

/** Valid, unique submissions for people `ns`, their documents already in the bucket. */
export async function prepareSubmissions(
  runtime: Runtime,
  ns: readonly number[],
  salt: string,
  unit = '210100',
): Promise<Submission[]> {
  const s3 = localS3Client(runtime.s3Endpoint);
  const pdf = samplePdf(salt);
  const out: Submission[] = [];
  for (let i = 0; i < ns.length; i += 50) {
    const batch = ns.slice(i, i + 50);
    out.push(
      ...(await Promise.all(
        batch.map(async (n) => {
          const attachments = attachmentRefs(PROGRAM, n, undefined, salt);
          await Promise.all(
            attachments.map((ref) =>
              s3.send(
                new PutObjectCommand({
                  Bucket: runtime.bucket,
                  Key: ref.key,
                  Body: pdf,
                  ContentType: ref.contentType,
                }),
              ),
            ),
          );
          const key = `soak-${salt}-${n}`;
          return {
            n,
            key,
            filingId: await filingIdForKey(runtime, key),
            body: JSON.stringify({ ...validFiling({ n, unit }), attachments }),
          };
        }),
      )),
    );
  }
  s3.destroy();
  return out;
}

/** The upload keys a submission's body refers to. */
export function uploadKeysOf(s: Submission): string[] {
  return (JSON.parse(s.body) as { attachments: { key: string }[] }).attachments.map((a) => a.key);
}

export interface Sent {
  /** 0 when no answer came (client timeout, connection refused or reset). */
  status: number;
  retryAfter: string | null;
  text: string;
  /** Why there was no answer. */
  error?: string;
  start: number;
  end: number;
}

export const ms = (s: Sent) => s.end - s.start;

/** One request with a client timeout; never throws. */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Sent> {
  const start = Date.now();
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { origin: baseUrl, ...init.headers },
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), text, start, end: Date.now() };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return {
      status: 0,
      retryAfter: null,
      text: '',
      error: e.cause?.code ?? e.name,
      start,
      end: Date.now(),
    };
  }
}

export const submit = (baseUrl: string, s: Submission, timeoutMs?: number) =>
  send(baseUrl, 'POST', `/programs/${PROGRAM}/filings`, {
    body: s.body,
    headers: { 'content-type': 'application/json', 'idempotency-key': s.key },
    ...(timeoutMs ? { timeoutMs } : {}),
  });

export const readStatus = (baseUrl: string, filingId: string, receiptToken: string) =>
  send(baseUrl, 'GET', `/filings/${filingId}`, { headers: { authorization: `Receipt ${receiptToken}` } });

export const decide = (baseUrl: string, link: string, form: Record<string, string>) =>
  send(baseUrl, 'POST', new URL(link).pathname, {
    body: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

/** Runs `op` from `concurrency` workers until `more()` says stop; each worker waits for its answer. */
export async function closedLoop(
  concurrency: number,
  more: () => boolean,
  op: (worker: number) => Promise<unknown>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (more()) await op(worker);
    }),
  );
}

/** Runs `op` on every item with at most `concurrency` in flight. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  op: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await closedLoop(
    concurrency,
    () => next < items.length,
    async () => {
      const item = items[next++];
      if (item !== undefined) await op(item);
    },
  );
}

/** The p-th percentile (nearest rank) of some numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
