// What the runtime's table and bucket hold for each filing, to tell a whole filing (its body,
// its audit events from 1 without a gap, its person claim while it is active, its documents
// under filings/<id>/) from an absent one and from anything in between; and whether the
// counters the reports read agree with the filings.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, ListObjectsCommand } from '@aws-sdk/client-s3';
import { localS3Client } from '#infra/local/s3-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ACTIVE_STATES, type FilingState, STATES } from '#shared/domain/lifecycle.ts';
import type { Runtime } from '../support/runtime.ts';
import { scanAllAt } from '../support/scan.ts';

type Item = Record<string, unknown>;

export interface Snapshot {
  items: Item[];
  /** Object keys under filings/. */
  objects: Set<string>;
}

export async function snapshot(runtime: Runtime): Promise<Snapshot> {
  const client = new DynamoDBClient({
    endpoint: runtime.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const items = await scanAllAt(createDocumentClient(client), runtime.tableName);
  client.destroy();
  const s3 = localS3Client(runtime.s3Endpoint);
  const objects = new Set<string>();
  // ListObjects (v1) paged by Marker: s3rver 3.7.1 makes v2 continuation tokens with DES, which
  // Node 24's OpenSSL refuses, so any v2 listing past 1,000 keys fails there (InternalError).
  let marker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectsCommand({ Bucket: runtime.bucket, Prefix: 'filings/', Marker: marker }),
    );
    for (const o of page.Contents ?? []) if (o.Key) objects.add(o.Key);
    marker = page.Contents?.at(-1)?.Key;
    if (!page.IsTruncated || !marker) break;
  }
  s3.destroy();
  return { items, objects };
}

/** Which of these keys (uploads) are still in the runtime's bucket. */
export async function existingUploads(runtime: Runtime, keys: readonly string[]): Promise<Set<string>> {
  const s3 = localS3Client(runtime.s3Endpoint);
  const found = new Set<string>();
  for (const key of keys) {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: runtime.bucket, Key: key }));
      found.add(key);
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404)
        throw error;
    }
  }
  s3.destroy();
  return found;
}

export interface FilingView {
  body?: Item;
  events: Item[];
  persons: Item[];
  objects: string[];
}

/** Everything of each filing, by filing id. */
export function byFiling(snap: Snapshot): Map<string, FilingView> {
  const out = new Map<string, FilingView>();
  const view = (id: string) => {
    let v = out.get(id);
    if (!v) {
      v = { events: [], persons: [], objects: [] };
      out.set(id, v);
    }
    return v;
  };
  for (const item of snap.items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (pk.startsWith('FILING#')) {
      const id = pk.slice('FILING#'.length);
      if (sk === 'BODY') view(id).body = item;
      else if (sk.startsWith('EVENT#')) view(id).events.push(item);
    } else if (sk === 'PERSON') view(String(item.filingId)).persons.push(item);
  }
  for (const key of snap.objects) view(key.split('/')[1] ?? '').objects.push(key);
  for (const v of out.values()) v.events.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  return out;
}

export const lastState = (v: FilingView) => v.events.at(-1)?.to as FilingState | undefined;

/** 'whole', 'absent', or what is wrong with what is there. */
export function shapeOf(v: FilingView | undefined): string {
  if (!v || (!v.body && v.events.length === 0 && v.persons.length === 0 && v.objects.length === 0)) {
    return 'absent';
  }
  const problems: string[] = [];
  if (!v.body) problems.push('no body');
  const versions = v.events.map((e) => Number(e.version));
  if (versions.length === 0) problems.push('no events');
  else if (versions.some((version, i) => version !== i + 1)) problems.push(`events ${versions.join(',')}`);
  if (v.events[0] && v.events[0].action !== 'submit')
    problems.push(`first event ${String(v.events[0].action)}`);
  const state = lastState(v);
  const claims = state && ACTIVE_STATES.includes(state) ? 1 : 0;
  if (v.persons.length !== claims) problems.push(`${v.persons.length} person claims in state ${state}`);
  const attachments = ((v.body?.filing as { attachments?: { key: string }[] } | undefined)?.attachments ??
    []) as { key: string }[];
  if (v.body && attachments.length !== 2) problems.push(`${attachments.length} attachments`);
  const missing = attachments.filter((a) => !v.objects.includes(a.key));
  if (missing.length > 0) problems.push(`${missing.length} documents missing from the bucket`);
  const stray = v.objects.filter((key) => !attachments.some((a) => a.key === key));
  if (stray.length > 0) problems.push(`${stray.length} documents the filing does not name`);
  return problems.length === 0 ? 'whole' : problems.join('; ');
}

/**
 * The counters against the filings: every filing counted once as filed, and each state's net
 * count equal to the filings whose last event is in it. Empty when they agree.
 */
export function counterMismatches(snap: Snapshot, programId = 'liaoning-cso'): string[] {
  const counters = snap.items.filter((i) => i.pk === `COUNTERS#${programId}`);
  const sum = (test: (attr: string) => boolean) =>
    counters.reduce(
      (total, c) =>
        total +
        Object.entries(c)
          .filter(([attr]) => test(attr))
          .reduce((t, [, v]) => t + Number(v), 0),
      0,
    );
  const views = [...byFiling(snap).values()].filter((v) => v.body);
  const out: string[] = [];
  const filed = sum((a) => /^m\d\d_submitted$/.test(a));
  if (filed !== views.length) out.push(`filed: counters ${filed}, filings ${views.length}`);
  for (const state of STATES) {
    const counted = sum((a) => a === `n_${state}`);
    const actual = views.filter((v) => lastState(v) === state).length;
    if (counted !== actual) out.push(`${state}: counters ${counted}, filings ${actual}`);
  }
  return out;
}
