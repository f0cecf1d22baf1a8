// wcu.happyPath: write capacity units of one filing's happy path (submit → start of city
// review → city approve → province include) through the real data layer, metered by AWS
// rules (see lib/wcu-meter.ts). Goal ≤ 24 WCU including audit events and counters.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { createDocumentClient } from '#shared/data/client.ts';
import { ensureTable } from '#shared/data/ensure-table.ts';
import { encryptionSdkCipher, localHasher, rawAesKeyring } from '#shared/data/field-crypto.ts';
import { createFilingRepository } from '#shared/data/filing-repository.ts';
import { TABLE } from '#shared/data/table.ts';
import { parseFiling } from '#shared/domain/filing.ts';
import { validFiling } from '../test/support/fixtures.ts';
import { type Metric, recordMetrics } from './lib/results.ts';
import { createWcuMeter, itemSize } from './lib/wcu-meter.ts';

/** The design's share of the 24 WCU budget per step. */
const STEP_BUDGET = { submit: 12, start_city_review: 4, approve: 4, include: 4 } as const;

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const ddb = await startDynamoDbLocal();
  try {
    const client = new DynamoDBClient({
      endpoint: ddb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tableName = 'bench-wcu';
    await ensureTable(client, tableName);
    const meter = createWcuMeter({
      endpoint: ddb.endpoint,
      keyAttributes: [TABLE.partitionKey, TABLE.sortKey],
      indexes: Object.values(TABLE.indexes),
    });
    meter.attach(client);
    const repo = createFilingRepository({
      doc: createDocumentClient(client),
      tableName,
      cipher: encryptionSdkCipher(rawAesKeyring(randomBytes(32))),
      hasher: localHasher(randomBytes(32)),
    });

    // A realistic filing: a few hundred characters of achievements in Chinese.
    const achievements =
      '主持制定企业标准体系，组织编制企业标准体系表；牵头起草团体标准2项、参与行业标准起草1项；' +
      '组织开展标准化良好行为创建并通过评价，推动企业标准自我声明公开。';
    const steps = ['submit', 'start_city_review', 'approve', 'include'] as const;
    const runs = 20;
    for (let n = 1; n <= runs; n++) {
      const input = validFiling({ n });
      input.person.achievements = achievements;
      const filing = parseFiling(input);
      const filingId = `BENCH${n}`;
      const at = '2025-06-01T02:00:00.000Z';
      meter.label('submit');
      await repo.create({
        filingId,
        programId: 'liaoning-cso',
        filing,
        warnings: [],
        actor: { role: 'applicant' },
        at,
      });
      meter.label('start_city_review');
      await repo.transition({
        filingId,
        expected: { state: 'submitted', version: 1 },
        action: 'start_city_review',
        actor: { role: 'system' },
        at,
      });
      meter.label('approve');
      await repo.transition({
        filingId,
        expected: { state: 'city_review', version: 2 },
        action: 'approve',
        actor: { role: 'city', id: 'reviewer-210100', unit: '210100' },
        at,
      });
      meter.label('include');
      await repo.transition({
        filingId,
        expected: { state: 'province_review', version: 3 },
        action: 'include',
        actor: { role: 'province', id: 'province-staff' },
        at,
      });
    }
    const perStep = Object.fromEntries(steps.map((s) => [s, meter.total(s) / runs]));
    const happyPath = steps.reduce((n, s) => n + (perStep[s] ?? 0), 0);

    // Cross-check single-item writes against what DynamoDB Local reports.
    const checks: string[] = [];
    for (const size of [200, 900, 1500, 3000, 5000]) {
      const item = { pk: { S: `CHECK#${size}` }, sk: { S: 'X' }, pad: { S: 'x'.repeat(size) } };
      const out = await client.send(
        new PutItemCommand({ TableName: tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }),
      );
      const ours = Math.ceil(itemSize(item) / 1024);
      const theirs = out.ConsumedCapacity?.CapacityUnits ?? Number.NaN;
      if (ours !== theirs)
        throw new Error(`meter disagrees with DynamoDB Local for ${size} B: ${ours} vs ${theirs}`);
      checks.push(`${itemSize(item)}B=${ours}`);
    }

    const stepNote = steps.map((s) => `${s} ${perStep[s]}`).join(', ');
    return {
      'wcu.happyPath': {
        value: happyPath,
        unit: 'WCU',
        goal: 24,
        better: 'lower',
        note: `per step: ${stepNote}; mean of ${runs} filings; transactions doubled, GSI writes included; single-item meter agrees with DynamoDB Local ReturnConsumedCapacity (${checks.join(', ')})`,
      },
      ...Object.fromEntries(
        steps.map((s) => [
          `wcu.step.${s}`,
          {
            value: perStep[s] ?? 0,
            unit: 'WCU',
            goal: STEP_BUDGET[s],
            better: 'lower' as const,
            note: 'one lifecycle step, by AWS rules; goal = its share of the 24 WCU budget',
          },
        ]),
      ),
    };
  } finally {
    await ddb.stop();
  }
}

if (import.meta.main) {
  const metrics = await run();
  recordMetrics(metrics);
  console.log(JSON.stringify(metrics, null, 2));
}
