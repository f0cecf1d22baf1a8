// The wiring of the workflow from the environment, as a cold start does it: the variables are
// set before the module is imported, and the services are built once per process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readOutbox } from '../adapters/mail/mailer.ts';
import { loadOrCreateLocalKeys, localHasher } from '../data/keyed-hash.ts';

const dir = mkdtempSync(join(tmpdir(), 'workflow-services-'));
const keyFile = join(dir, 'keys', 'local.json');
const outboxDir = join(dir, 'outbox');

function stubEnvironment() {
  vi.stubEnv('TABLE_NAME', 'workflow-services-test');
  vi.stubEnv('LOCAL_KEY_FILE', keyFile);
  vi.stubEnv('PERSON_HMAC_KEY_ARN', '');
  vi.stubEnv('FIELD_KEY_ARN', '');
  vi.stubEnv('PUBLIC_API_URL', 'https://api.example.cn/');
  vi.stubEnv('PUBLIC_SITE_URL', 'https://site.example.cn/');
  vi.stubEnv('MAIL_TRANSPORT', 'outbox');
  vi.stubEnv('OUTBOX_DIR', outboxDir);
  vi.stubEnv('MAIL_FROM', '辽宁省首席标准官备案 <noreply@liaoning-cso.example.cn>');
  vi.stubEnv('ALERT_EMAIL', 'ops@example.cn');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
}

/** A fresh copy of the module (its cache is per process, like a Lambda container). */
async function load() {
  vi.resetModules();
  return import('./workflow-services.ts');
}

beforeEach(() => {
  stubEnvironment();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('workflowServices', () => {
  it('builds the deps from the environment, with the public URLs without a trailing slash', async () => {
    const { workflowServices } = await load();
    const { deps, steps } = workflowServices();
    expect(deps.apiBaseUrl).toBe('https://api.example.cn');
    expect(deps.siteBaseUrl).toBe('https://site.example.cn');
    for (const step of [
      'startReview',
      'openReview',
      'nextWait',
      'applyDecision',
      'awaitAmendment',
      'expireAmendment',
      'awaitProvince',
      'recordFailure',
    ] as const) {
      expect(typeof steps[step]).toBe('function');
    }
    // The local key file is created on first use.
    expect(existsSync(keyFile)).toBe(true);
  });

  it('is built once per process', async () => {
    const { workflowServices } = await load();
    const first = workflowServices();
    vi.stubEnv('PUBLIC_API_URL', 'https://elsewhere.example.cn');
    expect(workflowServices()).toBe(first);
    expect(workflowServices().deps.apiBaseUrl).toBe('https://api.example.cn');
  });

  it("statusLink: the site's status page with the filing id and its receipt token in the fragment", async () => {
    const { workflowServices } = await load();
    const { deps } = workflowServices();
    const filingId = 'F0123456789ABC';
    const token = await localHasher(loadOrCreateLocalKeys(keyFile).hmacKey).mac('receipt', filingId);
    const link = await deps.statusLink(filingId);
    expect(link).toBe(`https://site.example.cn/status.html#f=${filingId}&r=${token}`);
    const url = new URL(link);
    expect(url.search).toBe('');
    expect(url.hash).toContain(token);
    expect(await deps.statusLink('F0123456789ABD')).not.toContain(token);
  });

  it('the notifier queues its mail in the table and sends nothing itself (the mailer function does)', async () => {
    // A table nobody answers at: the queueing fails, and no mail went out meanwhile.
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    const { workflowServices } = await load();
    const { deps } = workflowServices();
    await expect(
      deps.notifier.failure({
        filingId: 'F0123456789ABC',
        programId: 'liaoning-cso',
        state: 'city_review',
        error: 'ReviewExpired',
      }),
    ).rejects.toThrow();
    expect(await readOutbox(outboxDir)).toEqual([]);
  });

  it('a missing setting stops the cold start by name, and nothing is cached', async () => {
    for (const name of ['TABLE_NAME', 'PUBLIC_SITE_URL', 'PUBLIC_API_URL']) {
      stubEnvironment();
      vi.stubEnv(name, '');
      const { workflowServices } = await load();
      expect(() => workflowServices(), name).toThrow(name);
      stubEnvironment();
      expect(workflowServices().deps.apiBaseUrl).toBe('https://api.example.cn');
    }
  });
});
