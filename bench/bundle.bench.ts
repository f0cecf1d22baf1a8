// Function bundles: size and cold load of each handler as esbuild builds it for Lambda, as
// ratios to its floor: a bundle of only the AWS SDK clients the function uses and the heavy
// libraries its job needs (infra/functions.ts heavyLibrariesOf: the Encryption SDK, exceljs, the
// chart library, nodemailer), the size no handler doing that job goes under. Goals: both ratios
// ≤ 1.2 for every function. The largest bundle is recorded with no goal of its own. Then the
// cold first response of the public and reviewer routes (bench/lib/cold-response.ts).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allFunctions, type HeavyLibrary, heavyLibrariesOf } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import {
  type Bundle,
  bundleEach,
  bundleFloor,
  coldLoadsMs,
  heavyLibrariesIn,
  sdkClientsIn,
} from './lib/bundle.ts';
import { coldFirstResponse } from './lib/cold-response.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

/** Lambda's limit on a function's unzipped code (250 MB): the only bound left on bundle.maxKB. */
const LAMBDA_UNZIPPED_KB = 250 * 1024;

interface Row {
  id: string;
  kb: number;
  clients: string[];
  libraries: HeavyLibrary[];
  /** Heavy libraries in the bundle that its needs do not name (test/infra/bundle-libraries.test.ts). */
  undeclared: HeavyLibrary[];
  sizeRatio?: number;
  loadRatio?: number;
}

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const dir = join(tmpdir(), `sso-bundles-${process.pid}`);
  try {
    return { ...(await bundleMetrics(dir)), ...(await coldFirstResponse(join(dir, 'cold'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bundleMetrics(dir: string): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  const functions = allFunctions();
  const bundles = await bundleEach(
    functions.map((f) => ({ id: f.id, path: join(ROOT, f.handler) })),
    join(dir, 'functions'),
  );
  const rows: Row[] = [];
  const floors = new Map<string, Bundle>();
  for (const fn of functions) {
    const built = bundles.get(fn.id);
    if (!built) throw new Error(`no bundle for ${fn.id}`);
    const clients = sdkClientsIn(built.inputs);
    const libraries = heavyLibrariesOf(fn.needs);
    const row: Row = {
      id: fn.id,
      kb: built.bytes / 1024,
      clients,
      libraries,
      undeclared: heavyLibrariesIn(built.inputs).filter((l) => !libraries.includes(l)),
    };
    if (clients.length > 0 || libraries.length > 0) {
      const key = [...clients, ...libraries].join('+');
      let floor = floors.get(key);
      if (!floor) {
        floor = await bundleFloor(clients, libraries, join(dir, `floor-${floors.size}.mjs`));
        floors.set(key, floor);
      }
      const [fnMs = Number.NaN, floorMs = Number.NaN] = coldLoadsMs([built.file, floor.file]);
      row.sizeRatio = built.bytes / floor.bytes;
      row.loadRatio = fnMs / floorMs;
    }
    rows.push(row);
  }
  const withFloor = rows.filter((r) => r.sizeRatio !== undefined);
  const worst = (k: 'sizeRatio' | 'loadRatio') =>
    withFloor.reduce<Row | undefined>((a, r) => ((r[k] ?? 0) > (a?.[k] ?? 0) ? r : a), undefined);
  const worstSize = worst('sizeRatio');
  const worstLoad = worst('loadRatio');
  const biggest = rows.reduce((a, r) => (r.kb > a.kb ? r : a));
  const floorOf = (r: Row | undefined) => [...(r?.clients ?? []), ...(r?.libraries ?? [])].join('+');
  const table = rows
    .map(
      (r) =>
        `${r.id} ${r.kb.toFixed(0)} KB${r.sizeRatio ? ` size×${r.sizeRatio.toFixed(2)} load×${r.loadRatio?.toFixed(2)} [${floorOf(r)}]` : ' (no SDK client, no heavy library)'}${r.undeclared.length > 0 ? ` also bundles ${r.undeclared.join('+')} (not needed)` : ''}`,
    )
    .join('; ');
  console.log(table);
  const over = (k: 'sizeRatio' | 'loadRatio') => withFloor.filter((r) => (r[k] ?? 0) > 1.2).length;
  return {
    'bundle.maxKB': {
      value: Math.round(biggest.kb),
      unit: 'KB',
      goal: LAMBDA_UNZIPPED_KB,
      better: 'lower',
      note: `Recorded, no design goal (the goal column is Lambda's 250 MB limit on unzipped code); a function's size is judged against its floor (bundle.sizeRatio). Largest: ${biggest.id}. All: ${table}`,
    },
    'bundle.sizeRatio': {
      value: Number((worstSize?.sizeRatio ?? 0).toFixed(2)),
      unit: 'ratio',
      goal: 1.2,
      better: 'lower',
      note: `worst: ${worstSize?.id}; ${over('sizeRatio')} of ${withFloor.length} functions over 1.2. Floor = esbuild bundle of only the SDK clients a function uses and the heavy libraries its job needs (${floorOf(worstSize)})`,
    },
    'bundle.loadRatio': {
      value: Number((worstLoad?.loadRatio ?? 0).toFixed(2)),
      unit: 'ratio',
      goal: 1.2,
      better: 'lower',
      note: `worst: ${worstLoad?.id}; ${over('loadRatio')} of ${withFloor.length} functions over 1.2. Median of 7 fresh-process imports vs its floor's, the two taking turns (${floorOf(worstLoad)})`,
    },
  };
}

if (import.meta.main) recordMetrics(await run());
