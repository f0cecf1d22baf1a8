import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validFiling } from '../../test/support/fixtures.ts';
import { pendingWorkflow } from '../adapters/pending-workflow.ts';
import { loadOrCreateLocalKeys, localHasher } from '../data/field-crypto.ts';
import { ConfigurationError } from '../domain/errors.ts';
import { parseFiling } from '../domain/filing.ts';
import { toErrorAnswer } from '../http/errors.ts';
import type { CreateFilingCommand } from '../ports/filings.ts';
import { createFilingServices, filingServices } from './filing-services.ts';
import { filingWriteServices } from './filing-write-services.ts';

const dir = mkdtempSync(join(tmpdir(), 'filing-services-test-'));
const keyFile = join(dir, 'keys.json');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const command = (): CreateFilingCommand => ({
  filingId: 'F0123456789ABC',
  programId: 'liaoning-cso',
  filing: parseFiling(validFiling({ n: 70_900 })),
  warnings: [],
  actor: { role: 'applicant' },
  at: '2025-06-01T00:00:00.000Z',
});

/** A fresh copy of the module, as a cold start loads it (the table access is built once per process). */
async function coldStart() {
  vi.resetModules();
  return import('./filing-services.ts');
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('filing services from the environment', () => {
  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 'services-test');
    vi.stubEnv('LOCAL_KEY_FILE', keyFile);
    vi.stubEnv('FIELD_KEY_ARN', '');
    vi.stubEnv('PERSON_HMAC_KEY_ARN', '');
    // Nothing listens there: a store call fails at once, like an unreachable DynamoDB.
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:1');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('wires the local key file’s hasher and the pending workflow', async () => {
    const services = createFilingServices();
    expect(services.workflow).toBe(pendingWorkflow);
    const { hmacKey } = loadOrCreateLocalKeys(keyFile);
    expect(await services.hasher.mac('receipt', 'F1')).toBe(await localHasher(hmacKey).mac('receipt', 'F1'));
  });

  it('stops with the name of a missing table setting', async () => {
    vi.stubEnv('TABLE_NAME', '');
    const cold = await coldStart();
    expect(() => cold.createFilingServices()).toThrow('missing environment variable TABLE_NAME');
  });

  it('stops with the name of a missing key setting', async () => {
    vi.stubEnv('LOCAL_KEY_FILE', '');
    const cold = await coldStart();
    expect(() => cold.createFilingServices()).toThrow('missing environment variable LOCAL_KEY_FILE');
  });

  it('filingServices: built once, and without a field cipher it cannot write ID numbers', async () => {
    const services = filingServices();
    expect(filingServices()).toBe(services);
    const error = await failure(services.repo.create(command()));
    expect(error).toBeInstanceOf(ConfigurationError);
  });

  it('filingWriteServices: built once, encrypts and then reaches for the store (here unavailable: 503)', async () => {
    const services = filingWriteServices();
    expect(filingWriteServices()).toBe(services);
    expect(services).not.toBe(filingServices());
    const error = await failure(services.repo.create(command()));
    expect(error).not.toBeInstanceOf(ConfigurationError);
    const answer = toErrorAnswer(error);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers).toEqual({ 'retry-after': '5' });
  });
});
