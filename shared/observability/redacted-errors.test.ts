import { describe, expect, it } from 'vitest';
import { redactedError, withRedactedErrors } from './redacted-errors.ts';

const ID = '11010519491231002X';
const MOBILE = '13812345678';
const EMAIL = 'zhang.san@example.com';

describe('errors leaving a workflow or scheduled function', () => {
  it('keep their name and lose every ID number, phone and e-mail of the message and stack', () => {
    const original = new Error(`550 5.1.1 <${EMAIL}> rejected; holder ${ID}, mobile ${MOBILE}`);
    original.name = 'MailSendError';
    const copy = redactedError(original);
    expect(copy.name).toBe('MailSendError');
    expect(copy.message).toBe('550 5.1.1 <[email]> rejected; holder [id], mobile [phone]');
    for (const value of [ID, MOBILE, EMAIL]) {
      expect(copy.message).not.toContain(value);
      expect(copy.stack ?? '').not.toContain(value);
    }
    expect(copy.stack).toContain('redacted-errors.test.ts');
  });

  it('turns a thrown non-error into an error whose message is masked', () => {
    const copy = redactedError(`failed for ${EMAIL}`);
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe('failed for [email]');
  });

  it('wrap a handler: its answer passes through, its error leaves masked and named', async () => {
    const ok = withRedactedErrors(async (n: number) => n * 2);
    await expect(ok(21)).resolves.toBe(42);
    const failing = withRedactedErrors(async (_event: unknown) => {
      const error = new Error(`ConditionalCheckFailed for ${ID}`);
      error.name = 'ConditionalCheckFailedException';
      throw error;
    });
    const thrown = await failing({}).catch((error: unknown) => error as Error);
    expect(thrown.name).toBe('ConditionalCheckFailedException');
    expect(thrown.message).toBe('ConditionalCheckFailed for [id]');
  });

  it('names an outage ServiceUnavailable (the ASL retries it longer): refused connections, throttling, nested causes', () => {
    const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:8000 for ${EMAIL}`), {
      code: 'ECONNREFUSED',
    });
    const nested = new Error('request failed', { cause: new AggregateError([refused]) });
    const throttled = Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' });
    for (const error of [refused, nested, throttled])
      expect(redactedError(error).name).toBe('ServiceUnavailable');
    expect(redactedError(refused).message).not.toContain(EMAIL);
    // A bug or a refused condition keeps its own name: retried as an ordinary task failure.
    const bug = Object.assign(new Error('x is undefined'), { name: 'TypeError' });
    expect(redactedError(bug).name).toBe('TypeError');
  });
});
