// The keys the use cases need without holding them: a keyed hash (to find a person, check a
// receipt or derive a filing id without the ID number) and a field cipher (to store and unmask
// ID numbers). Adapters: shared/data/keyed-hash.ts (KMS HMAC key or the local key file) and
// shared/data/field-crypto.ts (AWS Encryption SDK).

/**
 * Keyed hashes (HMAC-SHA256, base64url): the person key that finds an ID number without
 * revealing it, receipt tokens, and filing ids derived from idempotency keys. The purpose is
 * part of the message, so a MAC made for one purpose is never valid for another.
 */
export interface KeyedHasher {
  mac(purpose: MacPurpose, message: string): Promise<string>;
}
export type MacPurpose = 'person' | 'receipt' | 'idempotency';

/** The person key of an ID number within a program. */
export function personHash(hasher: KeyedHasher, programId: string, idNumber: string): Promise<string> {
  return hasher.mac('person', `${programId}\u0000${idNumber}`);
}

/** Encrypts and decrypts one field; the context binds a ciphertext to its filing. */
export interface FieldCipher {
  encrypt(plaintext: string, context: Record<string, string>): Promise<Uint8Array>;
  decrypt(ciphertext: Uint8Array, context: Record<string, string>): Promise<string>;
}
