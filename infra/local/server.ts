// The local HTTP side of `npm start`, run as a child of the supervisor (start.ts) so that it
// can be restarted on code changes while DynamoDB Local keeps running. It turns requests into
// API Gateway HTTP API payload 2.0 events, calls the same handler modules the CDK stack
// deploys (routes from the shared route table), serves the built static site at `/`, and
// inspection pages under `/_local/`. It exits when the supervisor goes away.
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { PUBLIC_API_URL_ENV, PUBLIC_SITE_URL_ENV, TABLE_NAME_ENV } from '#shared/config/env.ts';
import { matchPath, ROUTES, type Route } from '#shared/http/routes.ts';
import { inspectionPage, setLocalEngine, setLocalSchedules, setLocalStreamReaders } from './inspection.ts';
import { localOidc, OIDC_PATH } from './oidc.ts';
import { SOCKET_HANDOFF_ENV, type SocketName } from './sockets.ts';
import { staffKeyFile, verifyStaffToken } from './staff-auth.ts';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

const root = fileURLToPath(new URL('../..', import.meta.url));
const siteDir = join(root, 'site', 'dist');
const MAX_REQUEST_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

// The supervisor binds the listening sockets itself (port 0 gives a free port with nothing to
// race for, and the port is known before this process starts, for the origins and links it
// configures) and hands them over here. Run on its own, this process binds PORT and SFN_PORT.
const sockets = process.env[SOCKET_HANDOFF_ENV] === '1' ? await receiveSockets() : undefined;

// The local workflow engine runs beside the HTTP side, in this process, with the same handlers.
if (process.env.SFN_PORT) {
  const { startLocalWorkflows } = await import('./sfn/local-workflows.ts');
  const { createDocumentClient } = await import('#shared/data/client.ts');
  const { engine } = await startLocalWorkflows({
    root,
    doc: createDocumentClient(),
    tableName: process.env[TABLE_NAME_ENV] ?? '',
    listen: sockets?.sfn ?? Number(process.env.SFN_PORT),
  });
  setLocalEngine(engine);
  // The outbox (workflow starts, amendment answers, queued mail) is delivered from the table's stream.
  const { startLocalOutbox } = await import('./stream-reader.ts');
  setLocalStreamReaders(
    await startLocalOutbox({
      root,
      tableName: process.env[TABLE_NAME_ENV] ?? '',
      localDir: process.env.LOCAL_DIR ?? join(root, '.local'),
    }),
  );
  // Scheduled jobs run with the workflow (they send batches into it); test runtimes turn them
  // off (LOCAL_SCHEDULES=off) and fire them on demand instead.
  if (process.env.LOCAL_SCHEDULES !== 'off') {
    const { startSchedules } = await import('./schedules.ts');
    setLocalSchedules(startSchedules(root));
  }
}

const staffKeys = staffKeyFile(process.env.LOCAL_DIR ?? join(root, '.local'));
// The staff console's sign-in (OpenID Connect with PKCE), with the same key set.
const oidc = localOidc({ keyFile: staffKeys });

const handlers = new Map<string, Handler>();
for (const route of ROUTES) {
  const mod = (await import(join(root, route.handler))) as { handler: Handler };
  handlers.set(route.id, mod.handler);
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml|javascript)|text\/)/i;

function lambdaContext(route: Route, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-${route.id}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:local-${route.id}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/local-${route.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(req: IncomingMessage, url: URL, route: Route, params: Record<string, string>, body: Buffer) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] ? `${query[name]},${value}` : value;
  const requestId = randomUUID();
  const text = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    ...(headers.cookie ? { cookies: headers.cookie.split(/;\s*/) } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0 && !text,
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
  };
  return { event, requestId };
}

function send(res: ServerResponse, result: APIGatewayProxyResultV2) {
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(result);
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra });
  res.end(JSON.stringify(body));
}

const NOT_FOUND = { errors: [{ path: '', code: 'not_found', message: { zh: '未找到', en: 'not found' } }] };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

async function serveSite(res: ServerResponse, pathname: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname.endsWith('/') ? `${pathname}index.html` : pathname);
  } catch {
    return false; // a malformed escape names no file: 404
  }
  const relative = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  const file = join(siteDir, relative);
  if (!file.startsWith(siteDir)) return false;
  try {
    if (!(await stat(file)).isFile()) return false;
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(await readFile(file));
    return true;
  } catch {
    return false;
  }
}

const refusal = (code: string, zh: string, en: string) => ({
  errors: [{ path: '', code, message: { zh, en } }],
});

/**
 * The names this server answers to. A page on another site can point its own host name at
 * 127.0.0.1 (DNS rebinding) and read the answers as same-origin, the outbox's live review links
 * included; a request naming any other host is refused. PUBLIC_API_URL and PUBLIC_SITE_URL add
 * theirs when a proxy in front of the runtime serves it under another name.
 */
let hostsOnce: Set<string> | undefined;
function allowedHosts(): Set<string> {
  if (hostsOnce) return hostsOnce;
  const listening = listeningPort();
  const hosts = new Set([`127.0.0.1:${listening}`, `localhost:${listening}`]);
  for (const name of [PUBLIC_API_URL_ENV, PUBLIC_SITE_URL_ENV]) {
    const value = process.env[name];
    if (value) hosts.add(new URL(value).host);
  }
  hostsOnce = hosts;
  return hosts;
}

/**
 * Whether a request comes from this server's own pages or from no browser page at all (the CLI
 * and tests send neither header). A browser sends Origin with every POST and Sec-Fetch-Site with
 * every request, so a cross-site form that fast-forwards the workflow clock is told apart.
 */
function sameOrigin(req: IncomingMessage, hosts: Set<string>): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const parsed = new URL(origin);
    return parsed.protocol === 'http:' && hosts.has(parsed.host);
  } catch {
    return false;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const hosts = allowedHosts();
  if (!hosts.has(req.headers.host ?? '')) {
    return sendJson(
      res,
      421,
      refusal(
        'misdirected_request',
        '本地服务只接受 127.0.0.1 或 localhost 的请求',
        'this local server answers only to 127.0.0.1 or localhost',
      ),
    );
  }
  if (url.pathname === '/_local' || url.pathname.startsWith('/_local/')) {
    if (method !== 'GET' && method !== 'HEAD' && !sameOrigin(req, hosts)) {
      return sendJson(
        res,
        403,
        refusal(
          'cross_origin',
          '只能从本地检查页面发起此操作',
          'only the local inspection pages may do this',
        ),
      );
    }
    const page = await inspectionPage(url, method);
    if (!page) return sendJson(res, 404, NOT_FOUND);
    res.writeHead(200, { 'content-type': page.contentType });
    res.end(page.body);
    return;
  }
  if (url.pathname.startsWith(`${OIDC_PATH}/`)) {
    if (method === 'POST' && !sameOrigin(req, hosts)) {
      return sendJson(res, 403, refusal('cross_origin', '只能从本站发起登录', 'sign in from this site only'));
    }
    const body = method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    if (body === 'too_large') return sendJson(res, 413, NOT_FOUND);
    const answer = await oidc.handle({
      method,
      url,
      origin: `http://${req.headers.host}`,
      body: body.toString('utf8'),
    });
    if (!answer) return sendJson(res, 404, NOT_FOUND);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return;
  }
  const candidates = ROUTES.map((route) => ({ route, params: matchPath(route.path, url.pathname) })).filter(
    (c) => c.params !== undefined,
  );
  // A preflight goes to any route on the path: the handler's CORS middleware answers it.
  const match =
    candidates.find((c) => c.route.method === method) ?? (method === 'OPTIONS' ? candidates[0] : undefined);
  if (match?.params) {
    const body = await readBody(req);
    if (body === 'too_large') {
      return sendJson(res, 413, {
        errors: [
          {
            path: '',
            code: 'payload_too_large',
            message: { zh: '提交内容过大', en: 'the body is too large' },
          },
        ],
      });
    }
    const { event, requestId } = toEvent(req, url, match.route, match.params, body);
    if (method === 'OPTIONS') event.requestContext.http.method = 'OPTIONS';
    else if (match.route.access === 'staff') {
      // As API Gateway's JWT authorizer: no valid token, no handler.
      const claims = await verifyStaffToken(staffKeys, event.headers.authorization);
      if (!claims) return sendJson(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: null } } });
    }
    const handler = handlers.get(match.route.id);
    if (!handler) return sendJson(res, 500, NOT_FOUND);
    try {
      send(res, await handler(event, lambdaContext(match.route, requestId)));
    } catch {
      // What API Gateway answers when the function itself fails.
      sendJson(res, 500, { message: 'Internal Server Error' });
    }
    return;
  }
  if (candidates.length > 0) return sendJson(res, 404, NOT_FOUND); // HTTP API: no route for this method
  if ((method === 'GET' || method === 'HEAD') && (await serveSite(res, url.pathname))) return;
  sendJson(res, 404, NOT_FOUND);
}

const port = Number(process.env.PORT ?? 3000);
function listeningPort(): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
const server = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
    else res.end();
  });
});
const onListening = () => process.send?.({ type: 'listening', port: listeningPort() });
if (sockets) server.listen(sockets.http, onListening);
else server.listen(port, '127.0.0.1', onListening);

/** The sockets the supervisor sends, one message each: the API's and, with workflows, the engine's. */
function receiveSockets(): Promise<Partial<Record<SocketName, NetServer>> & { http: NetServer }> {
  const wanted: SocketName[] = process.env.SFN_PORT ? ['http', 'sfn'] : ['http'];
  const got: Partial<Record<SocketName, NetServer>> = {};
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; name?: SocketName }, handle: unknown) => {
      if (message?.type !== 'socket' || !message.name || !handle) return;
      got[message.name] = handle as NetServer;
      if (wanted.every((name) => got[name])) {
        process.off('message', onMessage);
        resolve(got as Partial<Record<SocketName, NetServer>> & { http: NetServer });
      }
    };
    process.on('message', onMessage);
    process.send?.({ type: 'ready-for-sockets' });
  });
}

// The supervisor owns this process: when it goes away (even killed), so do we.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
