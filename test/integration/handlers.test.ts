// The real handler modules, in-process, with API Gateway HTTP API (payload 2.0) events against
// DynamoDB Local and the local S3: the middy chain (CORS, security headers, body limit, JSON
// parsing, zod validation, error mapping), the use cases and the repository together, as
// Lambda runs them. A filing's documents are put in the bucket before it is submitted, as if
// the browser had uploaded them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { localS3Client } from '#infra/local/s3-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { loadOrCreateLocalKeys, localHasher } from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { MAX_BODY_BYTES } from '#shared/http/handler.ts';
import { matchPath, ROUTES } from '#shared/http/routes.ts';
import { logger } from '#shared/observability/logger.ts';
import type { FilingRepository } from '#shared/ports/filings.ts';
import { receiptToken } from '#shared/use-cases/receipt.ts';
import { attachmentRefs, samplePdf } from '../support/attachments.ts';
import { validFiling as baseFiling } from '../support/fixtures.ts';
import { scanAllAt } from '../support/scan.ts';

const SITE = 'https://site.example';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  text: string;
  body: Record<string, unknown>;
}

interface ErrorBody {
  errors: { path: string; code: string; message: { zh: string; en: string } }[];
}

interface Created {
  filingId: string;
  receiptToken: string;
  status: string;
  warnings: unknown[];
  statusUrl: string;
}

/** A valid Liaoning filing that names its two documents (uploaded by `call` before it is sent). */
const validFiling = (options: Parameters<typeof baseFiling>[0] = {}) => ({
  ...baseFiling(options),
  attachments: attachmentRefs('liaoning-cso', options.n ?? 1),
});

const handlers: Record<string, Handler> = {};
const s3 = localS3Client(inject('s3Endpoint'));
const bucket = inject('attachmentsBucket');
const dir = mkdtempSync(join(tmpdir(), 'handlers-test-'));
const keyFile = join(dir, 'keys.json');
let tableName: string;
let endpoint: string;
let repo: FilingRepository;
let doc: ReturnType<typeof createDocumentClient>;

async function importHandlers(): Promise<Record<string, Handler>> {
  const loaded: Record<string, Handler> = {};
  for (const route of ROUTES) {
    const specifier = `#${route.handler}`;
    const mod = (await import(/* @vite-ignore */ specifier)) as { handler: Handler };
    loaded[route.id] = mod.handler;
  }
  return loaded;
}

beforeAll(async () => {
  endpoint = inject('dynamodbEndpoint');
  tableName = `handlers-${randomBytes(6).toString('hex')}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('TABLE_NAME', tableName);
  vi.stubEnv('LOCAL_KEY_FILE', keyFile);
  vi.stubEnv('FIELD_KEY_ARN', '');
  vi.stubEnv('PERSON_HMAC_KEY_ARN', '');
  vi.stubEnv('ALLOWED_ORIGINS', SITE);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', inject('s3Endpoint'));
  vi.stubEnv('ATTACHMENTS_BUCKET', bucket);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  logger.setLogLevel('SILENT');
  Object.assign(handlers, await importHandlers());
  // A second way into the same table, to move filings the way reviewers will.
  doc = createDocumentClient(client);
  repo = createFilingRepository({
    doc,
    tableName,
    hasher: localHasher(loadOrCreateLocalKeys(keyFile).hmacKey),
  });
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

function event(init: {
  method: string;
  path: string;
  routeKey?: string;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  query?: Record<string, string>;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2 {
  const route = ROUTES.find(
    (r) => (r.method === init.method || init.method === 'OPTIONS') && matchPath(r.path, init.path),
  );
  const headers: Record<string, string> = { origin: SITE, 'user-agent': 'vitest', ...init.headers };
  let body = init.raw;
  if (body === undefined && init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const query = init.query ?? {};
  const requestId = randomBytes(8).toString('hex');
  return {
    version: '2.0',
    routeKey: init.routeKey ?? (route ? `${init.method} ${route.path}` : '$default'),
    rawPath: init.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(init.pathParameters || route
      ? { pathParameters: init.pathParameters ?? (route && matchPath(route.path, init.path)) }
      : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: {
        method: init.method,
        path: init.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId,
      routeKey: init.routeKey ?? '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: init.isBase64Encoded ?? false,
  };
}

const context = (): Context =>
  ({
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'handlers-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:handlers-test',
    memoryLimitInMB: '256',
    awsRequestId: randomBytes(8).toString('hex'),
    logGroupName: '/aws/lambda/handlers-test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/** What the browser would have done before sending the filing: upload its documents. */
async function uploadDocuments(init: Parameters<typeof event>[0]): Promise<void> {
  let body = init.body;
  if (body === undefined && init.raw !== undefined) {
    try {
      body = JSON.parse(init.isBase64Encoded ? Buffer.from(init.raw, 'base64').toString('utf8') : init.raw);
    } catch {
      return; // not JSON: nothing to upload
    }
  }
  const attachments = (body as { attachments?: { key?: unknown }[] } | undefined)?.attachments ?? [];
  for (const { key } of attachments) {
    if (typeof key === 'string' && key.startsWith('uploads/')) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: samplePdf(), ContentType: 'application/pdf' }),
      );
    }
  }
}

async function call(
  routeId: string,
  init: Parameters<typeof event>[0],
  from: Record<string, Handler> = handlers,
): Promise<Answer> {
  const handler = from[routeId];
  if (!handler) throw new Error(`no handler for ${routeId}`);
  if (routeId === 'submitFiling' || routeId === 'amendFiling') await uploadDocuments(init);
  const result = (await handler(event(init), context())) as {
    statusCode: number;
    headers?: Record<string, string | number | boolean>;
    body?: string;
  };
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const text = result.body ?? '';
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // pages and empty bodies stay text
  }
  return { statusCode: result.statusCode, headers, text, body };
}

const errors = (answer: Answer) => (answer.body as unknown as ErrorBody).errors;

function expectErrorShape(answer: Answer, status: number, code?: string) {
  expect(answer.statusCode).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  const list = errors(answer);
  expect(list.length).toBeGreaterThan(0);
  for (const e of list) {
    expect(typeof e.path).toBe('string');
    expect(e.message.zh.length).toBeGreaterThan(0);
    expect(e.message.en.length).toBeGreaterThan(0);
  }
  if (code) expect(list[0]?.code).toBe(code);
}

let n = 71_000;
const next = () => n++;

const submit = (body: unknown, headers: Record<string, string> = {}, programId = 'liaoning-cso') =>
  call('submitFiling', { method: 'POST', path: `/programs/${programId}/filings`, body, headers });

const receipt = (token: string) => ({ authorization: `Receipt ${token}` });

async function created(): Promise<Created & { n: number }> {
  const k = next();
  const res = await submit(validFiling({ n: k }));
  expect(res.statusCode).toBe(201);
  return { ...(res.body as unknown as Created), n: k };
}

describe('programs', () => {
  it('lists the programs and answers the facts of one, 404 for an unknown one', async () => {
    const list = await call('listPrograms', { method: 'GET', path: '/programs' });
    expect(list.statusCode).toBe(200);
    expect((list.body.programs as { id: string }[]).map((p) => p.id)).toEqual([
      'liaoning-cso',
      'anhui-std-director',
    ]);
    expect(list.headers['cache-control']).toBe('public, max-age=300');
    const facts = await call('getProgram', { method: 'GET', path: '/programs/liaoning-cso' });
    expect(facts.statusCode).toBe(200);
    expect(facts.body.id).toBe('liaoning-cso');
    expect(facts.text).not.toContain('.example.cn');
    expectErrorShape(
      await call('getProgram', { method: 'GET', path: '/programs/nowhere' }),
      404,
      'not_found',
    );
  });
});

describe('submit and status', () => {
  it('201 with the receipt and location; the status only with the receipt', async () => {
    const filing = validFiling({ n: next() });
    const res = await submit(filing);
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const c = res.body as unknown as Created;
    expect(c.filingId).toMatch(/^F[0-9A-Z]{13}$/);
    expect(c.status).toBe('submitted');
    expect(res.headers.location).toBe(`/filings/${c.filingId}`);
    expect(c.receiptToken).toBe(
      await receiptToken(localHasher(loadOrCreateLocalKeys(keyFile).hmacKey), c.filingId),
    );

    const status = await call('getFiling', {
      method: 'GET',
      path: `/filings/${c.filingId}`,
      headers: receipt(c.receiptToken),
    });
    expect(status.statusCode).toBe(200);
    expect(status.headers['cache-control']).toBe('no-store');
    expect(status.body.status).toBe('submitted');
    expect((status.body.summary as Record<string, string>).name).toBe('张*');
    expect(status.text).not.toContain(filing.person.idNumber);
    expect(status.text).not.toContain(filing.person.mobile);
    expect(status.text).not.toContain(filing.person.email);

    const byQuery = await call('getFiling', {
      method: 'GET',
      path: `/filings/${c.filingId}`,
      query: { receipt: c.receiptToken },
    });
    expect(byQuery.statusCode).toBe(200);

    const missing = await call('getFiling', { method: 'GET', path: `/filings/${c.filingId}` });
    const wrong = await call('getFiling', {
      method: 'GET',
      path: `/filings/${c.filingId}`,
      headers: receipt(`${c.receiptToken.slice(0, -2)}xx`),
    });
    const unknownId = 'F0000000000000';
    const unknown = await call('getFiling', {
      method: 'GET',
      path: `/filings/${unknownId}`,
      headers: receipt(await receiptToken(localHasher(loadOrCreateLocalKeys(keyFile).hmacKey), unknownId)),
    });
    for (const answer of [missing, wrong, unknown]) expectErrorShape(answer, 404, 'not_found');
    expect(missing.text).toBe(unknown.text);
    expect(wrong.text).toBe(unknown.text);
  });

  it('stores the ID number encrypted, never in clear', async () => {
    const filing = validFiling({ n: next() });
    expect((await submit(filing)).statusCode).toBe(201);
    const items = JSON.stringify(await scanAllAt(doc, tableName));
    expect(items).toContain(filing.enterprise.name);
    expect(items).not.toContain(filing.person.idNumber);
  });

  it('gives the same answer for the same Idempotency-Key, 409 for another body, 422 for a bad key', async () => {
    const filing = validFiling({ n: next() });
    const key = `key-${randomBytes(8).toString('hex')}`;
    const first = await submit(filing, { 'idempotency-key': key });
    const again = await submit(filing, { 'Idempotency-Key': key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = { ...filing, person: { ...filing.person, major: '化学工程' } };
    expectErrorShape(await submit(other, { 'idempotency-key': key }), 409, 'idempotency_key_reused');
    const bad = await submit(validFiling({ n: next() }), { 'idempotency-key': 'short' });
    expectErrorShape(bad, 422, 'invalid_idempotency_key');
    expect(errors(bad)[0]?.path).toBe('headers.idempotency-key');
  });

  it('accepts a base64-encoded JSON body', async () => {
    const raw = Buffer.from(JSON.stringify(validFiling({ n: next() }))).toString('base64');
    const res = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw,
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('bad input', () => {
  it('400 for malformed JSON, and for a missing body', async () => {
    const malformed = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: '{"role": "cso",',
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(malformed, 400, 'malformed_json');
    const empty = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(empty, 400, 'malformed_json');
  });

  it('415 for a body that is not sent as JSON, or sent without a content type', async () => {
    const raw = JSON.stringify(validFiling({ n: next() }));
    const text = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw,
      headers: { 'content-type': 'text/plain' },
    });
    expectErrorShape(text, 415, 'unsupported_media_type');
    const none = await call('submitFiling', { method: 'POST', path: '/programs/liaoning-cso/filings', raw });
    expectErrorShape(none, 415, 'unsupported_media_type');
  });

  it('accepts application/json with a charset', async () => {
    const res = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: JSON.stringify(validFiling({ n: next() })),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('413 for a body over 64 KB, plain or base64-encoded, before parsing it', async () => {
    const filing = validFiling({ n: next() });
    filing.person.achievements = '标'.repeat(30_000);
    const raw = JSON.stringify(filing);
    expect(Buffer.byteLength(raw)).toBeGreaterThan(MAX_BODY_BYTES);
    expect(raw.length).toBeLessThan(MAX_BODY_BYTES);
    expectErrorShape(await submit(filing), 413, 'payload_too_large');
    const encoded = Buffer.from(raw).toString('base64');
    const base64 = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: encoded,
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(base64, 413, 'payload_too_large');
    // Too large even when it is not JSON at all: the limit comes first.
    const junk = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: `{${'x'.repeat(MAX_BODY_BYTES)}`,
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(junk, 413, 'payload_too_large');
  });

  it('takes a body of exactly 64 KB to the parser, refuses one byte more', async () => {
    const filing = JSON.stringify(validFiling({ n: next() }));
    const padded = (size: number) =>
      `${filing.slice(0, -1)},"pad":"${'x'.repeat(size - Buffer.byteLength(filing) - 9)}"}`;
    expect(Buffer.byteLength(padded(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    const at = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: padded(MAX_BODY_BYTES),
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(at, 422, 'unknown_field');
    const over = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: padded(MAX_BODY_BYTES + 1),
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(over, 413, 'payload_too_large');
  });

  it('takes a base64-encoded body of exactly 64 KB to the parser, as it does a plain one', async () => {
    // Base64 of 65 536 bytes ends in "==": the decoded size must not count the padding.
    const raw = `{"role":"cso","pad":"${'x'.repeat(MAX_BODY_BYTES - 23)}"}`;
    expect(Buffer.byteLength(raw)).toBe(MAX_BODY_BYTES);
    const encoded = Buffer.from(raw).toString('base64');
    expect(encoded.endsWith('==')).toBe(true);
    const res = await call('submitFiling', {
      method: 'POST',
      path: '/programs/liaoning-cso/filings',
      raw: encoded,
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(res, 422);
  });

  it('applies the body limit to routes without a body too', async () => {
    const c = await created();
    const res = await call('withdrawFiling', {
      method: 'POST',
      path: `/filings/${c.filingId}/withdraw`,
      headers: receipt(c.receiptToken),
      raw: 'x'.repeat(MAX_BODY_BYTES + 1),
    });
    expectErrorShape(res, 413, 'payload_too_large');
    const status = await call('getFiling', {
      method: 'GET',
      path: `/filings/${c.filingId}`,
      headers: receipt(c.receiptToken),
    });
    expect(status.body.status).toBe('submitted');
  });

  it('422 listing every failing field at once', async () => {
    const filing = validFiling({ n: next() }) as unknown as Record<string, Record<string, unknown>>;
    const person = filing.person as Record<string, unknown>;
    person.idNumber = '340524198001010013';
    person.mobile = '12345';
    person.ethnicity = '汉';
    delete person.name;
    (filing as Record<string, unknown>).extra = true;
    const res = await submit(filing);
    expectErrorShape(res, 422);
    const byPath = Object.fromEntries(errors(res).map((e) => [e.path, e.code]));
    expect(byPath).toEqual({
      extra: 'unknown_field',
      'person.ethnicity': 'unknown_field',
      'person.idNumber': 'id_check_digit',
      'person.mobile': expect.any(String),
      'person.name': 'required',
    });
  });

  it('422 for a body that is JSON but not an object', async () => {
    for (const raw of ['null', '[]', '"filing"']) {
      const res = await call('submitFiling', {
        method: 'POST',
        path: '/programs/liaoning-cso/filings',
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expectErrorShape(res, 422, 'invalid_type');
    }
  });

  it('422 for a rule violation, with the field at fault', async () => {
    const res = await submit(validFiling({ n: next(), unit: '340100' }));
    expectErrorShape(res, 422);
    expect(errors(res).map((e) => e.path)).toEqual(['enterprise.reportingUnit']);
  });

  it('404 for an unknown program', async () => {
    expectErrorShape(await submit(validFiling({ n: next() }), {}, 'nowhere'), 404, 'not_found');
  });

  it('422 on the field for a right-to-left override or an invisible character, storing nothing', async () => {
    const listed = async () =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'filings/' }))).Contents ?? []).map(
        (o) => o.Key,
      );
    const disguised = validFiling({ n: next() });
    disguised.enterprise.name = '\u202E司公限有械机阳沈';
    const attachment = disguised.attachments[1];
    if (!attachment) throw new Error('fixture');
    attachment.filename = '营业执照\u202Efdp.bat';
    disguised.person.achievements = '主持制定企业标准体系；\r\n参与\u200B行业标准起草。';
    const before = await scanAllAt(doc, tableName);
    const documents = await listed();
    const res = await submit(disguised);
    expectErrorShape(res, 422, 'invisible_characters');
    expect(errors(res)).toEqual([
      {
        path: 'person.achievements',
        code: 'invisible_characters',
        message: {
          zh: '主要标准化工作业绩：含有不可见或控制字符（U+200B），请删除后重新填写',
          en: 'main standardization achievements: contains invisible or control characters (U+200B); remove them and try again',
        },
      },
      {
        path: 'enterprise.name',
        code: 'invisible_characters',
        message: {
          zh: '企业名称：含有不可见或控制字符（U+202E），请删除后重新填写',
          en: 'enterprise name: contains invisible or control characters (U+202E); remove them and try again',
        },
      },
      {
        path: 'attachments.1.filename',
        code: 'invisible_characters',
        message: expect.objectContaining({
          zh: '附件文件名：含有不可见或控制字符（U+202E），请删除后重新填写',
        }),
      },
    ]);
    expect(await scanAllAt(doc, tableName)).toEqual(before);
    expect(await listed()).toEqual(documents);
  });

  it('409 for a second active filing of the same person', async () => {
    const k = next();
    expect((await submit(validFiling({ n: k }))).statusCode).toBe(201);
    expectErrorShape(await submit(validFiling({ n: k })), 409, 'duplicate_person');
  });
});

describe('amend and withdraw', () => {
  const amend = (filingId: string, token: string, body: unknown) =>
    call('amendFiling', { method: 'PUT', path: `/filings/${filingId}`, headers: receipt(token), body });
  const withdraw = (filingId: string, token: string | undefined) =>
    call('withdrawFiling', {
      method: 'POST',
      path: `/filings/${filingId}/withdraw`,
      headers: token ? receipt(token) : {},
    });

  it('409 invalid_state for an amendment while no changes are requested', async () => {
    const c = await created();
    expectErrorShape(await amend(c.filingId, c.receiptToken, validFiling({ n: c.n })), 409, 'invalid_state');
  });

  it('takes an amendment once the city asked for changes, and only once', async () => {
    const c = await created();
    const at = new Date().toISOString();
    await repo.transition({
      filingId: c.filingId,
      expected: { state: 'submitted', version: 1 },
      action: 'start_city_review',
      actor: { role: 'system' },
      at,
    });
    await repo.transition({
      filingId: c.filingId,
      expected: { state: 'city_review', version: 2 },
      action: 'request_changes',
      actor: { role: 'city', id: 'reviewer-7', unit: '210100' },
      at,
      reason: '请补充聘任文件编号',
    });
    const amended = validFiling({ n: c.n });
    amended.person.appointment.documentNumber = '企聘〔2025〕8号';
    expectErrorShape(await amend(c.filingId, 'wrong-token', amended), 404);
    expectErrorShape(
      await amend(c.filingId, c.receiptToken, { ...amended, role: 'director' }),
      409,
      'role_change',
    );
    const res = await amend(c.filingId, c.receiptToken, amended);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.status).toBe('city_review');
    expect(res.body.comments).toEqual([expect.objectContaining({ by: 'city', text: '请补充聘任文件编号' })]);
    expect(res.text).not.toContain('reviewer-7');
    expectErrorShape(await amend(c.filingId, c.receiptToken, amended), 409, 'invalid_state');
  });

  it('withdraws an open filing once: 200, then 409; 404 without the receipt', async () => {
    const c = await created();
    expectErrorShape(await withdraw(c.filingId, undefined), 404);
    const res = await withdraw(c.filingId, c.receiptToken);
    expect(res.statusCode).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    expectErrorShape(await withdraw(c.filingId, c.receiptToken), 409, 'invalid_state');
    // The person may file again once the filing is withdrawn.
    expect((await submit(validFiling({ n: c.n }))).statusCode).toBe(201);
  });

  it('ignores a body sent to withdraw', async () => {
    const c = await created();
    const res = await call('withdrawFiling', {
      method: 'POST',
      path: `/filings/${c.filingId}/withdraw`,
      headers: receipt(c.receiptToken),
      raw: 'not json',
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('headers on every answer', () => {
  it('CORS for the configured origin on success and error answers, none for another origin', async () => {
    const answers = [
      await call('listPrograms', { method: 'GET', path: '/programs' }),
      await call('getProgram', { method: 'GET', path: '/programs/nowhere' }),
      await submit({ role: 'cso' }),
      await call('submitFiling', {
        method: 'POST',
        path: '/programs/liaoning-cso/filings',
        raw: '{',
        headers: { 'content-type': 'application/json' },
      }),
      await call('getFiling', { method: 'GET', path: '/filings/F0000000000000' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 404, 422, 400, 404]);
    for (const res of answers) {
      expect(res.headers['access-control-allow-origin']).toBe(SITE);
      expect(res.headers['access-control-expose-headers']).toContain('location');
    }
    for (const origin of [
      'https://evil.example',
      'https://site.example.evil.example',
      'http://site.example',
    ]) {
      const foreign = await call('listPrograms', { method: 'GET', path: '/programs', headers: { origin } });
      expect(foreign.statusCode).toBe(200);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      const foreignError = await call('getProgram', {
        method: 'GET',
        path: '/programs/x',
        headers: { origin },
      });
      expect(foreignError.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('answers a CORS preflight for the submit route', async () => {
    const res = await call('submitFiling', {
      method: 'OPTIONS',
      path: '/programs/liaoning-cso/filings',
      headers: {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(200);
    expect(res.statusCode).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.headers['access-control-allow-headers']).toContain('idempotency-key');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-max-age']).toBe('600');
    // A preflight creates nothing.
    const before = (await scanAllAt(doc, tableName)).length;
    await call('submitFiling', {
      method: 'OPTIONS',
      path: '/programs/liaoning-cso/filings',
      raw: JSON.stringify(validFiling({ n: next() })),
      headers: { 'access-control-request-method': 'POST', 'content-type': 'application/json' },
    });
    expect((await scanAllAt(doc, tableName)).length).toBe(before);
  });

  it('security headers on success and error answers', async () => {
    const answers = [
      await call('listPrograms', { method: 'GET', path: '/programs' }),
      await call('getProgram', { method: 'GET', path: '/programs/nowhere' }),
      await call('submitFiling', {
        method: 'POST',
        path: '/programs/liaoning-cso/filings',
        raw: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
    ];
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    }
  });
});

describe('attachments', () => {
  const objects = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (o) => o.Key,
    );

  it('presigns an upload for the programme, refuses an oversized or unknown one', async () => {
    const res = await call('presignUpload', {
      method: 'POST',
      path: '/programs/anhui-std-director/uploads',
      body: { kind: 'appointment', contentType: 'image/jpeg', size: 200_000 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.body.key).toMatch(/^uploads\/anhui-std-director\/[0-9A-Z]{26}$/);
    expect(res.body.url).toBe(`${inject('s3Endpoint')}/${bucket}`);
    expect(res.body.fields).toMatchObject({ key: res.body.key, 'Content-Type': 'image/jpeg' });
    expectErrorShape(
      await call('presignUpload', {
        method: 'POST',
        path: '/programs/liaoning-cso/uploads',
        body: { kind: 'appointment', contentType: 'image/jpeg', size: 5 * 1024 * 1024 + 1 },
      }),
      422,
      'attachment_too_large',
    );
    expectErrorShape(
      await call('presignUpload', {
        method: 'POST',
        path: '/programs/nowhere/uploads',
        body: { kind: 'appointment', contentType: 'image/jpeg', size: 1 },
      }),
      404,
      'not_found',
    );
    expect(await objects(res.body.key as string)).toEqual([]); // nothing is stored until the browser uploads
  });

  it('keeps the documents under the filing; refuses a mislabelled one on its path, storing nothing', async () => {
    const res = await submit(validFiling({ n: next() }));
    expect(res.statusCode).toBe(201);
    const { filingId } = res.body as unknown as Created;
    expect(await objects(`filings/${filingId}/`)).toEqual([
      expect.stringMatching(/\/appointment-/),
      expect.stringMatching(/\/endorsement-/),
    ]);

    const filing = validFiling({ n: next() });
    const [endorsement, appointment] = filing.attachments;
    if (!endorsement || !appointment) throw new Error('fixture');
    appointment.contentType = 'image/png'; // the uploaded file is a PDF
    const before = await scanAllAt(doc, tableName);
    const stored = await objects('filings/');
    const refused = await submit(filing);
    expectErrorShape(refused, 422, 'attachment_type_mismatch');
    expect(errors(refused).map((e) => e.path)).toEqual(['attachments.1']);
    expect(await scanAllAt(doc, tableName)).toEqual(before);
    expect(await objects('filings/')).toEqual(stored);
  });
});

describe('documentation', () => {
  it('/docs is the Swagger UI page: one CSP, scripts of this origin only, loaded from the docs asset route', async () => {
    const res = await call('docs', { method: 'GET', path: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const csp = res.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.text.startsWith('<!doctype html>')).toBe(true);
    expect(res.text).toContain('<script src="docs/assets/swagger-ui.js"></script>');
    const script = await call('docsAsset', {
      method: 'GET',
      path: '/docs/assets/{asset}',
      pathParameters: { asset: 'swagger-ui.js' },
    });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('/openapi.json is the OpenAPI 3.1 document of every route', async () => {
    const res = await call('openapi', { method: 'GET', path: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths as Record<string, Record<string, { operationId: string }>>;
    for (const route of ROUTES) {
      expect(paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.id);
    }
  });
});

describe('an unreachable DynamoDB', () => {
  it('answers 503 with retry-after (and CORS) from fresh handler modules pointed at a closed port', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:1');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    vi.resetModules();
    try {
      const cold = await importHandlers();
      const res = await call(
        'submitFiling',
        {
          method: 'POST',
          path: '/programs/liaoning-cso/filings',
          body: validFiling({ n: next() }),
        },
        cold,
      );
      expectErrorShape(res, 503, 'service_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['access-control-allow-origin']).toBe(SITE);
      expect(res.text).not.toContain('ECONNREFUSED');
      expect(res.text).not.toContain('127.0.0.1');

      const id = 'F0000000000000';
      const token = await receiptToken(localHasher(loadOrCreateLocalKeys(keyFile).hmacKey), id);
      const status = await call(
        'getFiling',
        { method: 'GET', path: `/filings/${id}`, headers: receipt(token) },
        cold,
      );
      expectErrorShape(status, 503, 'service_unavailable');
      expect(status.headers['retry-after']).toBe('5');
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
      vi.stubEnv('AWS_MAX_ATTEMPTS', '3');
    }
  });
});
