// DynamoDB Local must never outlive the Node process that started it, even when that
// process is killed without a chance to clean up.
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function javaPidsListeningOn(port: number): string[] {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar -port ${port} `], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe('DynamoDB Local process lifecycle', () => {
  it('is killed when the Node process that started it crashes (SIGKILL)', async () => {
    const script =
      "const { startDynamoDbLocal } = await import('#infra/local/dynamodb-local.ts');" +
      'const d = await startDynamoDbLocal(); console.log(d.port); setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    expect(port).toBeGreaterThan(0);
    expect(javaPidsListeningOn(port).length).toBe(1);
    child.kill('SIGKILL');
    expect(await waitFor(() => javaPidsListeningOn(port).length === 0, 15_000)).toBe(true);
  });

  it('stops on request', async () => {
    const { startDynamoDbLocal } = await import('#infra/local/dynamodb-local.ts');
    const ddb = await startDynamoDbLocal();
    expect(javaPidsListeningOn(ddb.port).length).toBe(1);
    await ddb.stop();
    expect(await waitFor(() => javaPidsListeningOn(ddb.port).length === 0, 15_000)).toBe(true);
  });

  it('never takes another server on its port for its own (a second run on the same machine)', async () => {
    const { startDynamoDbLocal } = await import('#infra/local/dynamodb-local.ts');
    // The suite's own DynamoDB Local holds this port and answers the readiness probe: a new one
    // asked for it must fail as its Java cannot bind, not report the other one as its own.
    const taken = Number(new URL(inject('dynamodbEndpoint')).port);
    await expect(startDynamoDbLocal({ port: taken })).rejects.toThrow(`port ${taken} is taken`);
    expect(await waitFor(() => javaPidsListeningOn(taken).length === 1, 15_000)).toBe(true);
  });
});
