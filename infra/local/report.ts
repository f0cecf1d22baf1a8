// `npm run report -- --program liaoning-cso [--as-of 2025-12-31] [--format json|csv|html]`:
// the target-progress report of the local runtime's data, printed to stdout (JSON by
// default; as-of defaults to today in Asia/Shanghai). It reads the counters in the table of
// `npm start` (same LOCAL_DIR, same table) from its DynamoDB Local, found in this order:
// DYNAMODB_ENDPOINT or AWS_ENDPOINT_URL_DYNAMODB, DYNAMODB_PORT (as given to `npm start`), else
// the running DynamoDB Local whose data directory is `<LOCAL_DIR>/dynamodb` (from its command
// line). When none answers it says so and exits with 2 (as for a usage error).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/data/client.ts';
import { createCounterReader } from '#shared/data/counter-reader.ts';
import { createPlanStore } from '#shared/data/plan-store.ts';
import { createTrainingStore } from '#shared/data/training-store.ts';
import { DomainError, ValidationError } from '#shared/domain/errors.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { shanghaiDate } from '#shared/domain/time.ts';
import { toCsv } from '#shared/use-cases/reports/render-csv.ts';
import { toHtml } from '#shared/use-cases/reports/render-html.ts';
import { targetProgress } from '#shared/use-cases/reports/target-progress.ts';

/** The table `npm start` creates (infra/local/start.ts). */
export const LOCAL_TABLE_NAME = 'standards-officer-local';
const FORMATS = ['json', 'csv', 'html'] as const;
const USAGE =
  'usage: npm run report -- --program <id> [--as-of YYYY-MM-DD] [--format json|csv|html]\n' +
  `programmes: ${PROGRAMS.map((p) => p.id).join(', ')}`;

class ReportCliError extends Error {
  override readonly name = 'ReportCliError';
}

/** The command line of every process, as argument lists (Linux /proc; elsewhere `ps`, split on spaces). */
function processCommandLines(): string[][] {
  if (existsSync('/proc/self/cmdline')) {
    const lines: string[][] = [];
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
      } catch {
        // the process ended meanwhile, or is not ours to read
      }
    }
    return lines;
  }
  try {
    return execFileSync('ps', ['-Ao', 'args='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
  } catch {
    return [];
  }
}

/** Where the local runtime's DynamoDB Local listens, or undefined when it does not run. */
export function findLocalEndpoint(env: NodeJS.ProcessEnv, dataDir: string): string | undefined {
  const explicit = env.DYNAMODB_ENDPOINT ?? env.AWS_ENDPOINT_URL_DYNAMODB;
  if (explicit) return explicit;
  if (env.DYNAMODB_PORT) return `http://127.0.0.1:${env.DYNAMODB_PORT}`;
  for (const args of processCommandLines()) {
    if (!args.includes('DynamoDBLocal.jar')) continue;
    const db = args[args.indexOf('-dbPath') + 1];
    const port = args[args.indexOf('-port') + 1];
    if (args.includes('-dbPath') && db && resolve(db) === dataDir && port && /^\d+$/.test(port)) {
      return `http://127.0.0.1:${port}`;
    }
  }
  return undefined;
}

async function main(argv: string[]): Promise<string> {
  let values: { program?: string; 'as-of'?: string; format?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { program: { type: 'string' }, 'as-of': { type: 'string' }, format: { type: 'string' } },
    }));
  } catch (error) {
    throw new ReportCliError(`${(error as Error).message}\n${USAGE}`);
  }
  const format = (values.format ?? 'json') as (typeof FORMATS)[number];
  if (!values.program || !FORMATS.includes(format)) throw new ReportCliError(USAGE);

  const root = fileURLToPath(new URL('../..', import.meta.url));
  const localDir = resolve(process.env.LOCAL_DIR ?? join(root, '.local'));
  const dataDir = join(localDir, 'dynamodb');
  const endpoint = findLocalEndpoint(process.env, dataDir);
  if (!endpoint) {
    throw new ReportCliError(
      `DynamoDB Local is not running: no DynamoDB Local serves ${dataDir}. Start the local runtime with \`npm start\` (same LOCAL_DIR), or set DYNAMODB_ENDPOINT.`,
    );
  }
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
  } catch (error) {
    const e = error as Error;
    if (e.name === 'ResourceNotFoundException') {
      throw new ReportCliError(
        `DynamoDB Local at ${endpoint} has no table ${LOCAL_TABLE_NAME}: run \`npm start\` once to create it.`,
      );
    }
    throw new ReportCliError(
      `DynamoDB Local is not running at ${endpoint} (${e.message || e.name}). Start it with \`npm start\`.`,
    );
  }
  const counters = createCounterReader({ doc: createDocumentClient(client), tableName: LOCAL_TABLE_NAME });
  try {
    const report = await targetProgress(
      {
        counters,
        training: createTrainingStore(createDocumentClient(client), LOCAL_TABLE_NAME),
        plans: createPlanStore({ doc: createDocumentClient(client), tableName: LOCAL_TABLE_NAME }),
      },
      { programId: values.program, asOf: values['as-of'] ?? shanghaiDate(new Date()) },
    );
    if (format === 'csv') return toCsv(report);
    if (format === 'html') return toHtml(report);
    return `${JSON.stringify(report, null, 2)}\n`;
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ReportCliError(
        `${error.issues.map((i) => `${i.path}: ${i.message.en}`).join('\n')}\n${USAGE}`,
      );
    }
    if (error instanceof DomainError && error.code === 'not_found') {
      throw new ReportCliError(`unknown programme ${values.program}\n${USAGE}`);
    }
    throw error;
  } finally {
    client.destroy();
  }
}

if (import.meta.main) {
  try {
    process.stdout.write(await main(process.argv.slice(2)));
  } catch (error) {
    if (!(error instanceof ReportCliError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
