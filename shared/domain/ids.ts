// Filing numbers: `F` + 13 Crockford base32 characters (65 bits), readable over the phone
// (no I, L, O, U). Random for a plain submission; derived from the keyed hash of the
// Idempotency-Key when one is given, so a retry lands on the same filing.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

export function filingIdFrom(bytes: Uint8Array): string {
  return `F${base32(bytes, 13)}`;
}

export function newFilingId(): string {
  return filingIdFrom(randomBytes(10));
}

export const FILING_ID_PATTERN = /^F[0-9A-HJKMNP-TV-Z]{13}$/;
