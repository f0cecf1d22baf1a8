// The DynamoDB a local command works against: DYNAMODB_ENDPOINT when set (as for `npm start`);
// else the DynamoDB Local that a running `npm start` serves from <LOCAL_DIR>/dynamodb (found by
// its command line); else one started here on that folder for the length of the command.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { startDynamoDbLocal } from './dynamodb-local.ts';

/** The port of a DynamoDB Local serving this data folder, from its java command line (Linux /proc). */
function runningDynamoDbLocal(folder: string): string | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined; // no /proc (macOS): start one instead
  }
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!basename(argv[0] ?? '').startsWith('java') || !argv.includes('DynamoDBLocal.jar')) continue;
    const dbPath = argv[argv.indexOf('-dbPath') + 1];
    const port = argv[argv.indexOf('-port') + 1];
    if (argv.includes('-dbPath') && dbPath && resolve(dbPath) === folder && port && /^\d+$/.test(port)) {
      return `http://127.0.0.1:${port}`;
    }
  }
  return undefined;
}

export async function localDynamoDb(
  dataDir: string,
): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const configured = process.env.DYNAMODB_ENDPOINT;
  if (configured) return { endpoint: configured, stop: async () => undefined };
  const running = runningDynamoDbLocal(resolve(dataDir));
  if (running) return { endpoint: running, stop: async () => undefined };
  console.error(`starting DynamoDB Local on ${dataDir} for this command…`);
  mkdirSync(dataDir, { recursive: true });
  const started = await startDynamoDbLocal({ dataDir });
  return { endpoint: started.endpoint, stop: started.stop };
}
