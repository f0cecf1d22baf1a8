// Two minutes of mixed load on the local runtime, at the rate it holds on this machine (a closed
// loop of 16 clients, each sending its next request when the last one is answered): applicants
// filing as the site does (a presigned upload of each document, then the submission), applicants
// reading their status with the receipt, and city reviewers deciding from the links the
// workflow mails, and the province including the people of each city's summary batch (the
// weekly batch job run every few seconds), so that workflows end and the number waiting stays
// bounded, as in a programme that runs for years. The runtime's Node processes (the supervisor, with the local S3, and the HTTP
// side it forks, where the handlers and the workflow engine run) are sampled for resident memory
// every few seconds. No answer may be a 5xx or missing, every acknowledged filing must be whole
// afterwards and every decision applied, and memory must not grow like a leak. The throughput,
// the latency and the memory growth are recorded (bench/results.json with BENCH_RECORD=1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '#shared/adapters/mail/mailer.ts';
import { ATTACHMENT_KINDS } from '#shared/domain/attachments.ts';
import { type Metric, recordMetrics } from '../../bench/lib/results.ts';
import { apiDriver } from '../e2e/driver.ts';
import { samplePdf } from '../support/attachments.ts';
import { validFiling } from '../support/fixtures.ts';
import { type Runtime, startRuntime } from '../support/runtime.ts';
import { byFiling, counterMismatches, lastState, shapeOf, snapshot } from './filings.ts';
import { heapProbe, INSPECT_ENV, inspectorUrls } from './heap.ts';
import {
  closedLoop,
  decide,
  filingIdForKey,
  median,
  ms,
  PROGRAM,
  percentile,
  readStatus,
  type Sent,
  send,
  sleep,
} from './load.ts';
import { dynamoDbLocalPid, nodeProcesses, rssKiB } from './processes.ts';

const CLIENTS = 16;
/**
 * Long enough for the processes to size their heaps and pools for the load: with 15 s the first
 * minute of the window added 60 MB resident for 8 MB of live heap, the second minute 8.5 MB.
 */
const WARMUP_S = Number(process.env.SOAK_LOAD_WARMUP_SECONDS ?? 60);
const MEASURE_S = Number(process.env.SOAK_LOAD_SECONDS ?? 120);
const SAMPLE_EVERY_MS = 5_000;
/** Growth of resident memory (after a full collection) over the measured window that fails the test. */
const RSS_GROWTH_LIMIT_MB = 150;
/** The same for the heap still reachable after a full collection (each waiting workflow keeps a little). */
const HEAP_GROWTH_LIMIT_MB = 50;
const RESULTS = new URL('../../bench/results.json', import.meta.url);

type Kind = 'presign' | 'submit' | 'status' | 'decide' | 'batch' | 'include';
/** How often the province's side runs the batch job and decides the batches it mailed. */
const PROVINCE_EVERY_MS = 5_000;
const UNITS = ['210100', '210200', '210300', '210400', '210500', '210600', '210700'];

interface Request {
  kind: Kind;
  r: Sent;
}

let runtime: Runtime;
const metrics: Record<string, Omit<Metric, 'measuredAt'>> = {};

beforeAll(async () => {
  runtime = await startRuntime(INSPECT_ENV);
  phase('runtime started');
});

afterAll(async () => {
  await runtime?.stop();
  if (Object.keys(metrics).length > 0) recordMetrics(metrics);
});

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The submit throughput the API benchmark last measured (bench/results.json), for the goal. */
function benchSubmitRps(): number {
  try {
    const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, { value: number }>;
    return results['api.submit.rps']?.value ?? 29;
  } catch {
    return 29;
  }
}

/**
 * Where the time went, on the test's output: when the test runs out of time, the last line says
 * which part was still under way.
 */
const began = Date.now();
function phase(label: string): void {
  console.log(`sustained load: ${label} after ${((Date.now() - began) / 1000).toFixed(1)} s`);
}

/**
 * The load's window, then what may still be under way when it ends: a batch job the province
 * side started (its own timeout), the engine settling and the table read.
 */
const SETTLE_MS = 240_000;
const TEST_TIMEOUT_MS = (WARMUP_S + MEASURE_S) * 1000 + 180_000 + SETTLE_MS + 120_000;

describe('sustained mixed load', () => {
  it(
    'answers everything without a 5xx, keeps every acknowledged filing and decision, and does not leak memory',
    async () => {
      const base = runtime.baseUrl;
      const pdf = samplePdf('load');
      const requests: Request[] = [];
      const uploadsFailed: string[] = [];
      /** Filings whose id is not the one their Idempotency-Key makes. */
      const misfiled: string[] = [];
      const acked: { filingId: string; receiptToken: string }[] = [];
      const links: string[] = [];
      const batchLinks: string[] = [];
      const decided = new Set<string>();
      const included = new Set<string>();
      const seenMail = new Set<string>();
      let n = 400_000;
      let turn = 0;

      const timed = async (kind: Kind, request: Promise<Sent>) => {
        const r = await request;
        requests.push({ kind, r });
        return r;
      };

      /** The site's flow: presign and upload each required document, then submit. */
      const file = async () => {
        const person = n++;
        const attachments = [];
        for (const kind of ATTACHMENT_KINDS) {
          const presigned = await timed(
            'presign',
            send(base, 'POST', `/programs/${PROGRAM}/uploads`, {
              body: JSON.stringify({ kind, contentType: 'application/pdf', size: pdf.length }),
              headers: { 'content-type': 'application/json' },
            }),
          );
          if (presigned.status !== 200) return;
          const { url, fields, key } = JSON.parse(presigned.text) as {
            url: string;
            fields: Record<string, string>;
            key: string;
          };
          const form = new FormData();
          for (const [name, value] of Object.entries(fields)) form.append(name, value);
          form.append('file', new Blob([pdf], { type: 'application/pdf' }), `${kind}.pdf`);
          const stored = await fetch(url, {
            method: 'POST',
            body: form,
            headers: { origin: base },
            signal: AbortSignal.timeout(30_000),
          }).then(
            async (res) => {
              await res.arrayBuffer();
              return { ok: res.ok, status: String(res.status) };
            },
            (error: Error) => ({ ok: false, status: error.name }),
          );
          if (!stored.ok) {
            uploadsFailed.push(String(stored.status));
            return;
          }
          attachments.push({ kind, key, contentType: 'application/pdf', filename: `${kind}.pdf` });
        }
        const key = `soak-load-${person}`;
        const r = await timed(
          'submit',
          send(base, 'POST', `/programs/${PROGRAM}/filings`, {
            // Spread over the province's cities, as filings are: each city's batch stays small.
            body: JSON.stringify({
              ...validFiling({ n: person, unit: UNITS[person % UNITS.length] }),
              attachments,
            }),
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
          }),
        );
        if (r.status === 201) {
          const body = JSON.parse(r.text) as { filingId: string; receiptToken: string };
          if (body.filingId !== (await filingIdForKey(runtime, key))) misfiled.push(body.filingId);
          acked.push(body);
        }
      };

      // One request at a time per client, in turns: file, read a status, decide a review, read a status.
      const step = async () => {
        const t = turn++ % 4;
        if (t === 2 && links.length > 0) {
          const link = links.shift() ?? '';
          const r = await timed('decide', decide(base, link, { decision: 'approve' }));
          if (r.status === 200) decided.add(link);
        } else if ((t === 1 || t === 3) && acked.length > 0) {
          const pick = acked[(turn * 7919) % acked.length];
          if (pick) await timed('status', readStatus(base, pick.filingId, pick.receiptToken));
        } else await file();
      };

      // The mailed review links, read from the outbox the way a reviewer's mailbox would get them.
      const outboxDir = join(runtime.localDir, 'outbox');
      let running = true;
      const harvest = (async () => {
        while (running) {
          for (const mail of (await readOutbox(outboxDir)).reverse()) {
            if (mail.kind === 'review_request' && !seenMail.has(mail.id)) {
              seenMail.add(mail.id);
              // One reviewer of the unit acts on each request (a second one would get "already handled").
              if (mail.links[0]) links.push(mail.links[0]);
            }
            if (mail.kind === 'province_batch' && !seenMail.has(mail.id)) {
              seenMail.add(mail.id);
              if (mail.links[0]) batchLinks.push(mail.links[0]);
            }
          }
          await sleep(1000);
        }
      })();

      // The province: the batch job now and then, and every person of each batch mailed included.
      const province = (async () => {
        while (running) {
          await sleep(PROVINCE_EVERY_MS);
          if (!running) break;
          // The job reads every filing of a unit (weekly in production), so it may take a while here.
          const batch = await timed(
            'batch',
            send(base, 'POST', '/_local/run/send-batches', { timeoutMs: 180_000 }),
          );
          phase(`batch job answered ${batch.status} in ${(ms(batch) / 1000).toFixed(1)} s`);
          // Once the load ends, batches still mailed stay with the province (province_review).
          while (running && batchLinks.length > 0) {
            const link = batchLinks.shift() ?? '';
            const page = await send(base, 'GET', new URL(link).pathname);
            const ids = [
              ...new Set([...page.text.matchAll(/name="decision_(F[0-9A-Z]{13})"/g)].map((m) => m[1])),
            ];
            if (ids.length === 0) continue;
            const form = Object.fromEntries(ids.map((id) => [`decision_${id}`, 'include']));
            const r = await timed(
              'include',
              send(base, 'POST', new URL(link).pathname, {
                body: new URLSearchParams(form).toString(),
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                timeoutMs: 120_000,
              }),
            );
            if (r.status === 200) for (const id of ids) if (id) included.add(id);
            phase(`${ids.length} people of a batch decided (${r.status}) in ${(ms(r) / 1000).toFixed(1)} s`);
          }
        }
      })();

      // Memory of the runtime's Node processes (and, for the note, DynamoDB Local's Java).
      const java = dynamoDbLocalPid(new URL(runtime.dynamodbEndpoint).port) ?? -1;
      const tree = nodeProcesses(runtime.pid);
      expect(tree).toHaveLength(2);
      // Memory after a full collection, when the warm-up ends and when the load ends: resident
      // memory of the Node processes and the V8 heap still reachable. (Only then: a collection
      // forced every few seconds would also keep the sampled resident memory down.)
      const probes = await Promise.all(inspectorUrls(runtime.output()).map(heapProbe));
      expect(probes, 'an inspector for the supervisor and one for the HTTP side').toHaveLength(2);
      const nodeRssMB = () => tree.reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024;
      const afterCollection = async () => {
        const live = await Promise.all(probes.map((p) => p.liveAfterGc()));
        return { heapMB: live.reduce((a, b) => a + b, 0) / 2 ** 20, rssMB: nodeRssMB() };
      };
      const samples: { at: number; nodeMB: number; javaMB: number }[] = [];
      const start = Date.now();
      const measureFrom = start + WARMUP_S * 1000;
      const end = measureFrom + MEASURE_S * 1000;
      const sampler = (async () => {
        while (running) {
          samples.push({ at: Date.now(), nodeMB: nodeRssMB(), javaMB: rssKiB(java) / 1024 });
          await sleep(SAMPLE_EVERY_MS);
        }
      })();
      const atWarm = (async () => {
        await sleep(measureFrom - Date.now());
        return afterCollection();
      })();
      // And half-way: a leak grows as much in the second half as in the first; heaps and the
      // allocator sizing themselves for the load grow early and then stay.
      const atMid = (async () => {
        await sleep(measureFrom + (MEASURE_S * 1000) / 2 - Date.now());
        return afterCollection();
      })();

      await closedLoop(CLIENTS, () => Date.now() < end, step);
      phase('load ended');
      const atEnd = await afterCollection();
      running = false;
      await Promise.all([harvest, sampler, province]);
      phase('province side stopped');
      const warm = await atWarm;
      const mid = await atMid;
      for (const p of probes) p.close();

      // Figures over the measured window (after the warm-up).
      // API requests only: the batch job the province side fires is the schedule's, not a request.
      const measured = requests.filter(
        (q) => q.kind !== 'batch' && q.r.start >= measureFrom && q.r.end <= end,
      );
      const latencies = measured.map((q) => ms(q.r));
      const seconds = (end - measureFrom) / 1000;
      const rps = measured.length / seconds;
      const rpsAt = (from: number, to: number) =>
        measured.filter((q) => q.r.end >= from && q.r.end < to).length / ((to - from) / 1000);
      const window = samples.filter((x) => x.at >= measureFrom);
      const rawSlope = slope(window.map((x) => ({ x: (x.at - measureFrom) / 1000, y: x.nodeMB }))) * seconds;
      const rssGrowth = atEnd.rssMB - warm.rssMB;
      const heapGrowth = atEnd.heapMB - warm.heapMB;
      const count = (kind: Kind) => measured.filter((q) => q.kind === kind).length;
      const batchSeconds = requests.filter((q) => q.kind === 'batch').map((q) => ms(q.r) / 1000);
      const mix = `${count('submit')} submissions (${count('presign')} presigned uploads), ${count('status')} status reads, ${count('decide')} review decisions, ${count('include')} province batch decisions (${included.size} people included; the batch job run ${batchSeconds.length} times, at most ${Math.max(0, ...batchSeconds).toFixed(1)} s)`;
      const goalRps = Math.round(benchSubmitRps() * 0.5);
      const halves = `first half +${(mid.rssMB - warm.rssMB).toFixed(1)} MB resident / +${(mid.heapMB - warm.heapMB).toFixed(1)} MB heap, second half +${(atEnd.rssMB - mid.rssMB).toFixed(1)} MB / +${(atEnd.heapMB - mid.heapMB).toFixed(1)} MB`;
      const rssNote = `Node processes (the supervisor with the local S3, the HTTP side with the handlers and the workflow engine), after a full collection: resident ${warm.rssMB.toFixed(0)} → ${mid.rssMB.toFixed(0)} → ${atEnd.rssMB.toFixed(0)} MB (${halves}), live V8 heap ${warm.heapMB.toFixed(0)} → ${atEnd.heapMB.toFixed(0)} MB (${heapGrowth.toFixed(1)} MB, with ${acked.length - included.size} of ${acked.length} filings still waiting in their workflows); resident memory sampled without collections every ${SAMPLE_EVERY_MS / 1000} s grew ${rawSlope.toFixed(0)} MB over the window (least squares: V8 sizing its heaps for the load); DynamoDB Local's Java ${window[0]?.javaMB.toFixed(0)} → ${window.at(-1)?.javaMB.toFixed(0)} MB, not counted`;
      const note = `${CLIENTS} clients in a closed loop for ${seconds} s after a ${WARMUP_S} s warm-up, workflow engine on: ${mix}; throughput ${rpsAt(measureFrom, measureFrom + 30_000).toFixed(1)}/s in the first 30 s, ${rpsAt(end - 30_000, end).toFixed(1)}/s in the last 30 s; S3 form uploads not counted`;
      Object.assign(metrics, {
        'load.rps': {
          value: Number(rps.toFixed(1)),
          unit: 'req/s',
          goal: goalRps,
          better: 'higher',
          note: `goal: half the submit-only throughput of the API benchmark (api.submit.rps ${benchSubmitRps()}/s, workflow engine off there); ${note}`,
        },
        'load.p50Ms': {
          value: median(latencies),
          unit: 'ms',
          goal: 500,
          better: 'lower',
          note: `design budget, as api.submit.p50Ms; all API requests of the mix; ${note}`,
        },
        'load.p99Ms': {
          value: percentile(latencies, 99),
          unit: 'ms',
          goal: 2000,
          better: 'lower',
          note: `design budget, as api.submit.p99Ms; all API requests of the mix; ${note}`,
        },
        'load.rssGrowthMB': {
          value: Number(rssGrowth.toFixed(1)),
          unit: 'MB',
          goal: 50,
          better: 'lower',
          note: `resident memory after the ${MEASURE_S} s window minus after the ${WARMUP_S} s warm-up; ${rssNote}; the test fails above ${RSS_GROWTH_LIMIT_MB} MB (resident) or ${HEAP_GROWTH_LIMIT_MB} MB (live heap)`,
        },
      });

      // Every request had an answer, never a 5xx, and each the answer its kind should get.
      const byStatus = (kind: Kind, ok: number) =>
        requests
          .filter((q) => q.kind === kind && q.r.status !== ok)
          .map((q) => `${q.r.status} ${q.r.error ?? ''}`);
      expect(
        requests
          .filter((q) => q.r.status === 0 || q.r.status >= 500)
          .map((q) => `${q.kind} ${q.r.status} ${q.r.error ?? ''} after ${ms(q.r)} ms`),
      ).toEqual([]);
      expect(uploadsFailed).toEqual([]);
      expect(misfiled).toEqual([]);
      expect(byStatus('presign', 200)).toEqual([]);
      expect(byStatus('submit', 201)).toEqual([]);
      expect(byStatus('status', 200)).toEqual([]);
      expect(byStatus('decide', 200)).toEqual([]);
      expect(byStatus('batch', 200)).toEqual([]);
      expect(byStatus('include', 200)).toEqual([]);
      expect(count('submit') * count('status') * count('decide'), mix).toBeGreaterThan(0);

      // Every acknowledged filing is whole, every decision applied, and the counters agree.
      // The engine works off what the last batch decisions and reviews set going (hundreds of
      // executions on a loaded machine) before it can report settled.
      await apiDriver(runtime).settled(SETTLE_MS, { mail: false });
      phase('workflows settled');
      const snap = await snapshot(runtime);
      phase('table read');
      const filings = byFiling(snap);
      expect(
        acked.filter((a) => shapeOf(filings.get(a.filingId)) !== 'whole').map((a) => a.filingId),
      ).toEqual([]);
      const states = acked.map((a) =>
        lastState(filings.get(a.filingId) ?? { events: [], persons: [], objects: [] }),
      );
      // Approved by the city: with the province, or included by it (and nobody else in the pool).
      expect(states.filter((s) => s === 'province_review' || s === 'in_pool')).toHaveLength(decided.size);
      expect(states.filter((s) => s === 'in_pool')).toHaveLength(included.size);
      expect(states.filter((s) => s !== 'province_review' && s !== 'city_review' && s !== 'in_pool')).toEqual(
        [],
      );
      expect(counterMismatches(snap)).toEqual([]);

      // Memory: bounds a leak would cross, not a measure of speed.
      expect(window.length, 'memory samples after the warm-up').toBeGreaterThanOrEqual(MEASURE_S / 10);
      expect(rssGrowth, rssNote).toBeLessThan(RSS_GROWTH_LIMIT_MB);
      expect(heapGrowth, rssNote).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
    },
    TEST_TIMEOUT_MS,
  );
});
