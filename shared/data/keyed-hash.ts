// Keyed hashes and the local key file. Kept apart from the Encryption SDK (field-crypto.ts)
// so that handlers which only check receipts or find people do not bundle it.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { LOCAL_KEY_FILE_ENV, PERSON_HMAC_KEY_ARN_ENV, requireEnv } from '../config/env.ts';
import type { KeyedHasher, MacPurpose } from '../ports/crypto.ts';

// The port (shared/ports/crypto.ts), also exported from here for the data layer's modules.
export { type KeyedHasher, type MacPurpose, personHash } from '../ports/crypto.ts';

const macMessage = (purpose: MacPurpose, message: string) => `${purpose}\u0000${message}`;

export interface LocalKeys {
  fieldKey: Uint8Array;
  hmacKey: Uint8Array;
}

/** Reads the local key file, creating it (mode 0600) with fresh random keys on first use. */
export function loadOrCreateLocalKeys(file: string): LocalKeys {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const keys = {
      fieldKey: randomBytes(32).toString('base64'),
      hmacKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { fieldKey: string; hmacKey: string };
  // Copies, not views into Node's shared buffer pool: the Encryption SDK requires an isolated key buffer.
  return {
    fieldKey: new Uint8Array(Buffer.from(parsed.fieldKey, 'base64')),
    hmacKey: new Uint8Array(Buffer.from(parsed.hmacKey, 'base64')),
  };
}

export function localHasher(hmacKey: Uint8Array): KeyedHasher {
  return {
    async mac(purpose, message) {
      return createHmac('sha256', hmacKey).update(macMessage(purpose, message)).digest('base64url');
    },
  };
}

/** HMAC computed by a KMS HMAC key (GenerateMac): the secret never leaves KMS. */
export function kmsHasher(kms: KMSClient, keyId: string): KeyedHasher {
  return {
    async mac(purpose, message) {
      const out = await kms.send(
        new GenerateMacCommand({
          KeyId: keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(macMessage(purpose, message), 'utf8'),
        }),
      );
      return Buffer.from(out.Mac ?? new Uint8Array()).toString('base64url');
    },
  };
}

/** The keyed hasher chosen by the environment: the KMS HMAC key when set, else the local key file. */
export function keyedHasherFromEnv(env: NodeJS.ProcessEnv = process.env): KeyedHasher {
  const macKey = env[PERSON_HMAC_KEY_ARN_ENV];
  if (macKey) return kmsHasher(new KMSClient({}), macKey);
  return localHasher(loadOrCreateLocalKeys(requireEnv(LOCAL_KEY_FILE_ENV, env)).hmacKey);
}
