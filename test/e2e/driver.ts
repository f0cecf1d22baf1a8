// The e2e driver: how the site and a test talk to the running local API, in one place.
// Like the site, it uploads a filing's documents before submitting (presign, then a browser-
// style multipart POST straight to the local S3) unless the filing already names them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { localS3Client } from '#infra/local/s3-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import {
  encryptionSdkCipher,
  loadOrCreateLocalKeys,
  localHasher,
  rawAesKeyring,
} from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import type { AttachmentKind, AttachmentRef } from '#shared/domain/attachments.ts';
import { samplePdf } from '../support/attachments.ts';
import { capture, type Runtime } from '../support/runtime.ts';
import { scanAllAt } from '../support/scan.ts';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface OutboxItem {
  id: string;
  to: string[];
  subject: string;
  kind: string;
  links: string[];
  at: string;
}

export interface ErrorBody {
  errors: { path: string; code: string; message: { zh: string; en: string } }[];
}

export interface PresignedUpload {
  key: string;
  url: string;
  fields: Record<string, string>;
  maxBytes: number;
  expiresAt: string;
}

type WithAttachments = { attachments?: unknown };

/** Fields of a request body whose values are personal data (what the end-of-run scan looks for). */
const PERSONAL_KEYS = new Set(['idNumber', 'mobile', 'email', 'officePhone', 'phone']);

function personalValues(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value)) {
    if (PERSONAL_KEYS.has(key) && typeof v === 'string' && v.length >= 6) out.push(v);
    else personalValues(v, out, depth + 1);
  }
  return out;
}

/** The capture hooks: the personal data a test sent, and every error answer (status ≥ 400). */
function captureExchange(method: string, path: string, sent: unknown, status: number, text: string) {
  const values = personalValues(sent);
  if (values.length > 0) capture(`sent-${process.pid}.txt`, `${values.join('\n')}\n`);
  if (status >= 400) {
    capture(`responses-${process.pid}.log`, `${status} ${method} ${path.split('?')[0]}\n${text}\n`);
  }
}

export function apiDriver(runtime: Runtime, origin = runtime.baseUrl) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { origin, ...init.headers };
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${runtime.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // pages and empty bodies stay text
    }
    captureExchange(method, path, init.body, res.status, text);
    return { status: res.status, headers: res.headers, body: parsed as T, text } satisfies Answer<T>;
  }

  const receipt = (token: string) => ({ authorization: `Receipt ${token}` });

  const s3 = localS3Client(runtime.s3Endpoint);

  /** Asks the API for a presigned POST, as the site does when a file is chosen. */
  const presign = (programId: string, request: { kind: string; contentType: string; size: number }) =>
    call<PresignedUpload & ErrorBody>('POST', `/programs/${programId}/uploads`, { body: request });

  /** The browser's upload: multipart/form-data with the policy's fields, then the file. */
  async function postUpload(
    upload: Pick<PresignedUpload, 'url' | 'fields'>,
    bytes: Uint8Array,
    contentType: string,
    filename: string,
  ): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: contentType }), filename);
    return fetch(upload.url, { method: 'POST', body: form, headers: { origin } });
  }

  /** Presigns and uploads one document, returning how the filing refers to it. */
  async function upload(
    programId: string,
    kind: AttachmentKind,
    bytes: Uint8Array = samplePdf(kind),
    contentType = 'application/pdf',
    filename = `${kind}.pdf`,
  ): Promise<AttachmentRef> {
    const presigned = await presign(programId, { kind, contentType, size: bytes.length });
    if (presigned.status !== 200) throw new Error(`presign answered ${presigned.status}: ${presigned.text}`);
    const stored = await postUpload(presigned.body, bytes, contentType, filename);
    if (!stored.ok) throw new Error(`upload answered ${stored.status}`);
    return {
      kind,
      key: presigned.body.key,
      contentType: contentType as AttachmentRef['contentType'],
      filename,
    };
  }

  const requiredKinds = new Map<string, Promise<AttachmentKind[]>>();
  const uploaded = new WeakMap<object, Promise<AttachmentRef[]>>();

  /**
   * The filing with its documents: as given when it names them, otherwise the programme's
   * required documents uploaded once per filing object (a retry sends the same body).
   */
  async function withDocuments<T extends object>(programId: string, filing: T): Promise<T> {
    if ((filing as WithAttachments).attachments !== undefined) return filing;
    let refs = uploaded.get(filing);
    if (!refs) {
      let kinds = requiredKinds.get(programId);
      if (!kinds) {
        kinds = call<{ attachments?: { kinds: { id: AttachmentKind; required: boolean }[] } }>(
          'GET',
          `/programs/${programId}`,
        ).then((res) => (res.body.attachments?.kinds ?? []).filter((k) => k.required).map((k) => k.id));
        requiredKinds.set(programId, kinds);
      }
      const wanted = await kinds;
      refs = Promise.all(wanted.map((kind) => upload(programId, kind)));
      uploaded.set(filing, refs);
    }
    return { ...filing, attachments: await refs };
  }

  async function programOf(filingId: string): Promise<string> {
    const got = await doc.send(
      new GetCommand({ TableName: runtime.tableName, Key: { pk: `FILING#${filingId}`, sk: 'BODY' } }),
    );
    const body = got.Item as { programId?: string } | undefined;
    return body?.programId ?? 'liaoning-cso';
  }

  const doc = createDocumentClient(
    new DynamoDBClient({
      endpoint: runtime.dynamodbEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );

  return {
    call,
    programs: () => call('GET', '/programs'),
    program: (id: string) => call('GET', `/programs/${id}`),
    presign,
    postUpload,
    upload,
    withDocuments,
    /** Submits as the site does: the documents uploaded first unless the filing names them. */
    submit: async (programId: string, filing: object, idempotencyKey?: string) =>
      call('POST', `/programs/${programId}/filings`, {
        body: await withDocuments(programId, filing),
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      }),
    status: (filingId: string, token?: string) =>
      call('GET', `/filings/${filingId}`, { headers: token ? receipt(token) : {} }),
    statusByQuery: (filingId: string, token: string) =>
      call('GET', `/filings/${filingId}?receipt=${encodeURIComponent(token)}`),
    amend: async (filingId: string, token: string, filing: object) =>
      call('PUT', `/filings/${filingId}`, {
        body: await withDocuments(await programOf(filingId), filing),
        headers: receipt(token),
      }),
    withdraw: (filingId: string, token: string) =>
      call('POST', `/filings/${filingId}/withdraw`, { headers: receipt(token) }),
    /**
     * Waits until the workflow engine has settled (so the table holds still): nothing under way
     * in it (runs, its own store writes, answers, timeouts due) and every running execution
     * parked in a wait, as the runtime reports it in one reading; and, unless `mail` is false, the
     * mail queued so far sent (a soak with thousands queued after an outage does not wait for them).
     */
    async settled(timeoutMs = 60_000, options: { mail?: boolean } = {}): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        // One reading may not outlast the wait either (it lists every running execution).
        const query = options.mail === false ? '' : '?mail=1';
        const reading = await fetch(`${runtime.baseUrl}/_local/settled.json${query}`, {
          signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
        }).catch((error: unknown) => {
          throw new Error(
            `workflows did not settle: no reading in time (${String(error)}), last ${JSON.stringify(last)}`,
          );
        });
        const state = (await reading.json()) as {
          settled: boolean;
        };
        if (state.settled) return;
        last = state;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`workflows did not settle: ${JSON.stringify(last)}`);
    },
    /** The local outbox (newest first). */
    async outbox(): Promise<OutboxItem[]> {
      return (await (await fetch(`${runtime.baseUrl}/_local/outbox.json`)).json()) as OutboxItem[];
    },
    /** Waits for a message of `kind` about `filingId` (by its subject or links) and returns it. */
    async waitForMail(kind: string, match: (m: OutboxItem) => boolean = () => true, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = (await this.outbox()).find((m) => m.kind === kind && match(m));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no ${kind} mail arrived`);
    },
    /** A review link (GET shows the page; POST decides with a form). */
    reviewPage: (link: string) => call('GET', new URL(link).pathname),
    decide: (link: string, form: Record<string, string>) =>
      call('POST', new URL(link).pathname, {
        raw: new URLSearchParams(form).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    /** Fast-forwards the workflow clock. */
    tick: (by: string) => call('POST', `/_local/tick?by=${by}`),
    sendBatches: () => call('POST', '/_local/run/send-batches'),
    executions: async () =>
      (await (await fetch(`${runtime.baseUrl}/_local/executions.json`)).json()) as {
        name: string;
        status: string;
        error?: string;
        stateName?: string;
        events: { type: string; state?: string; at: string }[];
      }[],
    /** Every object key in the runtime's attachment bucket under a prefix (tests only). */
    async objectKeys(prefix = ''): Promise<string[]> {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: runtime.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    /** Every item in the runtime's table (tests only). */
    tableItems: () => scanAllAt(doc, runtime.tableName),
    /** The data layer with the runtime's own keys: for reading what the API does not show (recorded failures, states). */
    repository: () => {
      const keys = loadOrCreateLocalKeys(`${runtime.localDir}/keys.json`);
      return createFilingRepository({
        doc,
        tableName: runtime.tableName,
        cipher: encryptionSdkCipher(rawAesKeyring(keys.fieldKey)),
        hasher: localHasher(keys.hmacKey),
      });
    },
  };
}

export type ApiDriver = ReturnType<typeof apiDriver>;
