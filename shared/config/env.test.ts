import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENV, requireEnv } from './env.ts';

describe('ENV', () => {
  it('names the settings the stack passes to the functions', () => {
    expect(ENV).toEqual({
      tableName: 'TABLE_NAME',
      fieldKeyArn: 'FIELD_KEY_ARN',
      personHmacKeyArn: 'PERSON_HMAC_KEY_ARN',
      localKeyFile: 'LOCAL_KEY_FILE',
      attachmentsBucket: 'ATTACHMENTS_BUCKET',
      reportsBucket: 'REPORTS_BUCKET',
      attachmentLinkSeconds: 'ATTACHMENT_LINK_SECONDS',
    });
  });
});

describe('requireEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('returns a set value', () => {
    expect(requireEnv('TABLE_NAME', { TABLE_NAME: 'filings' })).toBe('filings');
  });

  it('throws with the name of a missing or empty setting', () => {
    expect(() => requireEnv('TABLE_NAME', {})).toThrow('missing environment variable TABLE_NAME');
    expect(() => requireEnv('TABLE_NAME', { TABLE_NAME: '' })).toThrow(
      'missing environment variable TABLE_NAME',
    );
  });

  it('reads process.env by default', () => {
    vi.stubEnv('SO_TEST_REQUIRE_ENV', 'from-process');
    expect(requireEnv('SO_TEST_REQUIRE_ENV')).toBe('from-process');
    vi.stubEnv('SO_TEST_REQUIRE_ENV', '');
    expect(() => requireEnv('SO_TEST_REQUIRE_ENV')).toThrow('SO_TEST_REQUIRE_ENV');
  });
});
