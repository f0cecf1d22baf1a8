// `npm run training -- --program <id> …`: training batches and pass lists in the local runtime's
// table (the use cases the staff routes run, as province staff).
//   --list                                         the programme's batches
//   --new-batch --organizer province|<unit> --course <text> --start <date> --end <date>
//                                                  record a batch; prints its id
//   --batch <id> <file.xlsx> [--json]              import the batch's pass list (row-level report)
//   --template <out.xlsx>                          write the empty pass-list template
// Exit code: 0 when nothing was refused or failed, 1 otherwise (or when the file itself is
// refused), 2 for usage errors. Which DynamoDB and which keys: as `npm run import`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Presets, SingleBar } from 'cli-progress';
import { TABLE_NAME_ENV } from '#shared/config/env.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { loadOrCreateLocalKeys, localHasher } from '#shared/data/keyed-hash.ts';
import { createStaffQueries } from '#shared/data/staff-queries.ts';
import { createTrainingStore } from '#shared/data/training-store.ts';
import { DomainError, ValidationError } from '#shared/domain/errors.ts';
import { PROGRAMS } from '#shared/domain/programs/index.ts';
import type { StaffPrincipal } from '#shared/domain/staff.ts';
import { TrainingBatchRequestSchema } from '#shared/domain/training.ts';
import { passListTemplate } from '#shared/use-cases/imports/pass-list-sheet.ts';
import { importPassList, type PassListReport } from '#shared/use-cases/training/pass-list-import.ts';
import { listBatches, recordBatch } from '#shared/use-cases/training/staff-training.ts';
import { localDynamoDb } from './local-dynamodb.ts';

const USAGE = `usage: npm run training -- --program <id> --list
       npm run training -- --program <id> --new-batch --organizer province|<unit code> --course <text> --start <YYYY-MM-DD> --end <YYYY-MM-DD>
       npm run training -- --program <id> --batch <batch id> <file.xlsx> [--json]
       npm run training -- --program <id> --template <out.xlsx>
programmes: ${PROGRAMS.map((p) => p.id).join(', ')}`;

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const localDir = resolve(process.env.LOCAL_DIR ?? join(root, '.local'));
const tableName = process.env[TABLE_NAME_ENV] ?? 'standards-officer-local';

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      program: { type: 'string' },
      list: { type: 'boolean', default: false },
      'new-batch': { type: 'boolean', default: false },
      organizer: { type: 'string' },
      course: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      batch: { type: 'string' },
      template: { type: 'string' },
      json: { type: 'boolean', default: false },
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
const v = args.values;
if (v.help) {
  console.log(USAGE);
  process.exit(0);
}
const program = PROGRAMS.find((p) => p.id === v.program);
if (!program) usage(v.program ? `unknown programme: ${v.program}` : 'missing --program');

if (v.template) {
  writeFileSync(v.template, await passListTemplate(program));
  console.error(`wrote the pass-list template of ${program.id} to ${v.template}`);
  process.exit(0);
}
const modes = [v.list, v['new-batch'], v.batch !== undefined].filter(Boolean).length;
if (modes !== 1) usage('choose one of --list, --new-batch, --batch <id> <file>');
const [file, ...extra] = args.positionals;
if (v.batch !== undefined && (!file || extra.length > 0)) usage('--batch takes exactly one file');
let bytes: Buffer | undefined;
if (v.batch !== undefined) {
  try {
    bytes = readFileSync(file as string);
  } catch (error) {
    usage(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

// The command acts as province staff of the programme (it runs on the operator's machine).
const operator: StaffPrincipal = {
  subject: 'cli:training',
  scopes: [{ role: 'province', programId: program.id }],
};

const ddb = await localDynamoDb(join(localDir, 'dynamodb'));
const client = new DynamoDBClient({
  endpoint: ddb.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
await ensureTable(client, tableName);
const doc = createDocumentClient(client);
const deps = {
  store: createTrainingStore(doc, tableName),
  hasher: localHasher(loadOrCreateLocalKeys(join(localDir, 'keys.json')).hmacKey),
  queries: createStaffQueries(doc, tableName),
  now: () => new Date(),
};

const STATUS: Record<PassListReport['rows'][number]['status'], string> = {
  imported: '已登记 imported',
  present: '已在名单中 present',
  refused: '未导入 refused',
  failed: '写入失败 failed',
};

let exitCode = 0;
try {
  if (v.list) {
    const { batches } = await listBatches(deps, operator, program.id);
    if (v.json) console.log(JSON.stringify(batches, null, 2));
    for (const b of batches) {
      console.log(
        `${b.batchId}  ${b.organizer}  ${b.startDate}–${b.endDate}  ${b.course}  合格 ${b.passes} 人`,
      );
    }
  } else if (v['new-batch']) {
    const parsed = TrainingBatchRequestSchema.safeParse({
      organizer: v.organizer,
      course: v.course,
      startDate: v.start,
      endDate: v.end,
    });
    if (!parsed.success)
      usage(`invalid batch: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`);
    const batch = await recordBatch(deps, operator, { programId: program.id, batch: parsed.data });
    console.log(v.json ? JSON.stringify(batch, null, 2) : batch.batchId);
  } else {
    const bar = new SingleBar(
      { stream: process.stderr, format: 'passes |{bar}| {value}/{total} rows', hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    const report = await importPassList(deps, {
      programId: program.id,
      batchId: v.batch as string,
      fileName: file as string,
      workbook: bytes as Buffer,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
    }).finally(() => bar.stop());
    if (v.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `${report.batchId}：共 ${report.total} 行；登记 ${report.imported}，已在名单中 ${report.present}，未导入 ${report.refused}，写入失败 ${report.failed}`,
      );
      for (const r of report.rows) {
        const details = [...r.errors.map((e) => e.message.zh), ...(r.note ? [r.note.zh] : [])].join('；');
        if (r.status !== 'imported')
          console.log(`  行 ${r.row}  ${STATUS[r.status]}  ${r.name ?? ''}  ${details}`);
      }
    }
    exitCode = report.refused + report.failed === 0 ? 0 : 1;
  }
} catch (error) {
  if (error instanceof ValidationError) {
    if (v.json) console.log(JSON.stringify({ errors: error.issues }, null, 2));
    for (const issue of error.issues) console.error(`${issue.message.zh} / ${issue.message.en}`);
    exitCode = 1;
  } else if (error instanceof DomainError) {
    console.error(error.message);
    exitCode = 1;
  } else {
    await ddb.stop();
    throw error;
  }
}
await ddb.stop();
process.exit(exitCode);
