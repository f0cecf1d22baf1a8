import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import {
  encryptionSdkCipher,
  fieldProtectionFromEnv,
  keyedHasherFromEnv,
  kmsHasher,
  loadOrCreateLocalKeys,
  localHasher,
  personHash,
  rawAesKeyring,
} from './field-crypto.ts';

const dir = mkdtempSync(join(tmpdir(), 'field-crypto-test-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const key = () => new Uint8Array(randomBytes(32));
const ID = '210102197501010011';
const CONTEXT = { programId: 'liaoning-cso', filingId: 'F0123456789ABC' };

describe('encryptionSdkCipher with a raw AES keyring', () => {
  const cipher = encryptionSdkCipher(rawAesKeyring(key()));

  it('decrypts what it encrypted', async () => {
    const ciphertext = await cipher.encrypt(ID, CONTEXT);
    expect(ciphertext).toBeInstanceOf(Uint8Array);
    expect(await cipher.decrypt(ciphertext, CONTEXT)).toBe(ID);
  });

  it('does not contain the plaintext, and encrypts the same text differently each time', async () => {
    const a = await cipher.encrypt(ID, CONTEXT);
    const b = await cipher.encrypt(ID, CONTEXT);
    expect(Buffer.from(a).includes(Buffer.from(ID))).toBe(false);
    expect(Buffer.from(a).toString('latin1')).not.toContain(ID.slice(6, 14));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses to decrypt under another encryption context', async () => {
    const ciphertext = await cipher.encrypt(ID, CONTEXT);
    await expect(cipher.decrypt(ciphertext, { ...CONTEXT, filingId: 'F9999999999999' })).rejects.toThrow(
      'encryption context does not match the record',
    );
    await expect(cipher.decrypt(ciphertext, { ...CONTEXT, programId: 'anhui-std-director' })).rejects.toThrow(
      'encryption context does not match',
    );
    await expect(cipher.decrypt(ciphertext, { extra: 'x' })).rejects.toThrow(
      'encryption context does not match',
    );
  });

  it('cannot be decrypted with another key', async () => {
    const ciphertext = await cipher.encrypt(ID, CONTEXT);
    const other = encryptionSdkCipher(rawAesKeyring(key()));
    await expect(other.decrypt(ciphertext, CONTEXT)).rejects.toThrow();
  });

  it('refuses a tampered ciphertext', async () => {
    const ciphertext = await cipher.encrypt(ID, CONTEXT);
    const last = ciphertext.length - 1;
    ciphertext[last] = (ciphertext[last] ?? 0) ^ 0xff;
    await expect(cipher.decrypt(ciphertext, CONTEXT)).rejects.toThrow();
  });
});

describe('loadOrCreateLocalKeys', () => {
  it('creates the key file (mode 0600, parent folders included) and reads the same keys back', () => {
    const file = join(dir, 'nested', 'deeper', 'keys.json');
    const created = loadOrCreateLocalKeys(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(created.fieldKey).toHaveLength(32);
    expect(created.hmacKey).toHaveLength(32);
    expect(Buffer.from(created.fieldKey).equals(Buffer.from(created.hmacKey))).toBe(false);
    const again = loadOrCreateLocalKeys(file);
    expect(Buffer.from(again.fieldKey).equals(Buffer.from(created.fieldKey))).toBe(true);
    expect(Buffer.from(again.hmacKey).equals(Buffer.from(created.hmacKey))).toBe(true);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Buffer.from(stored.fieldKey ?? '', 'base64').equals(Buffer.from(created.fieldKey))).toBe(true);
  });

  it('returns keys in buffers of their own (the Encryption SDK refuses pooled views)', () => {
    const keys = loadOrCreateLocalKeys(join(dir, 'isolated.json'));
    expect(keys.fieldKey.byteOffset).toBe(0);
    expect(keys.fieldKey.buffer.byteLength).toBe(32);
    expect(keys.hmacKey.buffer.byteLength).toBe(32);
  });

  it('gives keys that work with the cipher', async () => {
    const keys = loadOrCreateLocalKeys(join(dir, 'working.json'));
    const cipher = encryptionSdkCipher(rawAesKeyring(keys.fieldKey));
    expect(await cipher.decrypt(await cipher.encrypt(ID, CONTEXT), CONTEXT)).toBe(ID);
  });
});

describe('localHasher', () => {
  const hasher = localHasher(key());

  it('is deterministic and base64url', async () => {
    const a = await hasher.mac('receipt', 'F0123456789ABC');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await hasher.mac('receipt', 'F0123456789ABC')).toBe(a);
    expect(await hasher.mac('receipt', 'F0123456789ABD')).not.toBe(a);
  });

  it('gives different MACs for different purposes of the same message', async () => {
    const [person, receipt, idempotency] = await Promise.all([
      hasher.mac('person', 'x'),
      hasher.mac('receipt', 'x'),
      hasher.mac('idempotency', 'x'),
    ]);
    expect(new Set([person, receipt, idempotency]).size).toBe(3);
  });

  it('depends on the key', async () => {
    expect(await localHasher(key()).mac('person', 'x')).not.toBe(await hasher.mac('person', 'x'));
  });
});

describe('personHash', () => {
  const hasher = localHasher(key());

  it('is the person MAC of program and ID number', async () => {
    expect(await personHash(hasher, 'liaoning-cso', ID)).toBe(
      await hasher.mac('person', `liaoning-cso\u0000${ID}`),
    );
  });

  it('differs between programs and never contains the ID number', async () => {
    const a = await personHash(hasher, 'liaoning-cso', ID);
    expect(await personHash(hasher, 'anhui-std-director', ID)).not.toBe(a);
    expect(a).not.toContain(ID);
  });
});

describe('kmsHasher', () => {
  function fakeKms(mac: Uint8Array | undefined) {
    const sent: GenerateMacCommand[] = [];
    const client = {
      async send(command: GenerateMacCommand) {
        sent.push(command);
        return { Mac: mac };
      },
    } as unknown as KMSClient;
    return { client, sent };
  }

  it('asks KMS for an HMAC-SHA256 of purpose and message with its key, returning base64url', async () => {
    const { client, sent } = fakeKms(new Uint8Array([0xfb, 0xff, 0x01, 0x02]));
    const hasher = kmsHasher(client, 'arn:aws:kms:cn-north-1:111122223333:key/mac');
    expect(await hasher.mac('receipt', 'F0123456789ABC')).toBe('-_8BAg');
    expect(sent).toHaveLength(1);
    const command = sent[0];
    expect(command).toBeInstanceOf(GenerateMacCommand);
    expect(command?.input.KeyId).toBe('arn:aws:kms:cn-north-1:111122223333:key/mac');
    expect(command?.input.MacAlgorithm).toBe('HMAC_SHA_256');
    expect(Buffer.from(command?.input.Message ?? new Uint8Array()).toString('utf8')).toBe(
      'receipt\u0000F0123456789ABC',
    );
  });

  it('puts the purpose into the message, like the local hasher', async () => {
    const { client, sent } = fakeKms(new Uint8Array([1]));
    await personHash(kmsHasher(client, 'k'), 'liaoning-cso', ID);
    expect(Buffer.from(sent[0]?.input.Message ?? new Uint8Array()).toString('utf8')).toBe(
      `person\u0000liaoning-cso\u0000${ID}`,
    );
  });
});

describe('fieldProtectionFromEnv', () => {
  it('uses the local key file when no KMS key is set', async () => {
    const file = join(dir, 'env-keys.json');
    const { cipher, hasher } = fieldProtectionFromEnv({ LOCAL_KEY_FILE: file });
    expect(await cipher.decrypt(await cipher.encrypt(ID, CONTEXT), CONTEXT)).toBe(ID);
    const keys = loadOrCreateLocalKeys(file);
    expect(await hasher.mac('receipt', 'F1')).toBe(await localHasher(keys.hmacKey).mac('receipt', 'F1'));
    const fromFile = encryptionSdkCipher(rawAesKeyring(keys.fieldKey));
    expect(await fromFile.decrypt(await cipher.encrypt(ID, CONTEXT), CONTEXT)).toBe(ID);
  });

  it('throws naming LOCAL_KEY_FILE when neither KMS nor a key file is configured', () => {
    expect(() => fieldProtectionFromEnv({})).toThrow('missing environment variable LOCAL_KEY_FILE');
  });

  it('with a KMS field key, requires the KMS HMAC key too', () => {
    expect(() =>
      fieldProtectionFromEnv({ FIELD_KEY_ARN: 'arn:aws:kms:cn-north-1:111122223333:key/field' }),
    ).toThrow('missing environment variable PERSON_HMAC_KEY_ARN');
  });

  it('with both KMS keys, needs no key file', () => {
    const protection = fieldProtectionFromEnv({
      FIELD_KEY_ARN: 'arn:aws:kms:cn-north-1:111122223333:key/field',
      PERSON_HMAC_KEY_ARN: 'arn:aws:kms:cn-north-1:111122223333:key/mac',
    });
    expect(typeof protection.cipher.encrypt).toBe('function');
    expect(typeof protection.hasher.mac).toBe('function');
  });
});

describe('keyedHasherFromEnv', () => {
  it('uses the local key file’s HMAC key when no KMS key is set', async () => {
    const file = join(dir, 'hasher-keys.json');
    const hasher = keyedHasherFromEnv({ LOCAL_KEY_FILE: file });
    const keys = loadOrCreateLocalKeys(file);
    expect(await hasher.mac('person', 'x')).toBe(await localHasher(keys.hmacKey).mac('person', 'x'));
  });

  it('throws naming LOCAL_KEY_FILE when nothing is configured', () => {
    expect(() => keyedHasherFromEnv({})).toThrow('missing environment variable LOCAL_KEY_FILE');
  });

  it('uses KMS when the HMAC key is set, without touching a key file', () => {
    const hasher = keyedHasherFromEnv({ PERSON_HMAC_KEY_ARN: 'arn:aws:kms:cn-north-1:111122223333:key/mac' });
    expect(typeof hasher.mac).toBe('function');
  });
});
