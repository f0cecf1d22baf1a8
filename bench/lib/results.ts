// bench/results.json: one entry per metric name, rewritten by each run of that benchmark
// (format: ../shared/spec/architecture.md, "Benchmarks"). Committed, so history shows in git.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Metric {
  value: number;
  unit: string;
  goal: number;
  better: 'lower' | 'higher';
  measuredAt: string;
  note: string;
}

const FILE = fileURLToPath(new URL('../results.json', import.meta.url));

export function recordMetrics(metrics: Record<string, Omit<Metric, 'measuredAt'>>): void {
  const current: Record<string, Metric> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : {};
  const measuredAt = new Date().toISOString();
  for (const [name, metric] of Object.entries(metrics)) current[name] = { ...metric, measuredAt };
  const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(FILE, `${JSON.stringify(sorted, null, 2)}\n`);
}

export function meetsGoal(metric: Pick<Metric, 'value' | 'goal' | 'better'>): boolean {
  return metric.better === 'lower' ? metric.value <= metric.goal : metric.value >= metric.goal;
}
