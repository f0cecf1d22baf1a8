// `npm start` is one process tree: stopping it stops everything, and a crash of its Node
// process leaves neither DynamoDB Local, the local S3 nor the HTTP server behind. Data (the
// table and the attachment bucket) stays between runs.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { apiDriver } from './driver.ts';

function processesMatching(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Whether nothing answers at `url` any more. */
function unreachable(url: string): boolean {
  try {
    execFileSync('curl', ['-s', '-o', '/dev/null', url]);
    return false;
  } catch {
    return true;
  }
}

async function eventually(check: () => boolean, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe('local runtime process tree', () => {
  it('leaves nothing running when its Node process is killed', async () => {
    const runtime = await startRuntime();
    const port = new URL(runtime.dynamodbEndpoint).port;
    const javaPattern = `DynamoDBLocal.jar -port ${port} `;
    expect(processesMatching(javaPattern)).toHaveLength(1);
    expect((await fetch(`${runtime.baseUrl}/programs`)).status).toBe(200);
    process.kill(runtime.pid, 'SIGKILL');
    expect(await eventually(() => processesMatching(javaPattern).length === 0)).toBe(true);
    expect(await eventually(() => unreachable(`${runtime.baseUrl}/programs`))).toBe(true);
    expect(await eventually(() => unreachable(runtime.s3Endpoint))).toBe(true);
    await runtime.stop();
  });

  it('stops everything on SIGTERM and keeps the data for the next start', async () => {
    const first = await startRuntime();
    const api = apiDriver(first);
    const res = await api.submit('liaoning-cso', validFiling({ n: 880_001 }));
    expect(res.status).toBe(201);
    const { filingId, receiptToken } = res.body as { filingId: string; receiptToken: string };
    const documents = await api.objectKeys(`filings/${filingId}/`);
    expect(documents).toHaveLength(2);
    // The review workflow takes the filing on; once it waits, its state holds still.
    await api.settled();
    const before = String((await api.status(filingId, receiptToken)).body.status);
    expect(['submitted', 'city_review']).toContain(before);
    const port = new URL(first.dynamodbEndpoint).port;
    await first.stop({ keepData: true });
    expect(processesMatching(`DynamoDBLocal.jar -port ${port} `)).toHaveLength(0);
    expect(unreachable(first.s3Endpoint)).toBe(true);

    const second: Runtime = await startRuntime({}, first.localDir);
    try {
      expect(await apiDriver(second).objectKeys(`filings/${filingId}/`)).toEqual(documents);
      const status = await fetch(`${second.baseUrl}/filings/${filingId}`, {
        headers: { authorization: `Receipt ${receiptToken}` },
      });
      expect(status.status).toBe(200);
      expect(((await status.json()) as { status: string }).status).toBe(before);
    } finally {
      await second.stop();
    }
  });
});
