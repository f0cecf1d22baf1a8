// Function bundles: size and cold load of each handler as esbuild builds it for Lambda, as
// ratios to a bundle holding only the AWS SDK clients that function uses (the floor no
// handler goes under). Goals: both ratios ≤ 1.2, no bundle over 500 KB.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUTES } from '#shared/http/routes.ts';
import { SCHEDULES, WORKFLOW_FUNCTIONS } from '#workflows/functions.ts';
import { bundle, bundleSdkFloor, coldLoadMs, sdkClients } from './lib/bundle.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const dir = join(tmpdir(), `sso-bundles-${process.pid}`);
  const rows: { id: string; kb: number; clients: string[]; sizeRatio?: number; loadRatio?: number }[] = [];
  const floors = new Map<string, { bytes: number; ms: number }>();
  const entries = [
    ...ROUTES.map((r) => ({ id: r.id, handler: r.handler })),
    ...WORKFLOW_FUNCTIONS.map((f) => ({ id: f.id, handler: f.handler })),
    ...SCHEDULES.map((s) => ({ id: s.id, handler: s.handler })),
  ];
  for (const route of entries) {
    const fn = await bundle({ path: join(root, route.handler) }, join(dir, `${route.id}.mjs`));
    const clients = sdkClients(fn.metafile);
    const row: (typeof rows)[number] = { id: route.id, kb: fn.bytes / 1024, clients };
    if (clients.length > 0) {
      const key = clients.join('+');
      let floor = floors.get(key);
      if (!floor) {
        const floorBundle = await bundleSdkFloor(clients, join(dir, `floor-${floors.size}.mjs`));
        floor = { bytes: floorBundle.bytes, ms: coldLoadMs(floorBundle.file) };
        floors.set(key, floor);
      }
      row.sizeRatio = fn.bytes / floor.bytes;
      row.loadRatio = coldLoadMs(fn.file) / floor.ms;
    }
    rows.push(row);
  }
  const withFloor = rows.filter((r) => r.sizeRatio !== undefined);
  const worst = (k: 'sizeRatio' | 'loadRatio') =>
    withFloor.reduce<(typeof rows)[number] | undefined>(
      (a, r) => ((r[k] ?? 0) > (a?.[k] ?? 0) ? r : a),
      undefined,
    );
  const worstSize = worst('sizeRatio');
  const worstLoad = worst('loadRatio');
  const biggest = rows.reduce((a, r) => (r.kb > a.kb ? r : a), {
    id: 'none',
    kb: 0,
    clients: [] as string[],
  });
  const table = rows
    .map(
      (r) =>
        `${r.id} ${r.kb.toFixed(0)} KB${r.sizeRatio ? ` size×${r.sizeRatio.toFixed(2)} load×${r.loadRatio?.toFixed(2)} [${r.clients.join('+')}]` : ' (no SDK client)'}`,
    )
    .join('; ');
  console.log(table);
  return {
    'bundle.maxKB': {
      value: Math.round(biggest.kb),
      unit: 'KB',
      goal: 500,
      better: 'lower',
      note: `largest: ${biggest.id}. All: ${table}`,
    },
    'bundle.sizeRatio': {
      value: Number((worstSize?.sizeRatio ?? 0).toFixed(2)),
      unit: 'ratio',
      goal: 1.2,
      better: 'lower',
      note: `worst: ${worstSize?.id}; floor = esbuild bundle of only its SDK clients (${worstSize?.clients.join('+')})`,
    },
    'bundle.loadRatio': {
      value: Number((worstLoad?.loadRatio ?? 0).toFixed(2)),
      unit: 'ratio',
      goal: 1.2,
      better: 'lower',
      note: `worst: ${worstLoad?.id}; median of 7 fresh-process imports vs its SDK-only floor`,
    },
  };
}

if (import.meta.main) recordMetrics(await run());
