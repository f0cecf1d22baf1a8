import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALLOWED_ORIGINS_ENV } from '../config/env.ts';
import { allowedOrigins } from './cors.ts';

describe('allowedOrigins', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads ALLOWED_ORIGINS', () => {
    expect(ALLOWED_ORIGINS_ENV).toBe('ALLOWED_ORIGINS');
    expect(allowedOrigins({ ALLOWED_ORIGINS: 'https://site.example' })).toEqual(['https://site.example']);
  });

  it('splits a comma-separated list, trimming and dropping empty entries', () => {
    expect(allowedOrigins({ ALLOWED_ORIGINS: ' https://a.example , http://127.0.0.1:8080,, ' })).toEqual([
      'https://a.example',
      'http://127.0.0.1:8080',
    ]);
  });

  it('allows no origin when unset or empty', () => {
    expect(allowedOrigins({})).toEqual([]);
    expect(allowedOrigins({ ALLOWED_ORIGINS: '' })).toEqual([]);
    expect(allowedOrigins({ ALLOWED_ORIGINS: ' , ' })).toEqual([]);
  });

  it('reads the process environment by default', () => {
    vi.stubEnv('ALLOWED_ORIGINS', 'https://one.example,https://two.example');
    expect(allowedOrigins()).toEqual(['https://one.example', 'https://two.example']);
  });
});
