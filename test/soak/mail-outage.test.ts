// The mail relay refuses under load. The local runtime sends its mail through an SMTP relay of
// this test's own (smtp-server on the loopback), which answers every message with 421 for the
// first two minutes while clients file steadily (each filing queues the applicant's receipt and
// a review request per city reviewer), then accepts. Afterwards every queued message has arrived
// exactly once: none lost (each Mail item of the table reached the relay under its Message-ID),
// none twice, and filing never waited on the relay (no 5xx, every submission acknowledged).
// The figures are recorded (bench/results.json with BENCH_RECORD=1).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Metric, recordMetrics } from '../../bench/lib/results.ts';
import { apiDriver } from '../e2e/driver.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { closedLoop, prepareSubmissions, type Sent, type Submission, sleep, submit } from './load.ts';

const OUTAGE_S = Number(process.env.SOAK_MAIL_OUTAGE_SECONDS ?? 120);
const CLIENTS = 3;
/**
 * Submissions prepared (uploads made) beforehand: the outage's load files at most these, each
 * queuing two mails or more, which the mailer then sends one after the other.
 */
const PREPARED = 400;
/** How long the queued mail may take to drain once the relay accepts again. */
const DRAIN_MS = 240_000;

interface Relay {
  port: number;
  /** Message-ID (without brackets) → how many times the relay accepted it. */
  accepted: Map<string, number>;
  refused: number;
  refusing: boolean;
  close(): Promise<void>;
}

/** An SMTP relay on the loopback that refuses (421) while `refusing`, and counts what it accepts. */
async function startRelay(): Promise<Relay> {
  const relay: Omit<Relay, 'port' | 'close'> = { accepted: new Map(), refused: 0, refusing: true };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!relay.refusing) return callback();
      relay.refused++;
      return callback(
        Object.assign(new Error('4.3.2 service not available, try again later'), { responseCode: 421 }),
      );
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const head =
          Buffer.concat(chunks)
            .toString('utf8')
            .split(/\r?\n\r?\n/)[0] ?? '';
        const id = /^message-id:\s*<([^@>]+)@/im.exec(head)?.[1] ?? 'no-message-id';
        relay.accepted.set(id, (relay.accepted.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(relay, {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let relay: Relay;
let runtime: Runtime;
let submissions: Submission[];
const metrics: Record<string, Omit<Metric, 'measuredAt'>> = {};

beforeAll(async () => {
  relay = await startRelay();
  runtime = await startRuntime({
    MAIL_TRANSPORT: 'smtp',
    // Pooled connections, as a relay that is sent to steadily should be used.
    SMTP_URL: `smtp://127.0.0.1:${relay.port}?pool=true`,
  });
  submissions = await prepareSubmissions(
    runtime,
    Array.from({ length: PREPARED }, (_, i) => 600_000 + i),
    'mail-outage',
  );
});

afterAll(async () => {
  await runtime?.stop();
  await relay?.close();
  if (Object.keys(metrics).length > 0) recordMetrics(metrics);
});

describe('the mail relay refusing under load', () => {
  it(
    'delivers every queued mail exactly once after the relay accepts again, and filing never waits on it',
    async () => {
      const sent: Sent[] = [];
      let next = 0;
      const outageEnds = Date.now() + OUTAGE_S * 1000;
      await closedLoop(
        CLIENTS,
        () => Date.now() < outageEnds && next < submissions.length,
        async () => {
          const s = submissions[next++];
          if (s) sent.push(await submit(runtime.baseUrl, s, 60_000));
        },
      );
      // The relay refuses for the whole outage, however soon the filings ran out.
      await sleep(outageEnds - Date.now());
      const refusedDuringOutage = relay.refused;
      relay.refusing = false;
      const acceptedAt = Date.now();

      // The workflows settle (every review request is queued), then the queue empties: each
      // reading of the outbox page first has the mailer send what is queued.
      const api = apiDriver(runtime);
      await api.settled(DRAIN_MS, { mail: false });
      const deadline = acceptedAt + DRAIN_MS;
      let mails = (await api.tableItems()).filter((i) => i.type === 'Mail');
      while (mails.some((m) => !m.sentAt) && Date.now() < deadline) {
        await api.outbox();
        mails = (await api.tableItems()).filter((i) => i.type === 'Mail');
      }
      const drainS = (Date.now() - acceptedAt) / 1000;
      const ids = mails.map((m) => String(m.id));
      const lost = ids.filter((id) => !relay.accepted.has(id));
      const duplicates = [...relay.accepted.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
      const strangers = [...relay.accepted.keys()].filter((id) => !ids.includes(id));
      const kinds = Object.entries(
        mails.reduce<Record<string, number>>((acc, m) => {
          const kind = String(m.kind);
          acc[kind] = (acc[kind] ?? 0) + 1;
          return acc;
        }, {}),
      )
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      const note = `relay refusing (421) for ${OUTAGE_S} s while ${CLIENTS} clients filed ${sent.length} filings; ${mails.length} mails queued (${kinds}); the relay refused ${refusedDuringOutage} attempts meanwhile; every mail delivered ${drainS.toFixed(1)} s after it accepted again`;
      console.log(`mail outage: ${lost.length} lost, ${duplicates} duplicates; ${note}`);
      Object.assign(metrics, {
        'fault.mailOutage.lost': { value: lost.length, unit: 'mails', goal: 0, better: 'lower', note },
        'fault.mailOutage.duplicates': { value: duplicates, unit: 'mails', goal: 0, better: 'lower', note },
      });

      // Filing went on as if the relay were there.
      expect(sent.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.error ?? ''}`)).toEqual([]);
      expect(refusedDuringOutage, 'the relay refused during the outage').toBeGreaterThan(0);
      // Every filing's receipt and review request were queued, and each reached the relay once.
      expect(mails.length).toBeGreaterThanOrEqual(sent.length * 2);
      expect(lost).toEqual([]);
      expect(duplicates).toBe(0);
      expect(strangers).toEqual([]);
      expect(mails.filter((m) => !m.sentAt || 'body' in m)).toEqual([]);
    },
    (OUTAGE_S + 60) * 1000 + DRAIN_MS,
  );
});
