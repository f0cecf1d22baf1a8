// The annual return's batch size setting, read at cold start.
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../domain/errors.ts';
import { batchSizeFrom } from './return-services.ts';

describe('batchSizeFrom', () => {
  it('defaults to 100 and takes 1 to 500', () => {
    expect(batchSizeFrom({})).toBe(100);
    expect(batchSizeFrom({ RETURN_BATCH_SIZE: '2' })).toBe(2);
    expect(batchSizeFrom({ RETURN_BATCH_SIZE: '500' })).toBe(500);
    for (const bad of ['0', '501', '1.5', 'x']) {
      expect(() => batchSizeFrom({ RETURN_BATCH_SIZE: bad })).toThrow(ConfigurationError);
    }
  });
});
