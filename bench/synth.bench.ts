// The deployable artifact: the dev stage built and synthesized as `npm run synth` does it
// (handlers bundled by CDK's NodejsFunction with the esbuild options of infra/bundling.ts,
// cdk-nag on), minus the CLI. Measures the synth's wall time and the size of every function
// bundle CDK put in the cloud assembly (index.mjs; its external source map is not counted), as
// a ratio to the floor of bench/bundle.bench.ts: an esbuild bundle of only the AWS SDK clients
// the bundle contains and the heavy libraries the function's job needs (infra/functions.ts
// heavyLibrariesOf). The clients are read from the bundle's source map, so a client a handler
// imports but whose code is all tree-shaken away does not raise the floor. Goals: synth within
// 60 s (a design budget), bundles ≤ 1.2 × their floor; the largest bundle is recorded with no
// goal of its own.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '#infra/app.ts';
import { allFunctions, type HeavyLibrary, heavyLibrariesOf } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import { buildSite } from '#infra/site-build.ts';
import { loadStage } from '#infra/stage.ts';
import { bundleFloor, sdkClientsIn } from './lib/bundle.ts';
import { type Metric, recordMetrics } from './lib/results.ts';

const STAGE = 'dev';
const STATELESS = `StandardsOfficer-${STAGE}-Stateless`;
/** Lambda's limit on a function's unzipped code (250 MB): the only bound left on cdk.bundle.maxKB. */
const LAMBDA_UNZIPPED_KB = 250 * 1024;

interface Row {
  id: string;
  bytes: number;
  clients: string[];
  /** The heavy libraries the function's job needs, part of its floor. */
  libraries: HeavyLibrary[];
  ratio?: number;
}

/** The context the CDK CLI gives the app: cdk.json's, plus the metadata it turns on by default. */
function cliContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return {
    ...cdkJson.context,
    stage: STAGE,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
  };
}

/** `<stack>/Api/submitFiling/Function/Resource` → `submitFiling` (the HouseFunction's id). */
function functionId(cdkPath: string): string {
  const parts = cdkPath.split('/');
  const at = parts.lastIndexOf('Function');
  return (at > 0 ? parts[at - 1] : undefined) ?? cdkPath;
}

/** Our functions in the synthesized stateless template, with their bundle's size and SDK clients. */
function functionBundles(outdir: string): { rows: Row[]; skipped: string[] } {
  const template = JSON.parse(readFileSync(join(outdir, `${STATELESS}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
  };
  const needs = new Map(allFunctions().map((f) => [f.id, f.needs]));
  const rows: Row[] = [];
  const skipped: string[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const cdkPath = String(resource.Metadata?.['aws:cdk:path'] ?? '');
    const assetPath = resource.Metadata?.['aws:asset:path'];
    if (typeof assetPath !== 'string') continue; // inline code, no bundle
    if (cdkPath.includes('Custom::CDKBucketDeployment')) {
      skipped.push(cdkPath.split('/')[1] ?? cdkPath);
      continue;
    }
    const asset = join(outdir, assetPath);
    const file = join(asset, 'index.mjs');
    if (!existsSync(file)) throw new Error(`${cdkPath}: no index.mjs in its asset ${asset}`);
    // The SDK clients the bundle holds, from its source map's inputs (the map is not measured:
    // it is a separate file the runtime reads only with --enable-source-maps, on an error).
    const map = `${file}.map`;
    if (!existsSync(map))
      throw new Error(`${cdkPath}: no source map beside ${file}, cannot tell its SDK clients`);
    const sources = (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
    const id = functionId(cdkPath);
    const fnNeeds = needs.get(id);
    if (!fnNeeds)
      throw new Error(`${cdkPath}: ${id} is not a function of infra/functions.ts, cannot tell its floor`);
    rows.push({
      id,
      bytes: statSync(file).size,
      clients: sdkClientsIn(sources),
      libraries: heavyLibrariesOf(fnNeeds),
    });
  }
  if (rows.length === 0) throw new Error(`no bundled function found in ${STATELESS}`);
  return { rows, skipped };
}

/** A floor's parts: the SDK clients, then the heavy libraries. */
function floorOf(row: Pick<Row, 'clients' | 'libraries'>): string {
  return [...row.clients, ...row.libraries].join('+');
}

export async function run(): Promise<Record<string, Omit<Metric, 'measuredAt'>>> {
  // One work dir for the built site, the cloud assembly and the floors, removed at the end.
  const work = mkdtempSync(join(tmpdir(), 'sso-synth-bench-'));
  try {
    const outdir = join(work, 'cdk.out');
    const siteStart = performance.now();
    const siteDir = await buildSite({ outDir: join(work, 'site') });
    const siteSeconds = (performance.now() - siteStart) / 1000;

    const start = performance.now();
    const app = new App({ outdir, builtinCloudFormationValidation: false, context: cliContext() });
    buildApp(app, loadStage(STAGE), siteDir);
    app.synth();
    const synthSeconds = (performance.now() - start) / 1000;

    const { rows, skipped } = functionBundles(outdir);
    const floors = new Map<string, number>();
    for (const row of rows) {
      if (row.clients.length === 0 && row.libraries.length === 0) continue;
      const key = floorOf(row);
      let floor = floors.get(key);
      if (floor === undefined) {
        const file = join(work, 'floors', `floor-${floors.size}.mjs`);
        floor = (await bundleFloor(row.clients, row.libraries, file)).bytes;
        floors.set(key, floor);
      }
      row.ratio = row.bytes / floor;
    }
    rows.sort((a, b) => b.bytes - a.bytes);

    const kb = (bytes: number) => Math.round(bytes / 1024);
    const table = rows
      .map(
        (r) =>
          `${r.id} ${kb(r.bytes)} KB ${r.ratio ? `×${r.ratio.toFixed(2)} [${floorOf(r)}]` : '(no SDK client, no heavy library)'}`,
      )
      .join('; ');
    console.log(table);
    const biggest = rows[0] as Row;
    const worst = rows.reduce<Row | undefined>(
      (a, r) => ((r.ratio ?? 0) > (a?.ratio ?? 0) ? r : a),
      undefined,
    );
    const notOurs = `not counted: CDK's own BucketDeployment provider function (${skipped.join(', ') || 'none'})`;
    return {
      'cdk.synthSeconds': {
        value: Number(synthSeconds.toFixed(1)),
        unit: 's',
        goal: 60,
        better: 'lower',
        note: `dev stage built and synthesized in-process as \`cdk synth\` runs infra/app.ts (${rows.length} functions bundled by NodejsFunction/esbuild, cdk-nag checks) into a fresh outdir; site built beforehand in ${siteSeconds.toFixed(1)} s, not counted. Goal is a design budget, not a measured baseline`,
      },
      'cdk.bundle.maxKB': {
        value: kb(biggest.bytes),
        unit: 'KB',
        goal: LAMBDA_UNZIPPED_KB,
        better: 'lower',
        note: `Recorded, no design goal (the goal column is Lambda's 250 MB limit on unzipped code); a function's size is judged against its floor (cdk.bundle.sizeRatio). Largest: ${biggest.id}. index.mjs of each function asset CDK synthesized (source maps not counted), ratio to its floor; ${notOurs}. All: ${table}`,
      },
      'cdk.bundle.sizeRatio': {
        value: Number((worst?.ratio ?? 0).toFixed(2)),
        unit: 'ratio',
        goal: 1.2,
        better: 'lower',
        note: `worst: ${worst?.id ?? 'none'}; ${rows.filter((r) => (r.ratio ?? 0) > 1.2).length} of ${rows.filter((r) => r.ratio !== undefined).length} functions over 1.2. Floor = esbuild bundle of only the SDK clients with code in its bundle (from its source map) and the heavy libraries its job needs (${worst ? floorOf(worst) : ''}), built as in bundle.bench.ts; ${notOurs}`,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) recordMetrics(await run());
