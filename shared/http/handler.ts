// The one middleware chain every HTTP handler uses (API Gateway HTTP API, payload 2.0):
// header and event normalization, CORS for the configured origins and security headers on
// every response (errors included), a 64 KB body limit, JSON parsing, zod validation of
// the body, a request log line without personal data, and the error handler last. Answers
// carry one header per name, in lower case: a header the route sets (a page's content
// security policy) is the only one of its name, never joined by the chain's default.
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import { createError } from '@middy/util';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { ValidationError } from '../domain/errors.ts';
import { toFieldIssue } from '../domain/field-issues.ts';
import { logger } from '../observability/logger.ts';
import { allowedOrigins } from './cors.ts';
import { toErrorAnswer } from './errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequest<TBody> {
  method: string;
  routeKey: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: TBody;
  requestId: string;
  /** Claims of the verified sign-in token (staff routes; API Gateway's JWT authorizer). */
  claims: Record<string, unknown>;
}

export interface HttpResult {
  statusCode: number;
  /** JSON body; or `html` for server-rendered pages; or `file` for a download (CSV, XLSX). */
  body?: unknown;
  html?: string;
  file?: { contentType: string; filename: string; data: string | Uint8Array };
  headers?: Record<string, string>;
}

export interface HandlerOptions<TSchema extends z.ZodMiniType | undefined> {
  /** Schema of the JSON body; routes without a body leave it out (a body is then ignored). */
  body?: TSchema;
  /**
   * The route serves pages (its cross-origin embedder policy is `unsafe-none`). Every HTML answer,
   * of any route, carries the page policy (inline styles, forms to this origin) as its only CSP.
   */
  html?: boolean;
  /** The body is an HTML form post (application/x-www-form-urlencoded), given as URLSearchParams. */
  form?: boolean;
  /** The body is a file of one of these types (given as a Buffer), up to `maxBytes` instead of 64 KB. */
  file?: { contentTypes: readonly string[]; maxBytes: number };
  /**
   * Checks the path parameters before the body is read (throws NotFoundError for an unknown
   * resource), so a request to nothing answers 404 whatever its body, not 413, 400 or 422.
   */
  path?: (pathParameters: Record<string, string>) => void;
}

type Body<TSchema> = TSchema extends z.ZodMiniType ? z.output<TSchema> : URLSearchParams | undefined;

type Event = APIGatewayProxyEventV2;
type Result = Exclude<APIGatewayProxyResultV2, string>;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The route's check of its path parameters, ahead of everything that reads the body. */
const pathCheck = (
  check: (pathParameters: Record<string, string>) => void,
): middy.MiddlewareObj<Event, Result> => ({
  before: (request) => {
    check((request.event.pathParameters ?? {}) as Record<string, string>);
  },
});

/** Refuses bodies over the limit before they are parsed. */
const bodyLimit = (maxBytes = MAX_BODY_BYTES): middy.MiddlewareObj<Event, Result> => ({
  before: (request) => {
    const { body, isBase64Encoded } = request.event;
    if (body === undefined) return;
    const bytes = Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8');
    if (bytes > maxBytes) throw createError(413, 'Payload Too Large');
  },
});

/** One log line per request: route, status, duration. Never the body, query or headers. */
const accessLog = (): middy.MiddlewareObj<Event, Result> => {
  const started = new WeakMap<object, number>();
  const line = (request: middy.Request<Event, Result>) => {
    logger.info('request', {
      route: request.event.routeKey,
      status: request.response?.statusCode,
      ms: Date.now() - (started.get(request) ?? Date.now()),
      requestId: request.event.requestContext?.requestId,
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
    },
    after: line,
    onError: (request) => {
      if (request.response) line(request);
    },
  };
};

/** Last in the chain: turns any error into the documented error body. */
const errorHandler = (): middy.MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    const answer = toErrorAnswer(request.error);
    if (answer.statusCode >= 500)
      logger.error('unhandled error', { error: request.error, route: request.event.routeKey });
    request.response = {
      statusCode: answer.statusCode,
      headers: { 'content-type': JSON_CONTENT_TYPE, ...answer.headers },
      body: JSON.stringify(answer.body),
    };
  },
});

type ResponseHeaders = NonNullable<Result['headers']>;

/** `headers` with each of `defaults` whose name, in any case, it does not have yet. */
function withDefaults(headers: ResponseHeaders | undefined, defaults: ResponseHeaders): ResponseHeaders {
  const present = new Set(Object.keys(headers ?? {}).map((name) => name.toLowerCase()));
  const out: ResponseHeaders = { ...headers };
  for (const [name, value] of Object.entries(defaults)) {
    if (!present.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

/** Names in lower case; of names that differ only in case, the first set (the route's) stays. */
function oneHeaderPerName(headers: ResponseHeaders | undefined): ResponseHeaders {
  const out: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (!(lower in out)) out[lower] = value;
  }
  return out;
}

/** First in the chain, so it runs last on the way out (after CORS and the security headers). */
const lowerCaseHeaders = (): middy.MiddlewareObj<Event, Result> => {
  const normalize = (request: middy.Request<Event, Result>) => {
    if (request.response) request.response.headers = oneHeaderPerName(request.response.headers);
  };
  return { after: normalize, onError: normalize };
};

/**
 * The shared security headers (middy's, computed once), each added only where the answer has
 * no header of that name in any case: a route's own policy stays the only one. Middy's own
 * `after` would overwrite a route's header of the same spelling and add a second one beside a
 * differently spelt one.
 */
const securityHeaders = (html: boolean): middy.MiddlewareObj<Event, Result> => {
  const probe = { response: { statusCode: 200, headers: {} } } as unknown as middy.Request<Event, Result>;
  const middleware = httpSecurityHeaders(
    html ? { crossOriginEmbedderPolicy: { policy: 'unsafe-none' } } : {},
  );
  (middleware.after as (request: middy.Request<Event, Result>) => void)(probe);
  const shared = { ...probe.response?.headers };
  const add = (request: middy.Request<Event, Result>) => {
    if (request.response) request.response.headers = withDefaults(request.response.headers, shared);
  };
  return { after: add, onError: add };
};

/** Pages carry their own policy: inline styles, forms to this origin, nothing else. */
const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Wraps a route function in the house chain. */
export function httpHandler<TSchema extends z.ZodMiniType | undefined = undefined>(
  options: HandlerOptions<TSchema>,
  fn: (request: HttpRequest<Body<TSchema>>) => Promise<HttpResult>,
): middy.MiddyfiedHandler<Event, Result, Error, Context> {
  return chainFor(options).handler(async (event) => {
    const body = readBody(options, event) as Body<TSchema>;
    const result = await fn(toRequest(event, body));
    if (result.file) return fileResponse(result, result.file);
    if (result.html !== undefined) return htmlResponse(result, result.html);
    return jsonResponse(result);
  });
}

/** The middlewares in their order, the options' own (path check, body limit, JSON) included. */
function chainFor(options: HandlerOptions<z.ZodMiniType | undefined>) {
  const chain = middy<Event, Result>()
    .use(lowerCaseHeaders())
    .use(httpHeaderNormalizer())
    .use(httpEventNormalizer())
    .use(
      httpCors({
        origins: allowedOrigins(),
        headers: 'content-type,authorization,idempotency-key',
        methods: 'GET,POST,PUT,OPTIONS',
        exposeHeaders: 'location,retry-after',
        maxAge: 600,
        disableBeforePreflightResponse: false,
      }),
    )
    .use(securityHeaders(options.html === true))
    .use(accessLog());
  if (options.path) chain.use(pathCheck(options.path));
  chain.use(bodyLimit(options.file?.maxBytes));
  if (options.body) chain.use(httpJsonBodyParser());
  return chain.use(errorHandler());
}

/** The body as the route declared it: a form, a file, or JSON checked by its schema (else none). */
function readBody(options: HandlerOptions<z.ZodMiniType | undefined>, event: Event): unknown {
  let body: unknown;
  if (options.form) body = formBody(event);
  if (options.file) body = fileBody(event, options.file.contentTypes);
  if (options.body) {
    const parsed = options.body.safeParse(event.body, { reportInput: true });
    if (!parsed.success) throw new ValidationError(parsed.error.issues.flatMap((i) => toFieldIssue(i)));
    body = parsed.data;
  }
  return body;
}

function formBody(event: Event): URLSearchParams {
  const type = String(event.headers?.['content-type'] ?? '');
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw createError(415, 'Unsupported Media Type');
  const raw = event.body ?? '';
  return new URLSearchParams(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw);
}

function fileBody(event: Event, contentTypes: readonly string[]): Buffer {
  const type =
    String(event.headers?.['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  if (!contentTypes.includes(type)) throw createError(415, 'Unsupported Media Type');
  const raw = event.body ?? '';
  return Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8');
}

function toRequest<TBody>(event: Event, body: TBody): HttpRequest<TBody> {
  return {
    method: event.requestContext.http.method,
    routeKey: event.routeKey,
    pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
    query: (event.queryStringParameters ?? {}) as Record<string, string>,
    headers: (event.headers ?? {}) as Record<string, string>,
    body,
    requestId: event.requestContext.requestId,
    claims:
      (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
        ?.jwt?.claims ?? {},
  };
}

/** A download: base64 bytes, named by content-disposition, never cached. */
function fileResponse(result: HttpResult, file: NonNullable<HttpResult['file']>): Result {
  const { contentType, filename, data } = file;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return {
    statusCode: result.statusCode,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'cache-control': 'no-store',
      ...result.headers,
    },
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

function htmlResponse(result: HttpResult, html: string): Result {
  return {
    statusCode: result.statusCode,
    // A route may set a stricter policy of its own; there is still only one.
    headers: withDefaults(result.headers, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
    }),
    body: html,
  };
}

function jsonResponse(result: HttpResult): Result {
  return {
    statusCode: result.statusCode,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}
