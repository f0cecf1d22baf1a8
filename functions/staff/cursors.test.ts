// Every staff list that takes a cursor, through its real handler, use case and DynamoDB query
// code (the client replaced by one that records the queries): a cursor that cannot be read or
// was not made by that list is 422 at `cursor` and nothing is read, never a first page; a good
// one continues where it left off. The unit audit had answered a bad cursor with its first
// page of filings and none of its access-log lines.
import type { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { encodeCursor } from '#shared/domain/cursor.ts';
import { logger } from '#shared/observability/logger.ts';
import { testContext, testEvent } from '../../test/support/lambda-event.ts';

const queries: QueryCommand['input'][] = [];
const ACCESS = {
  pk: 'ACCESS#liaoning-cso#210100',
  sk: '2025-05-01T00:00:00.000Z#0001',
  at: '2025-05-01T00:00:00.000Z',
  programId: 'liaoning-cso',
  unit: '210100',
  subject: 'c-1',
  role: 'city',
  what: 'reveal:mobile',
  reason: '电话核实',
  type: 'Access',
};
const doc = {
  send: async (command: QueryCommand) => {
    queries.push(command.input);
    // The unit index has no filings; the unit's access log has one line.
    return { Items: command.input.IndexName ? [] : [ACCESS] };
  },
};

vi.mock('#shared/wiring/staff-services.ts', async (original) => ({
  ...(await original<object>()),
  staffServices: () => ({
    repo: {},
    queries: createStaffQueries(doc as never, 'table'),
    now: () => new Date('2025-06-01T00:00:00Z'),
  }),
}));

beforeAll(() => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
});
beforeEach(() => {
  queries.length = 0;
});

const SHENYANG = 'PROGRAM#liaoning-cso#UNIT#210100';
const indexKey = (partition: string) => ({
  pk: 'FILING#F0000000000001',
  sk: 'BODY',
  gsi1pk: partition,
  gsi1sk: '2025-03-10T02:00:00.000Z#F0000000000001',
});

const routes = {
  list: {
    handler: './list-filings.ts',
    path: '/staff/programs/{programId}/filings',
    params: { programId: 'liaoning-cso' },
    query: { unit: '210100' },
  },
  pool: {
    handler: './pool.ts',
    path: '/staff/programs/{programId}/pool',
    params: { programId: 'liaoning-cso' },
    query: { unit: '210100' },
  },
  audit: {
    handler: './unit-audit.ts',
    path: '/staff/programs/{programId}/units/{unit}/audit',
    params: { programId: 'liaoning-cso', unit: '210100' },
    query: {},
  },
  auditCsv: {
    handler: './unit-audit.ts',
    path: '/staff/programs/{programId}/units/{unit}/audit',
    params: { programId: 'liaoning-cso', unit: '210100' },
    query: { format: 'csv' },
  },
} as const;

async function call(route: keyof typeof routes, cursor?: string) {
  const r = routes[route];
  const { handler } = (await import(`./${r.handler.slice(2, -3)}.ts`)) as {
    handler: (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
  };
  const answer = await handler(
    testEvent({
      method: 'GET',
      path: r.path,
      pathParameters: r.params,
      query: { ...r.query, ...(cursor !== undefined ? { cursor } : {}) },
      claims: { sub: 'p-1', 'cognito:groups': '[province-liaoning-cso]' },
    }),
    testContext(),
  );
  return { status: answer.statusCode, text: String(answer.body ?? '') };
}

/** Cursors no list hands out, each list's own kind of forgery included. */
const common: [string, string][] = [
  ['empty', ''],
  ['outside the base64url alphabet', 'not a cursor!'],
  ['not JSON', Buffer.from('not json').toString('base64url')],
  ['JSON but not an object', encodeCursor([1, 2])],
];
const forListing: [string, string][] = [
  ['a unit past the caller’s', encodeCursor({ u: 99 })],
  ['a negative unit', encodeCursor({ u: -1 })],
  ['an unknown field', encodeCursor({ u: 0, x: 1 })],
  ['an unreadable query cursor inside', encodeCursor({ u: 0, c: 'garbage' })],
  [
    'another unit’s query cursor inside',
    encodeCursor({ u: 0, c: encodeCursor(indexKey('PROGRAM#liaoning-cso#UNIT#210200')) }),
  ],
  ['a table key inside', encodeCursor({ u: 0, c: encodeCursor({ pk: 'FILING#F1', sk: 'BODY' }) })],
];
const forAudit: [string, string][] = [
  ['a listing position', encodeCursor({ u: 0 })],
  ['another unit’s key', encodeCursor(indexKey('PROGRAM#liaoning-cso#UNIT#210200'))],
  ['a key with a value that is not text', encodeCursor({ ...indexKey(SHENYANG), sk: 1 })],
  ['an access-log key', encodeCursor({ pk: ACCESS.pk, sk: ACCESS.sk })],
];

const cases = [
  ...(['list', 'pool'] as const).flatMap((route) =>
    [...common, ...forListing].map(([what, cursor]) => [route, what, cursor] as const),
  ),
  ...(['audit', 'auditCsv'] as const).flatMap((route) =>
    [...common, ...forAudit].map(([what, cursor]) => [route, what, cursor] as const),
  ),
];

describe('a cursor that cannot continue the list', () => {
  it.each(cases)('%s, %s: 422 at cursor, nothing read', async (route, _what, cursor) => {
    const answer = await call(route, cursor);
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.text)).toEqual({
      errors: [
        {
          path: 'cursor',
          code: 'invalid_query',
          message: { zh: expect.any(String), en: expect.stringContaining('cursor') },
        },
      ],
    });
    expect(queries).toEqual([]);
  });
});

describe('a cursor the list handed out', () => {
  it.each(['list', 'pool'] as const)('%s continues its unit’s query where it stopped', async (route) => {
    const key = indexKey(SHENYANG);
    expect((await call(route, encodeCursor({ u: 0, c: encodeCursor(key) }))).status).toBe(200);
    expect(queries.map((q) => q.ExclusiveStartKey)).toEqual([key]);
  });

  it('continues the unit audit’s filings; the access lines come with the first page only', async () => {
    const key = indexKey(SHENYANG);
    const next = await call('audit', encodeCursor(key));
    expect(next.status).toBe(200);
    expect(queries.map((q) => q.ExclusiveStartKey)).toEqual([key]);
    expect(JSON.parse(next.text).lines).toEqual([]);
    queries.length = 0;
    const first = await call('audit');
    expect(first.status).toBe(200);
    expect(queries.map((q) => q.ExclusiveStartKey)).toEqual([undefined, undefined]);
    expect(JSON.parse(first.text).lines).toEqual([
      expect.objectContaining({ kind: 'access', reason: '电话核实' }),
    ]);
  });
});
