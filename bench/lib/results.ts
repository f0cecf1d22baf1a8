// bench/results.json: one entry per metric name, rewritten by each run of that benchmark
// (format: Metric below; bench/docs.ts writes docs/benchmarks.md from it). Committed, so
// history shows in git.
// Figures that tests measure on the way (fuzzing, the model, the soak) go to an ignored file
// instead, so that a clone stays clean after `npm test`; `npm run bench` and a test run with
// BENCH_RECORD=1 write the committed file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric {
  value: number;
  unit: string;
  goal: number;
  better: 'lower' | 'higher';
  measuredAt: string;
  note: string;
}

/** Set to `1` to record a test run's figures in the committed bench/results.json. */
export const RECORD_ENV = 'BENCH_RECORD';
const COMMITTED = fileURLToPath(new URL('../results.json', import.meta.url));
const SCRATCH = fileURLToPath(new URL('../../test/artifacts/bench-results.json', import.meta.url));

/** Where this process records: the committed file, or the ignored one of test runs. */
export function resultsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env[RECORD_ENV] === '1' ? COMMITTED : SCRATCH;
}

export function recordMetrics(metrics: Record<string, Omit<Metric, 'measuredAt'>>): void {
  const FILE = resultsFile();
  mkdirSync(dirname(FILE), { recursive: true });
  const current: Record<string, Metric> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : {};
  const measuredAt = new Date().toISOString();
  for (const [name, metric] of Object.entries(metrics)) current[name] = { ...metric, measuredAt };
  const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

export function meetsGoal(metric: Pick<Metric, 'value' | 'goal' | 'better'>): boolean {
  return metric.better === 'lower' ? metric.value <= metric.goal : metric.value >= metric.goal;
}
