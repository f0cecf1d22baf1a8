import { createError } from '@middy/util';
import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  ConfigurationError,
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
import { type ErrorAnswer, toErrorAnswer } from './errors.ts';

const codeOf = (answer: ErrorAnswer) => answer.body.errors[0]?.code;

function expectOneIssue(answer: ErrorAnswer) {
  expect(answer.body.errors).toHaveLength(1);
  const [issue] = answer.body.errors;
  expect(issue?.path).toBe('');
  expect(issue?.message.zh.length).toBeGreaterThan(0);
  expect(issue?.message.en.length).toBeGreaterThan(0);
}

describe('toErrorAnswer: domain errors', () => {
  it('422 with every issue of a ValidationError, unchanged', () => {
    const issues = [
      { path: 'person.mobile', code: 'mobile_format', message: { zh: '手机号码：错', en: 'mobile: wrong' } },
      { path: 'extra', code: 'unknown_field', message: { zh: '不允许的字段', en: 'unknown field' } },
    ];
    const answer = toErrorAnswer(new ValidationError(issues));
    expect(answer).toEqual({ statusCode: 422, body: { errors: issues } });
  });

  it('404 for NotFoundError, naming a program only for programs', () => {
    const program = toErrorAnswer(new NotFoundError('program'));
    expect(program.statusCode).toBe(404);
    expect(codeOf(program)).toBe('not_found');
    expect(program.body.errors[0]?.message.en).toBe('program not found');
    expectOneIssue(program);
    const filing = toErrorAnswer(new NotFoundError('filing'));
    expect(filing.statusCode).toBe(404);
    expect(filing.body.errors[0]?.message.en).toBe('not found');
  });

  it('409 for ConflictError with its own code and text', () => {
    const answer = toErrorAnswer(new ConflictError('duplicate_person', { zh: '重复', en: 'duplicate' }));
    expect(answer).toEqual({
      statusCode: 409,
      body: { errors: [{ path: '', code: 'duplicate_person', message: { zh: '重复', en: 'duplicate' } }] },
    });
  });

  it('409 concurrent_modification for ConcurrentModificationError', () => {
    const answer = toErrorAnswer(new ConcurrentModificationError('filing'));
    expect(answer.statusCode).toBe(409);
    expect(codeOf(answer)).toBe('concurrent_modification');
    expectOneIssue(answer);
  });

  it('409 invalid_state for InvalidTransitionError, without the internal state names', () => {
    const answer = toErrorAnswer(new InvalidTransitionError('withdrawn', 'withdraw', 'applicant'));
    expect(answer.statusCode).toBe(409);
    expect(codeOf(answer)).toBe('invalid_state');
    expectOneIssue(answer);
    expect(JSON.stringify(answer)).not.toContain('withdrawn');
  });

  it('403 for ForbiddenError', () => {
    const answer = toErrorAnswer(new ForbiddenError('not your unit'));
    expect(answer.statusCode).toBe(403);
    expect(codeOf(answer)).toBe('forbidden');
    expect(JSON.stringify(answer)).not.toContain('not your unit');
  });

  it('500 for ConfigurationError (a start-up problem, not the client’s)', () => {
    const answer = toErrorAnswer(new ConfigurationError('bad program file'));
    expect(answer.statusCode).toBe(500);
    expect(codeOf(answer)).toBe('internal_error');
    expect(JSON.stringify(answer)).not.toContain('bad program file');
  });
});

describe('toErrorAnswer: middleware errors', () => {
  it('415 for an unsupported media type', () => {
    const answer = toErrorAnswer({ statusCode: 415 });
    expect(answer.statusCode).toBe(415);
    expect(codeOf(answer)).toBe('unsupported_media_type');
    expectOneIssue(answer);
    const fromParser = toErrorAnswer(
      createError(415, 'Unsupported Media Type', { cause: { package: '@middy/http-json-body-parser' } }),
    );
    expect(fromParser.statusCode).toBe(415);
  });

  it('413 for a body over the limit', () => {
    const answer = toErrorAnswer({ statusCode: 413 });
    expect(answer.statusCode).toBe(413);
    expect(codeOf(answer)).toBe('payload_too_large');
    expect(toErrorAnswer(createError(413, 'Payload Too Large')).statusCode).toBe(413);
  });

  it('400 malformed_json for the JSON parser’s 422 (it is not a field error)', () => {
    const error = createError(422, 'Invalid or malformed JSON was provided', {
      cause: { package: '@middy/http-json-body-parser', data: '{' },
    });
    const answer = toErrorAnswer(error);
    expect(answer.statusCode).toBe(400);
    expect(codeOf(answer)).toBe('malformed_json');
    expectOneIssue(answer);
    expect(JSON.stringify(answer)).not.toContain('Invalid or malformed');
  });

  it('400 malformed_json for a plain 400', () => {
    expect(toErrorAnswer({ statusCode: 400 }).statusCode).toBe(400);
  });

  it('405 for a method the route does not have', () => {
    const answer = toErrorAnswer({ statusCode: 405 });
    expect(answer.statusCode).toBe(405);
    expect(codeOf(answer)).toBe('method_not_allowed');
  });

  it('500 for a 422 that did not come from the JSON parser', () => {
    const answer = toErrorAnswer(createError(422, 'something', { cause: { package: '@middy/other' } }));
    expect(answer.statusCode).toBe(500);
  });
});

describe('toErrorAnswer: unavailable dependencies', () => {
  function expect503(error: unknown) {
    const answer = toErrorAnswer(error);
    expect(answer.statusCode).toBe(503);
    expect(codeOf(answer)).toBe('service_unavailable');
    expect(answer.headers).toEqual({ 'retry-after': '5' });
    expectOneIssue(answer);
  }

  it.each([
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'ServiceUnavailable',
    'InternalServerError',
    'TimeoutError',
  ])('503 with retry-after for an error named %s', (name) => {
    const error = new Error('busy');
    error.name = name;
    expect503(error);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'])(
    '503 for a network error with code %s',
    (code) => {
      expect503(Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code }));
    },
  );

  it('503 when the unavailable error is the cause, however deep', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect503(new Error('send failed', { cause: root }));
    expect503(new Error('outer', { cause: new Error('middle', { cause: root }) }));
  });

  it('503 when one of an AggregateError’s errors is unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:8000'), { code: 'ECONNREFUSED' });
    expect503(new AggregateError([new Error('other'), refused], 'all attempts failed'));
  });

  it('500 for an AggregateError without an unavailable error', () => {
    expect(toErrorAnswer(new AggregateError([new Error('a'), new Error('b')])).statusCode).toBe(500);
  });

  it('does not loop on an error that is its own cause', () => {
    const error = new Error('self') as Error & { cause?: unknown };
    error.cause = error;
    expect(toErrorAnswer(error).statusCode).toBe(500);
  });

  it('does not loop on errors that are each other’s cause', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    const answer = toErrorAnswer(a);
    expect(answer.statusCode).toBe(500);
  });
});

describe('toErrorAnswer: anything else', () => {
  it('500 with a generic body that leaks nothing of the error', () => {
    const secret = 'table standards-officer-prod 110105198001010019 at /var/task/index.js';
    const answer = toErrorAnswer(new Error(secret));
    expect(answer.statusCode).toBe(500);
    expect(codeOf(answer)).toBe('internal_error');
    expect(answer.headers).toBeUndefined();
    expectOneIssue(answer);
    const text = JSON.stringify(answer);
    expect(text).not.toContain('110105198001010019');
    expect(text).not.toContain('standards-officer-prod');
    expect(text).not.toContain('/var/task');
  });

  it.each([
    ['a string', 'boom'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an object with a non-numeric statusCode', { statusCode: '503' }],
  ])('500 for %s', (_label, thrown) => {
    expect(toErrorAnswer(thrown).statusCode).toBe(500);
  });
});
