// The whole lifecycle through the real workflow on the local runtime, driven by the emailed
// links: submit → city approves → the city's batch goes to the province → included.
//   workflow.transitionsPerFiling  states entered per execution (Step Functions bills each)
//   wcu.lifecycle                  write capacity units per filing, review links and batches
//                                  included, metered by AWS rules by a proxy in front of
//                                  DynamoDB Local (the local engine's own bookkeeping excluded)
//   cost.usdPer1000Filings         from those counts at public us-east-1 prices (see note)

import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { LOCAL_SFN_TABLE_SUFFIX } from '#infra/local/sfn/store.ts';
import { TABLE } from '#shared/data/table.ts';
import { apiDriver } from '../test/e2e/driver.ts';
import { validFiling } from '../test/support/fixtures.ts';
import { startRuntime } from '../test/support/runtime.ts';
import { startMeterProxy } from './lib/ddb-meter-proxy.ts';
import type { Metric } from './lib/results.ts';
import { recordMetrics } from './lib/results.ts';
import { createWcuMeter } from './lib/wcu-meter.ts';

const FILINGS = 10;

// Public prices, us-east-1, 2025 (China regions are priced in CNY and differ).
const PRICE = {
  transition: 0.025 / 1000, // Step Functions Standard, per state transition
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334, // arm64
  apiRequest: 1.0 / 1_000_000, // HTTP API
  writeUnit: 0.625 / 1_000_000, // DynamoDB on-demand WRU
  readUnit: 0.125 / 1_000_000,
  email: 0.1 / 1000, // SES
};

async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the workflow did not get there in time');
}

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const ddb = await startDynamoDbLocal();
  const meter = createWcuMeter({
    endpoint: ddb.endpoint,
    keyAttributes: [TABLE.partitionKey, TABLE.sortKey],
    indexes: Object.values(TABLE.indexes),
    ignore: (_key, table) => table.endsWith(LOCAL_SFN_TABLE_SUFFIX),
  });
  const proxy = await startMeterProxy(ddb.endpoint, meter);
  const runtime = await startRuntime({ DYNAMODB_ENDPOINT: proxy.url });
  let apiRequests = 0;
  try {
    const api = apiDriver(runtime);
    await api.settled();
    meter.reset();
    const filings: { filingId: string; receiptToken: string }[] = [];
    for (let i = 0; i < FILINGS; i++) {
      const res = await api.submit('liaoning-cso', validFiling({ n: 500_000 + i }));
      apiRequests++;
      filings.push(res.body as unknown as { filingId: string; receiptToken: string });
    }
    // Each city decision from its own emailed link (the confirmation page, then the POST).
    for (const f of filings) {
      let link: string | undefined;
      await until(async () => {
        for (const mail of (await api.outbox()).filter((m) => m.kind === 'review_request')) {
          for (const l of mail.links) {
            if ((await api.reviewPage(l)).text.includes(f.filingId)) link = l;
          }
        }
        return link !== undefined;
      });
      apiRequests += 2;
      await api.decide(link ?? '', { decision: 'approve' });
    }
    for (const f of filings) {
      await until(
        async () => (await api.status(f.filingId, f.receiptToken)).body.status === 'province_review',
      );
    }
    await api.settled();
    await api.sendBatches();
    const batch = await api.waitForMail('province_batch');
    const form = Object.fromEntries(filings.map((f) => [`decision_${f.filingId}`, 'include']));
    apiRequests += 2;
    await api.reviewPage(batch.links[0] ?? '');
    await api.decide(batch.links[0] ?? '', form);
    for (const f of filings) {
      await until(async () => (await api.status(f.filingId, f.receiptToken)).body.status === 'in_pool');
    }
    await api.settled();
    const executions = (await api.executions()).filter((e) => filings.some((f) => f.filingId === e.name));
    const transitions =
      executions.reduce((n, e) => n + e.events.filter((ev) => ev.type === 'StateEntered').length, 0) /
      executions.length;
    const wcu = meter.total() / FILINGS;
    const perType = Object.entries(meter.byType())
      .sort(([, a], [, b]) => b - a)
      .map(([type, n]) => `${type} ${Number((n / FILINGS).toFixed(1))}`)
      .join(', ');
    const emails = (await api.outbox()).length / FILINGS;
    // Workflow Lambda invocations per filing: StartReview, CityReview, ApplyCityDecision,
    // AwaitProvince, ApplyProvinceDecision; the batch schedule is shared by the batch.
    const invocations = 5 + apiRequests / FILINGS + 1 / FILINGS;
    const gbSeconds = invocations * 0.5 * 0.3; // 512 MB, ~300 ms billed on average (assumed)
    const reads = 12; // read units per filing, estimated from the requests above (items < 4 KB)
    const usdPerFiling =
      transitions * PRICE.transition +
      invocations * PRICE.lambdaRequest +
      gbSeconds * PRICE.lambdaGbSecond +
      (apiRequests / FILINGS) * PRICE.apiRequest +
      wcu * PRICE.writeUnit +
      reads * PRICE.readUnit +
      emails * PRICE.email;
    return {
      'workflow.transitionsPerFiling': {
        value: transitions,
        unit: 'transitions',
        goal: 10,
        better: 'lower',
        note: `states entered per execution on the happy path, mean of ${FILINGS} filings through the real ASL`,
      },
      'wcu.lifecycle': {
        value: Number(wcu.toFixed(1)),
        unit: 'WCU',
        goal: 30,
        better: 'lower',
        note: `per filing: submit, workflow steps, review task and link items, one batch of ${FILINGS}, decisions, include; by AWS rules (transactions doubled, index writes), metered by a proxy in front of DynamoDB Local; local-engine bookkeeping excluded; by item type (partition/sort key prefix, index writes included): ${perType}`,
      },
      'cost.usdPer1000Filings': {
        value: Number((usdPerFiling * 1000).toFixed(3)),
        unit: 'USD',
        goal: 1,
        better: 'lower',
        note: `us-east-1 public prices (Step Functions $0.025/1k transitions, Lambda arm64 $0.20/M + GB-s at 512 MB × 300 ms assumed, HTTP API $1/M, DynamoDB on-demand $0.625/M WRU and $0.125/M RRU, SES $0.10/1k); per filing ${transitions} transitions, ${invocations.toFixed(1)} invocations, ${wcu.toFixed(1)} WCU, ${emails.toFixed(1)} emails; goal is a design budget`,
      },
    };
  } finally {
    await runtime.stop();
    proxy.server.close();
    await ddb.stop();
  }
}

if (import.meta.main) recordMetrics(await run());
