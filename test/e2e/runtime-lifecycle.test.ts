// `npm start` is one process tree: stopping it stops everything, and a crash of its Node
// process leaves neither DynamoDB Local, the local S3 nor the HTTP server behind. Data (the
// table and the attachment bucket) stays between runs.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { apiDriver } from './driver.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

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

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
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

  it('stops by itself, Java included, when the process that started it is killed', async () => {
    // A test runner killed mid-run: the runtime it started writes to a file (no broken pipe
    // to end it), so only its own check of its parent can stop it.
    const dir = mkdtempSync(join(tmpdir(), 'sso-orphan-'));
    const log = join(dir, 'out.log');
    const starter = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { spawn } from 'node:child_process';
         import { openSync } from 'node:fs';
         const out = openSync(${JSON.stringify(log)}, 'a');
         const child = spawn(process.execPath, [${JSON.stringify(join(root, 'infra/local/start.ts'))}, '--no-watch', '--exit-with-parent'], {
           cwd: ${JSON.stringify(root)},
           env: { ...process.env, PORT: '0', LOCAL_DIR: ${JSON.stringify(join(dir, 'data'))}, LOCAL_SCHEDULES: 'off' },
           stdio: ['ignore', out, out],
         });
         console.log(String(child.pid));
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const supervisor = await new Promise<number>((resolve) =>
      starter.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    expect(
      await eventually(
        () => existsSync(log) && readFileSync(log, 'utf8').includes('Ctrl-C stops everything'),
        120_000,
      ),
      'the runtime to be up',
    ).toBe(true);
    const port = /DynamoDB Local +http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(log, 'utf8'))?.[1];
    expect(port, readFileSync(log, 'utf8')).toBeDefined();
    const javaPattern = `DynamoDBLocal.jar -port ${port} `;
    expect(processesMatching(javaPattern)).toHaveLength(1);

    starter.kill('SIGKILL');
    expect(await eventually(() => !pidAlive(supervisor), 30_000), 'the supervisor to stop').toBe(true);
    expect(await eventually(() => processesMatching(javaPattern).length === 0)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 480_000);

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

/** A GET with any Host header (fetch does not let a caller name another host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local runtime boundaries', () => {
  it('answers only to its own host names, and takes /_local actions only from its own pages', async () => {
    const runtime = await startRuntime();
    try {
      const api = apiDriver(runtime);
      const port = new URL(runtime.baseUrl).port;
      expect((await api.submit('liaoning-cso', validFiling({ n: 880_101 }))).status).toBe(201);
      await api.waitForMail('review_request');
      // DNS rebinding: a page on another site naming its own host reads nothing, the outbox's
      // review links included.
      const outbox = `${runtime.baseUrl}/_local/outbox.json`;
      const rebound = await getWithHost(outbox, `attacker.example:${port}`);
      expect(rebound.status).toBe(421);
      expect(rebound.body).not.toContain('/review/');
      expect((await getWithHost(outbox, `localhost:${port}`)).status).toBe(200);
      expect((await getWithHost(`${runtime.baseUrl}/programs`, 'attacker.example')).status).toBe(421);

      const clock = async () =>
        (
          (await (await fetch(`${runtime.baseUrl}/_local/tick?by=0s`, { method: 'POST' })).json()) as {
            now: string;
          }
        ).now;
      const before = Date.parse(await clock());
      // A cross-site form cannot fast-forward the workflow clock.
      for (const headers of [{ origin: 'http://attacker.example' }, { 'sec-fetch-site': 'cross-site' }]) {
        const res = await fetch(`${runtime.baseUrl}/_local/tick?by=3d`, { method: 'POST', headers });
        expect(res.status).toBe(403);
      }
      expect(Date.parse(await clock()) - before).toBeLessThan(86_400_000);
      // The inspection page itself (same origin) and the CLI (no browser headers) may.
      const own = await fetch(`${runtime.baseUrl}/_local/tick?by=3d`, {
        method: 'POST',
        headers: { origin: runtime.baseUrl, 'sec-fetch-site': 'same-origin' },
      });
      expect(own.status).toBe(200);
      expect(Date.parse(await clock()) - before).toBeGreaterThanOrEqual(3 * 86_400_000);
    } finally {
      await runtime.stop();
    }
  });

  it('starts empty with --reset: table, documents and the outbox with its live links', async () => {
    const first = await startRuntime();
    const api = apiDriver(first);
    const res = await api.submit('liaoning-cso', validFiling({ n: 880_102 }));
    expect(res.status).toBe(201);
    const { filingId } = res.body as { filingId: string };
    await api.waitForMail('review_request');
    await first.stop({ keepData: true });

    const second = await startRuntime({}, first.localDir, ['--reset']);
    try {
      const again = apiDriver(second);
      expect(await again.outbox()).toEqual([]);
      expect(await again.objectKeys(`filings/${filingId}/`)).toEqual([]);
      const filings = (await (await fetch(`${second.baseUrl}/_local/filings.json`)).json()) as unknown[];
      expect(filings).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
