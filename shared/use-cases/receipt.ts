// Receipt tokens: what an applicant holds to follow and change their own filing. A token is
// the keyed hash of the filing id, so nothing is stored and a retried submission gets the
// same token back; checking it takes constant time, and a wrong token looks exactly like an
// unknown filing.
import { timingSafeEqual } from 'node:crypto';
import { NotFoundError } from '../domain/errors.ts';
import type { KeyedHasher } from '../ports/crypto.ts';

export function receiptToken(hasher: KeyedHasher, filingId: string): Promise<string> {
  return hasher.mac('receipt', filingId);
}

/** Reads `Authorization: Receipt <token>` or `?receipt=`. */
export function receiptFrom(
  headers: Record<string, string>,
  query: Record<string, string>,
): string | undefined {
  const auth = headers.authorization;
  const match = auth ? /^Receipt\s+(\S+)$/i.exec(auth) : null;
  return match?.[1] ?? query.receipt;
}

/** Throws NotFoundError unless the token belongs to the filing. */
export async function requireReceipt(
  hasher: KeyedHasher,
  filingId: string,
  token: string | undefined,
): Promise<void> {
  if (!token || !/^[A-Za-z0-9_-]{1,25}$/.test(filingId)) throw new NotFoundError('filing');
  const expected = Buffer.from(await receiptToken(hasher, filingId));
  const given = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new NotFoundError('filing');
}
