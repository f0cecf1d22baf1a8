// `npm start` is one process tree: stopping it stops everything, and a crash of its Node
// process leaves neither DynamoDB Local nor the HTTP server behind. Data stays between runs.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../support/fixtures.ts';
import { startRuntime } from '../support/runtime.ts';

function processesMatching(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
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
    expect(
      await eventually(() => {
        try {
          execFileSync('curl', ['-s', '-o', '/dev/null', `${runtime.baseUrl}/programs`]);
          return false;
        } catch {
          return true;
        }
      }),
    ).toBe(true);
    await runtime.stop();
  });

  it('stops everything on SIGTERM and keeps the data for the next start', async () => {
    const first = await startRuntime();
    const filing = validFiling({ n: 880_001 });
    const res = await fetch(`${first.baseUrl}/programs/liaoning-cso/filings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(filing),
    });
    expect(res.status).toBe(201);
    const { filingId, receiptToken } = (await res.json()) as { filingId: string; receiptToken: string };
    const port = new URL(first.dynamodbEndpoint).port;
    await first.stop({ keepData: true });
    expect(processesMatching(`DynamoDBLocal.jar -port ${port} `)).toHaveLength(0);

    const second = await startRuntime({}, first.localDir);
    try {
      const status = await fetch(`${second.baseUrl}/filings/${filingId}`, {
        headers: { authorization: `Receipt ${receiptToken}` },
      });
      expect(status.status).toBe(200);
      expect(((await status.json()) as { status: string }).status).toBe('submitted');
    } finally {
      await second.stop();
    }
  });
});
