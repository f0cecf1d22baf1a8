// Applicant actions retried when the workflow moved the filing between their read and write.
import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, ConflictError } from '../domain/errors.ts';
import { retryOnConcurrentChange } from './retry.ts';

/** An attempt that fails with the given errors in turn, then returns `value`. */
function flaky<T>(errors: Error[], value: T) {
  const calls = { count: 0 };
  const attempt = async () => {
    const error = errors[calls.count++];
    if (error) throw error;
    return value;
  };
  return { attempt, calls };
}

describe('retryOnConcurrentChange', () => {
  it('returns the first result without retrying', async () => {
    const { attempt, calls } = flaky([], 'done');
    await expect(retryOnConcurrentChange(attempt)).resolves.toBe('done');
    expect(calls.count).toBe(1);
  });

  it('tries again after concurrent modifications and returns what finally worked', async () => {
    const race = () => new ConcurrentModificationError('filing');
    const { attempt, calls } = flaky([race(), race(), race()], 42);
    await expect(retryOnConcurrentChange(attempt)).resolves.toBe(42);
    expect(calls.count).toBe(4);
  });

  it('gives up after four tries by default with the last conflict', async () => {
    const errors = [1, 2, 3, 4, 5].map(() => new ConcurrentModificationError('filing'));
    const { attempt, calls } = flaky(errors, 'never');
    const error = await retryOnConcurrentChange(attempt).catch((e: unknown) => e);
    expect(error).toBe(errors[3]);
    expect(calls.count).toBe(4);
  });

  it('honours a smaller number of tries', async () => {
    const errors = [1, 2, 3].map(() => new ConcurrentModificationError('filing'));
    const once = flaky(errors, 'never');
    await expect(retryOnConcurrentChange(once.attempt, 1)).rejects.toBe(errors[0]);
    expect(once.calls.count).toBe(1);
    const twice = flaky([new ConcurrentModificationError('filing')], 'ok');
    await expect(retryOnConcurrentChange(twice.attempt, 2)).resolves.toBe('ok');
    expect(twice.calls.count).toBe(2);
  });

  it('does not retry any other error', async () => {
    const conflict = new ConflictError('duplicate_person', { zh: '重复', en: 'duplicate' });
    const plain = new Error('boom');
    for (const error of [conflict, plain]) {
      const { attempt, calls } = flaky([error], 'never');
      await expect(retryOnConcurrentChange(attempt)).rejects.toBe(error);
      expect(calls.count).toBe(1);
    }
  });

  it('stops retrying as soon as another error follows a conflict', async () => {
    const plain = new Error('table gone');
    const { attempt, calls } = flaky([new ConcurrentModificationError('filing'), plain], 'never');
    await expect(retryOnConcurrentChange(attempt)).rejects.toBe(plain);
    expect(calls.count).toBe(2);
  });
});
