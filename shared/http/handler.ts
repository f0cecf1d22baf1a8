// The one middleware chain every HTTP handler uses (API Gateway HTTP API, payload 2.0):
// header and event normalization, CORS for the configured origins and security headers on
// every response (errors included), a 64 KB body limit, JSON parsing, zod validation of
// the body, a request log line without personal data, and the error handler last.
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
  /** Pages (HTML) get a content security policy that allows their own inline styles and forms. */
  html?: boolean;
  /** The body is an HTML form post (application/x-www-form-urlencoded), given as URLSearchParams. */
  form?: boolean;
  /** The body is a file of one of these types (given as a Buffer), up to `maxBytes` instead of 64 KB. */
  file?: { contentTypes: readonly string[]; maxBytes: number };
}

type Body<TSchema> = TSchema extends z.ZodMiniType ? z.output<TSchema> : URLSearchParams | undefined;

type Event = APIGatewayProxyEventV2;
type Result = Exclude<APIGatewayProxyResultV2, string>;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

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
  const chain = middy<Event, Result>()
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
    .use(
      httpSecurityHeaders(
        options.html
          ? { contentSecurityPolicy: false, crossOriginEmbedderPolicy: { policy: 'unsafe-none' } }
          : {},
      ),
    )
    .use(accessLog())
    .use(bodyLimit(options.file?.maxBytes));
  if (options.body) chain.use(httpJsonBodyParser());
  return chain.use(errorHandler()).handler(async (event) => {
    let body: unknown;
    if (options.form) {
      const type = String(event.headers?.['content-type'] ?? '');
      if (!/^application\/x-www-form-urlencoded\b/i.test(type))
        throw createError(415, 'Unsupported Media Type');
      const raw = event.body ?? '';
      body = new URLSearchParams(event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw);
    }
    if (options.file) {
      const type =
        String(event.headers?.['content-type'] ?? '')
          .split(';')[0]
          ?.trim()
          .toLowerCase() ?? '';
      if (!options.file.contentTypes.includes(type)) throw createError(415, 'Unsupported Media Type');
      const raw = event.body ?? '';
      body = Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8');
    }
    if (options.body) {
      const parsed = options.body.safeParse(event.body, { reportInput: true });
      if (!parsed.success) throw new ValidationError(parsed.error.issues.flatMap((i) => toFieldIssue(i)));
      body = parsed.data;
    }
    const result = await fn({
      method: event.requestContext.http.method,
      routeKey: event.routeKey,
      pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      headers: (event.headers ?? {}) as Record<string, string>,
      body: body as Body<TSchema>,
      requestId: event.requestContext.requestId,
      claims:
        (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer
          ?.jwt?.claims ?? {},
    });
    if (result.file) {
      const { contentType, filename, data } = result.file;
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
    if (result.html !== undefined) {
      return {
        statusCode: result.statusCode,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': PAGE_CSP,
          ...result.headers,
        },
        body: result.html,
      };
    }
    return {
      statusCode: result.statusCode,
      headers: { 'content-type': JSON_CONTENT_TYPE, ...result.headers },
      body: result.body === undefined ? '' : JSON.stringify(result.body),
    };
  });
}
