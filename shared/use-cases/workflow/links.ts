// Review-link tokens: 256 random bits in the link, only their SHA-256 in the table.
import { createHash, randomBytes } from 'node:crypto';

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
