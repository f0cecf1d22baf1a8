// A minimal API Gateway HTTP API (payload 2.0) event and Lambda context, for unit tests that
// run a handler through the whole middleware chain without the local server.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export function testEvent(init: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
  claims?: Record<string, unknown>;
}): APIGatewayProxyEventV2 {
  const query = new URLSearchParams(init.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey: `${init.method} ${init.path}`,
    rawPath: init.path,
    rawQueryString: query,
    headers: init.headers ?? {},
    ...(init.query ? { queryStringParameters: init.query } : {}),
    ...(init.pathParameters ? { pathParameters: init.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'unit',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: {
        method: init.method,
        path: init.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: 'unit-request',
      routeKey: `${init.method} ${init.path}`,
      stage: '$default',
      time: new Date(0).toUTCString(),
      timeEpoch: 0,
      ...(init.claims ? { authorizer: { jwt: { claims: init.claims, scopes: null } } } : {}),
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

export const testContext = (): Context =>
  ({
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'unit',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:unit',
    memoryLimitInMB: '256',
    awsRequestId: 'unit',
    logGroupName: '/aws/lambda/unit',
    logStreamName: 'unit',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

/** The header names of an answer, lower-cased, with how often each occurs. */
export function headerCounts(headers: Record<string, unknown> | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of Object.keys(headers ?? {})) {
    const lower = name.toLowerCase();
    counts.set(lower, (counts.get(lower) ?? 0) + 1);
  }
  return counts;
}
