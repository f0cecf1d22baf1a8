import { afterEach, describe, expect, it, vi } from 'vitest';
import * as registry from './env.ts';
import { ENV, ENV_REGISTRY, requireEnv } from './env.ts';

describe('the environment registry', () => {
  it('lists every name constant once, each named after its value', () => {
    const constants = Object.entries(registry).filter(([key]) => key.endsWith('_ENV'));
    for (const [key, value] of constants) expect(key).toBe(`${value}_ENV`);
    const names = ENV_REGISTRY.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(constants.map(([, value]) => value).sort());
  });

  it('documents each variable: what, an example, who sets it', () => {
    for (const v of ENV_REGISTRY) {
      expect(v.doc, v.name).toMatch(/\S/);
      expect(v.example, v.name).toMatch(/\S/);
      expect(v.by, v.name).toMatch(/\S/);
      expect(['cdk', 'local']).toContain(v.setBy);
    }
  });

  it('keeps the older names of ENV as aliases of the same values', () => {
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
