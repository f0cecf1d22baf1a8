// The e2e driver: how the site and a test talk to the running local API, in one place.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/data/client.ts';
import {
  encryptionSdkCipher,
  loadOrCreateLocalKeys,
  localHasher,
  rawAesKeyring,
} from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import type { Runtime } from '../support/runtime.ts';
import { scanAllAt } from '../support/scan.ts';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ErrorBody {
  errors: { path: string; code: string; message: { zh: string; en: string } }[];
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
    return { status: res.status, headers: res.headers, body: parsed as T, text } satisfies Answer<T>;
  }

  const receipt = (token: string) => ({ authorization: `Receipt ${token}` });

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
    submit: (programId: string, filing: unknown, idempotencyKey?: string) =>
      call('POST', `/programs/${programId}/filings`, {
        body: filing,
        headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
      }),
    status: (filingId: string, token?: string) =>
      call('GET', `/filings/${filingId}`, { headers: token ? receipt(token) : {} }),
    statusByQuery: (filingId: string, token: string) =>
      call('GET', `/filings/${filingId}?receipt=${encodeURIComponent(token)}`),
    amend: (filingId: string, token: string, filing: unknown) =>
      call('PUT', `/filings/${filingId}`, { body: filing, headers: receipt(token) }),
    withdraw: (filingId: string, token: string) =>
      call('POST', `/filings/${filingId}/withdraw`, { headers: receipt(token) }),
    /** Every item in the runtime's table (tests only). */
    tableItems: () => scanAllAt(doc, runtime.tableName),
    /** The data layer with the runtime's own keys: for acting as a reviewer until the review links exist. */
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
