// `npm run bench` runs every benchmark and rewrites their entries in bench/results.json;
// `npm run bench -- <name>` runs one (name = file prefix, e.g. `wcu`).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main as writeBenchmarksPage } from './docs.ts';
import { meetsGoal, RECORD_ENV, recordMetrics } from './lib/results.ts';

// Benchmarks record in the committed file (tests they start inherit this too).
process.env[RECORD_ENV] = '1';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')));
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(2);
}
for (const file of files) {
  const mod = (await import(`./${file}`)) as { run: () => Promise<Parameters<typeof recordMetrics>[0]> };
  const metrics = await mod.run();
  recordMetrics(metrics);
  for (const [name, m] of Object.entries(metrics)) {
    console.log(
      `${meetsGoal(m) ? 'ok  ' : 'MISS'} ${name} = ${m.value} ${m.unit} (goal ${m.better === 'lower' ? '≤' : '≥'} ${m.goal})`,
    );
  }
}
// The benchmarks page is generated from the results, so it changes with them.
writeBenchmarksPage([]);
