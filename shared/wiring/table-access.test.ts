// The table access as a cold start builds it: from the environment, once per process, each
// layer reusing the one below (one document client, one hasher per process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadOrCreateLocalKeys, localHasher } from '../data/keyed-hash.ts';

const dir = mkdtempSync(join(tmpdir(), 'table-access-test-'));
const keyFile = join(dir, 'keys.json');

/** Fresh copies of the three modules, as one cold start loads them. */
async function coldStart() {
  vi.resetModules();
  const [{ tableAccess }, { keyedTableAccess }, { filingTableAccess }] = await Promise.all([
    import('./table-access.ts'),
    import('./keyed-table-access.ts'),
    import('./filing-table-access.ts'),
  ]);
  return { tableAccess, keyedTableAccess, filingTableAccess };
}

beforeEach(() => {
  vi.stubEnv('TABLE_NAME', 'table-access-test');
  vi.stubEnv('LOCAL_KEY_FILE', keyFile);
  vi.stubEnv('PERSON_HMAC_KEY_ARN', '');
  vi.stubEnv('AWS_REGION', 'us-east-1');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('table access', () => {
  it('is built once per process: a later change of the environment is not read', async () => {
    const { tableAccess } = await coldStart();
    const first = tableAccess();
    expect(first.tableName).toBe('table-access-test');
    vi.stubEnv('TABLE_NAME', 'other');
    expect(tableAccess()).toBe(first);
  });

  it('stops a cold start without TABLE_NAME by name, and caches nothing', async () => {
    vi.stubEnv('TABLE_NAME', '');
    const { tableAccess } = await coldStart();
    expect(() => tableAccess()).toThrow('missing environment variable TABLE_NAME');
    vi.stubEnv('TABLE_NAME', 'table-access-test');
    expect(tableAccess().tableName).toBe('table-access-test');
  });

  it('the keyed and filing layers share the one client and the one hasher (the local key file’s)', async () => {
    const { tableAccess, keyedTableAccess, filingTableAccess } = await coldStart();
    const keyed = keyedTableAccess();
    const filing = filingTableAccess();
    expect(keyed.doc).toBe(tableAccess().doc);
    expect(filing.doc).toBe(keyed.doc);
    expect(filing.hasher).toBe(keyed.hasher);
    expect(filingTableAccess().repo).toBe(filing.repo);
    const { hmacKey } = loadOrCreateLocalKeys(keyFile);
    expect(await keyed.hasher.mac('receipt', 'F1')).toBe(await localHasher(hmacKey).mac('receipt', 'F1'));
  });

  it('a missing key setting stops the keyed layer by name; the plain table is unaffected', async () => {
    vi.stubEnv('LOCAL_KEY_FILE', '');
    const { tableAccess, keyedTableAccess } = await coldStart();
    expect(() => keyedTableAccess()).toThrow('missing environment variable LOCAL_KEY_FILE');
    expect(tableAccess().tableName).toBe('table-access-test');
  });
});
