// import.rosterRowsPerSecond: a training pass list of 10,000 rows imported into one batch on
// DynamoDB Local through the real data layer: reading the workbook, checking every row (name,
// ID number with its check digit, certificate number), the keyed hash of each ID number, one
// BatchGet per 100 rows for what is already recorded, and one BatchWrite per 25 passes, 8 at a
// time. Afterwards the table is scanned: every pass item holds the keyed hash and the certificate
// number (and the batch's facts), never a name or an ID number. A second run must write nothing.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { localHasher } from '#shared/data/keyed-hash.ts';
import { createTrainingStore } from '#shared/data/training-store.ts';
import { getProgram } from '#shared/domain/programs/index.ts';
import { type PassListRow, passListTemplate } from '#shared/use-cases/imports/pass-list-sheet.ts';
import { importPassList } from '#shared/use-cases/training/pass-list-import.ts';
import { idNumberFor } from '../test/support/fixtures.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const ROWS = Number(process.env.ROSTER_BENCH_ROWS ?? 10_000);
const GOAL = 200;
const PASS_FIELDS = [
  'pk',
  'sk',
  'type',
  'person',
  'certificateNumber',
  'batchId',
  'course',
  'organizer',
  'passedOn',
];

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const program = getProgram('liaoning-cso');
  const ddb = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tableName = 'bench-roster';
    await ensureTable(client, tableName);
    const doc = createDocumentClient(client);
    const store = createTrainingStore(doc, tableName);
    const hasher = localHasher(randomBytes(32));
    await store.putBatch({
      programId: program.id,
      batchId: '20221115-BENCH0',
      organizer: '210100',
      course: '沈阳市首席标准官培训班',
      startDate: '2022-11-15',
      endDate: '2022-11-17',
      createdAt: new Date().toISOString(),
      createdBy: 'bench',
      passes: 0,
    });
    const rows: PassListRow[] = Array.from({ length: ROWS }, (_, i) => ({
      name: `学员${String(i).padStart(5, '0')}`.slice(0, 8),
      idNumber: idNumberFor(500_000 + i).idNumber,
      certificateNumber: `SY-2022-${String(i).padStart(6, '0')}`,
    }));
    const workbook = await passListTemplate(program, rows);

    const started = performance.now();
    const report = await importPassList(
      { store, hasher },
      { programId: program.id, batchId: '20221115-BENCH0', fileName: 'bench.xlsx', workbook },
    );
    const seconds = (performance.now() - started) / 1000;
    if (report.imported !== ROWS) {
      throw new Error(`expected ${ROWS} imported, got ${JSON.stringify({ ...report, rows: undefined })}`);
    }

    // What was written: pass items with the keyed hash and the certificate only.
    const ids = new Set(rows.map((r) => r.idNumber));
    const names = new Set(rows.map((r) => r.name));
    let passes = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of out.Items ?? []) {
        if (item.type !== 'TrainingPass') continue;
        passes++;
        const extra = Object.keys(item).filter((k) => !PASS_FIELDS.includes(k));
        const leaked = Object.values(item).some((v) => ids.has(String(v)) || names.has(String(v)));
        if (extra.length > 0 || leaked || !String(item.pk).endsWith(item.person as string)) {
          throw new Error(`a pass item holds more than its hash and certificate: ${extra.join(', ')}`);
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
    if (passes !== ROWS) throw new Error(`expected ${ROWS} pass items, found ${passes}`);

    const againStarted = performance.now();
    const again = await importPassList(
      { store, hasher },
      { programId: program.id, batchId: '20221115-BENCH0', fileName: 'bench.xlsx', workbook },
    );
    const againSeconds = (performance.now() - againStarted) / 1000;
    if (again.present !== ROWS || again.imported !== 0) throw new Error('the second run wrote passes');
    const batch = await store.getBatch(program.id, '20221115-BENCH0');
    if (batch?.passes !== ROWS) throw new Error(`the batch counts ${batch?.passes} passes`);

    const rowsPerSecond = Math.round((ROWS / seconds) * 10) / 10;
    return {
      'import.rosterRowsPerSecond': {
        value: rowsPerSecond,
        unit: 'rows/s',
        goal: GOAL,
        better: 'higher',
        note:
          `${ROWS} rows of a training pass list from XLSX into one batch, DynamoDB Local in memory on this machine: ` +
          `${seconds.toFixed(1)} s (read, check, keyed hash, BatchGet per 100, BatchWrite per 25, 8 at a time). ` +
          `A scan afterwards found ${passes} pass items holding only the keyed hash, the certificate number and ` +
          `the batch's facts (no name, no ID number). Re-running the file wrote nothing and reported ${ROWS} ` +
          `present in ${againSeconds.toFixed(1)} s. One run.`,
      },
    };
  } finally {
    await ddb.stop();
  }
}

if (import.meta.main) recordMetrics(await run());
