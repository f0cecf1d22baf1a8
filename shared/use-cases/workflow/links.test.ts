// Review-link tokens: 256 random bits, URL-safe; only their SHA-256 is stored.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashLinkToken, LINK_TOKEN_PATTERN, newLinkToken } from './links.ts';

describe('newLinkToken', () => {
  it('is 43 base64url characters encoding 32 random bytes', () => {
    const { token } = newLinkToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(Buffer.from(token, 'base64url').toString('base64url')).toBe(token);
  });

  it('comes with the SHA-256 of the token, base64url', () => {
    const { token, hash } = newLinkToken();
    expect(hash).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(hash).toBe(hashLinkToken(token));
    expect(hash).not.toBe(token);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('never repeats over many draws', () => {
    const tokens = new Set<string>();
    const hashes = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const { token, hash } = newLinkToken();
      tokens.add(token);
      hashes.add(hash);
    }
    expect(tokens.size).toBe(5_000);
    expect(hashes.size).toBe(5_000);
  });
});

describe('hashLinkToken', () => {
  it('is deterministic and matches a known SHA-256', () => {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(hashLinkToken('abc')).toBe(
      Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString(
        'base64url',
      ),
    );
    expect(hashLinkToken('abc')).toBe(hashLinkToken('abc'));
    expect(hashLinkToken('abd')).not.toBe(hashLinkToken('abc'));
  });
});

describe('LINK_TOKEN_PATTERN', () => {
  it('accepts exactly 43 base64url characters', () => {
    expect(LINK_TOKEN_PATTERN.test(newLinkToken().token)).toBe(true);
    expect(LINK_TOKEN_PATTERN.test('A'.repeat(43))).toBe(true);
    expect(LINK_TOKEN_PATTERN.test(`${'-_'.repeat(21)}z`)).toBe(true);
  });

  it('refuses other lengths, padding and non-URL-safe characters', () => {
    for (const bad of [
      '',
      'A'.repeat(42),
      'A'.repeat(44),
      `${'A'.repeat(42)}=`,
      `${'A'.repeat(42)}+`,
      `${'A'.repeat(42)}/`,
      `${'A'.repeat(42)}.`,
      ` ${'A'.repeat(42)}`,
      `${'A'.repeat(43)}\n`,
    ]) {
      expect(LINK_TOKEN_PATTERN.test(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
