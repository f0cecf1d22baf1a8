// POST /programs/{programId}/filings through the whole middleware chain: a filing for a programme
// that does not exist is a 404 whatever its body (empty, invalid, not JSON, too large), and the
// request never reaches the body's validation or the stores.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES } from '#shared/http/handler.ts';
import { logger } from '#shared/observability/logger.ts';
import { testContext, testEvent } from '../../test/support/lambda-event.ts';
import { handler } from './submit.ts';

beforeAll(() => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined); // the access-log line of each run
});

interface ErrorBody {
  errors: { path: string; code: string; message: { zh: string; en: string } }[];
}

async function post(programId: string, body: string, contentType = 'application/json') {
  const answer = (await handler(
    testEvent({
      method: 'POST',
      path: '/programs/{programId}/filings',
      pathParameters: { programId },
      headers: { 'content-type': contentType },
      body,
    }),
    testContext(),
  )) as APIGatewayProxyStructuredResultV2;
  return { status: answer.statusCode, body: JSON.parse(String(answer.body)) as ErrorBody };
}

describe('POST /programs/{programId}/filings for an unknown programme', () => {
  it.each([
    ['an empty object', '{}'],
    ['an invalid filing', JSON.stringify({ role: 'x', person: { idNumber: '123' } })],
    ['a body that is not JSON', '{"person":'],
    ['a body over the size limit', JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) })],
  ])('answers 404 for %s, before the body is read', async (_, body) => {
    const answer = await post('nowhere', body);
    expect(answer.status).toBe(404);
    expect(answer.body.errors).toEqual([
      { path: '', code: 'not_found', message: { zh: '未找到', en: 'program not found' } },
    ]);
  });

  it('answers 404 for a body of the wrong type', async () => {
    expect((await post('nowhere', 'a=b', 'application/x-www-form-urlencoded')).status).toBe(404);
  });

  it('still validates the body of a known programme (422 on its fields)', async () => {
    const answer = await post('liaoning-cso', '{}');
    expect(answer.status).toBe(422);
    expect(answer.body.errors.map((e) => e.path)).toContain('person');
    // the machine path stays; the messages name the field in each language
    expect(answer.body.errors.find((e) => e.path === 'person')?.message).toEqual({
      zh: '人员信息：必填',
      en: 'person: is required',
    });
  });
});
