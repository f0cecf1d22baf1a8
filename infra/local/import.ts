// `node infra/local/import.ts --program liaoning-cso file.xlsx [--json] [--template out.xlsx]`:
// imports existing pool members from a spreadsheet into the local runtime's table (the same
// use case a staff route would run), with a progress bar on stderr and the row-level report on
// stdout (a table, or JSON with --json). `--template out.xlsx` writes the empty import template.
// Exit code: 0 when no row was refused or failed, 1 otherwise (or when the file itself is
// refused), 2 for usage errors.
//
// Which DynamoDB: DYNAMODB_ENDPOINT when set (as for `npm start`); else the DynamoDB Local that
// a running `npm start` serves from <LOCAL_DIR>/dynamodb (found by its command line); else one
// started here on that folder for the length of the import. The table (standards-officer-local,
// or TABLE_NAME) is created if missing, and the keys come from <LOCAL_DIR>/keys.json, as
// `npm start` does: the same ID numbers hash to the same people the local API sees.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Presets, SingleBar } from 'cli-progress';
import { TABLE_NAME_ENV } from '#shared/config/env.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import {
  encryptionSdkCipher,
  loadOrCreateLocalKeys,
  localHasher,
  rawAesKeyring,
} from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import { importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import { importPool, type PoolImportReport, type RowStatus } from '#shared/use-cases/imports/pool-import.ts';
import { localDynamoDb } from './local-dynamodb.ts';

const USAGE = `usage: node infra/local/import.ts --program <id> <file.xlsx> [--json] [--concurrency <n>, default 8]
       node infra/local/import.ts --program <id> --template <out.xlsx>
programmes: ${PROGRAMS.map((p) => p.id).join(', ')}`;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const localDir = resolve(process.env.LOCAL_DIR ?? join(root, '.local'));
const dataDir = join(localDir, 'dynamodb');
const tableName = process.env[TABLE_NAME_ENV] ?? 'standards-officer-local';

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      template: { type: 'string' },
      json: { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
}
let args: ReturnType<typeof parse>;
try {
  args = parse();
} catch (error) {
  usage((error as Error).message);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const program = PROGRAMS.find((p) => p.id === args.values.program);
if (!program) usage(args.values.program ? `unknown programme: ${args.values.program}` : 'missing --program');
const [file, ...extra] = args.positionals;
if (extra.length > 0) usage(`one file at a time (got ${args.positionals.length})`);
if (!file && !args.values.template) usage('missing the file to import');
const concurrency = args.values.concurrency === undefined ? undefined : Number(args.values.concurrency);
if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
  usage('--concurrency must be an integer from 1 to 64');
}

if (args.values.template) {
  try {
    writeFileSync(args.values.template, await importTemplate(program));
  } catch (error) {
    usage(
      `cannot write ${args.values.template}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  console.error(`wrote the import template of ${program.id} to ${args.values.template}`);
  if (!file) process.exit(0);
}

let bytes: Buffer;
try {
  bytes = readFileSync(file as string);
} catch (error) {
  usage(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}

const STATUS: Record<RowStatus, string> = {
  imported: '已导入 imported',
  warned: '已导入，有提示 warned',
  present: '已在库中 present',
  refused: '未导入 refused',
  failed: '写入失败 failed',
};

/** Display width in a terminal: CJK and full-width characters take two cells. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) {
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
      ch,
    )
      ? 2
      : 1;
  }
  return w;
}
const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));

function table(report: PoolImportReport): string {
  const head = ['行 row', '结果 status', '姓名', '备案编号 filing', '说明 details'];
  const lines: string[][] = [];
  for (const r of report.rows) {
    const details = [
      ...r.errors.map((e) => `${e.column ? `[${e.column}] ` : ''}${e.message.zh}`),
      ...r.warnings.map((w) => `提示：${w.column ? `[${w.column}] ` : ''}${w.message.zh}`),
      ...(r.note ? [r.note.zh] : []),
    ];
    const first = [String(r.row), STATUS[r.status], r.name ?? '', r.filingId ?? ''];
    lines.push([...first, details[0] ?? '']);
    for (const more of details.slice(1)) lines.push(['', '', '', '', more]);
  }
  const widths = head.slice(0, 4).map((h, i) => Math.max(width(h), ...lines.map((l) => width(l[i] ?? ''))));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i < 4 ? pad(c, widths[i] ?? 0) : c))
      .join('  ')
      .trimEnd();
  return [
    render(head),
    render(head.map((h, i) => '-'.repeat(i < 4 ? (widths[i] ?? 0) : width(h)))),
    ...lines.map(render),
  ].join('\n');
}

const ddb = await localDynamoDb(dataDir);
let report: PoolImportReport;
const bar = new SingleBar(
  {
    stream: process.stderr,
    format: 'import |{bar}| {value}/{total} rows | {percentage}% | ETA {eta_formatted}',
    hideCursor: true,
  },
  Presets.shades_classic,
);
try {
  const client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  const keys = loadOrCreateLocalKeys(join(localDir, 'keys.json'));
  const hasher = localHasher(keys.hmacKey);
  const repo = createFilingRepository({
    doc: createDocumentClient(client),
    tableName,
    cipher: encryptionSdkCipher(rawAesKeyring(keys.fieldKey)),
    hasher,
  });
  let started = false;
  report = await importPool(
    { repo, hasher },
    {
      programId: program.id,
      fileName: file as string,
      workbook: bytes,
      ...(concurrency ? { concurrency } : {}),
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
    },
  );
  bar.stop();
} catch (error) {
  bar.stop();
  await ddb.stop();
  if (error instanceof ValidationError) {
    // The file itself was refused (not a workbook, required columns missing): nothing was written.
    if (args.values.json) console.log(JSON.stringify({ errors: error.issues }, null, 2));
    for (const issue of error.issues) console.error(`${issue.message.zh} / ${issue.message.en}`);
    process.exit(1);
  }
  throw error;
}
await ddb.stop();

if (args.values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const r = report;
  console.log(
    `${r.programId} ${r.fileName}（工作表 ${r.sheet}）：共 ${r.total} 行；导入 ${r.imported}，导入有提示 ${r.warned}，已在库中 ${r.present}，未导入 ${r.refused}，写入失败 ${r.failed}`,
  );
  console.log(
    `${r.total} rows: ${r.imported} imported, ${r.warned} imported with warnings, ${r.present} already present, ${r.refused} refused, ${r.failed} failed${r.failed > 0 ? ' (run the import again to finish them)' : ''}`,
  );
  if (r.rows.length > 0) console.log(`\n${table(r)}`);
}
process.exit(report.refused + report.failed === 0 ? 0 : 1);
