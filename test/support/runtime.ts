// Starts the real local runtime (`npm start`'s entry) with PORT=0 (the runtime binds a free
// loopback port itself and prints it: nothing to race for) and its own data directory, for the e2e and browser suites; stop() ends it, DynamoDB Local and the
// local S3 included.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Where the e2e run collects everything the runtimes printed and every error body, for the
 * personal-data scan at the end of the run (test/support/pii-capture.global-setup.ts).
 */
export const CAPTURE_DIR_ENV = 'E2E_CAPTURE_DIR';

/** Appends text to one of the run's capture files (nothing outside a capturing run). */
export function capture(file: string, text: string): void {
  const dir = process.env[CAPTURE_DIR_ENV];
  if (!dir || !text) return;
  appendFileSync(join(dir, file), text);
}

export interface Runtime {
  baseUrl: string;
  /** The runtime's DynamoDB Local, to check what the table holds. */
  dynamodbEndpoint: string;
  /** The runtime's local S3 (s3rver) and its attachment bucket, to check what is stored. */
  s3Endpoint: string;
  bucket: string;
  tableName: string;
  /** The supervisor's process id (`npm start`'s node process). */
  pid: number;
  localDir: string;
  /** Everything the runtime printed (stdout and stderr), for log assertions. */
  output(): string;
  /** Stops the runtime; its data directory is removed unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startRuntime(
  env: Record<string, string> = {},
  reuseDir?: string,
  /** Further arguments of `npm start`, such as `--reset`. */
  args: readonly string[] = [],
): Promise<Runtime> {
  const localDir = reuseDir ?? mkdtempSync(join(tmpdir(), 'sso-runtime-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'infra/local/start.ts'), '--no-watch', '--exit-with-parent', ...args],
    {
      cwd: root,
      // Scheduled jobs fire only when a test asks (a Monday-morning run must not race a test's batch).
      env: { ...process.env, PORT: '0', LOCAL_DIR: localDir, LOCAL_SCHEDULES: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const captureFile = `runtime-${process.pid}-${randomUUID()}.log`;
  const record = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    capture(captureFile, text);
  };
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      record(chunk);
      if (output.includes('Ctrl-C stops everything')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', record);
    child.once('exit', (code) => reject(new Error(`local runtime exited with ${code}:\n${output}`)));
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 240_000);
  try {
    await ready;
  } finally {
    clearTimeout(timeout);
  }
  const api = /^ {2}API\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
  if (!api) throw new Error(`no API address in the runtime output:\n${output}`);
  const endpoint = /DynamoDB Local\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  if (!endpoint) throw new Error(`no DynamoDB Local endpoint in the runtime output:\n${output}`);
  const s3 = /S3 \(s3rver\)\s+(http:\/\/127\.0\.0\.1:\d+)\s+\(bucket ([\w.-]+);/.exec(output);
  if (!s3?.[1] || !s3[2]) throw new Error(`no S3 endpoint in the runtime output:\n${output}`);
  return {
    baseUrl: api,
    dynamodbEndpoint: endpoint,
    s3Endpoint: s3[1],
    bucket: s3[2],
    pid: child.pid ?? -1,
    tableName: 'standards-officer-local',
    localDir,
    output: () => output,
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.keepData) rmSync(localDir, { recursive: true, force: true });
    },
  };
}
