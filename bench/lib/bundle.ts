// Bundles a Lambda entry the way the CDK app does (esbuild, minified ESM for Node 24, AWS SDK
// bundled, a `require` shim for CommonJS dependencies), tells which SDK clients and heavy
// libraries a bundle holds, builds a function's floor, and measures a bundle's cold load in a
// fresh Node process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS } from '#infra/bundling.ts';
import { HEAVY_LIBRARIES, type HeavyLibrary } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';

export interface Bundle {
  file: string;
  bytes: number;
  metafile: Metafile;
}

export async function bundle(
  entry: { path?: string; contents?: string; resolveDir?: string },
  outFile: string,
): Promise<Bundle> {
  mkdirSync(join(outFile, '..'), { recursive: true });
  const result = await build({
    ...ESBUILD_OPTIONS,
    ...(entry.path
      ? { entryPoints: [entry.path] }
      : {
          stdin: {
            contents: entry.contents ?? '',
            resolveDir: entry.resolveDir ?? process.cwd(),
            loader: 'ts',
          },
        }),
    outfile: outFile,
    metafile: true,
    write: false,
  });
  const out = result.outputFiles?.[0];
  if (!out || !result.metafile) throw new Error('esbuild produced no output');
  writeFileSync(outFile, out.contents);
  return { file: outFile, bytes: out.contents.byteLength, metafile: result.metafile };
}

/** One function's bundle as bundleEach writes it: its file, size and the paths of its inputs. */
export interface EntryBundle {
  file: string;
  bytes: number;
  inputs: string[];
}

/**
 * Bundles several entries in one esbuild run (each output as its own build would write it: no
 * code splitting), writing `<id>.mjs` under `dir`. One run instead of one per function keeps
 * bundling every function in seconds.
 */
export async function bundleEach(
  entries: readonly { id: string; path: string }[],
  dir: string,
): Promise<Map<string, EntryBundle>> {
  mkdirSync(dir, { recursive: true });
  const result = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: entries.map((e) => ({ in: e.path, out: e.id })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
  });
  if (!result.metafile) throw new Error('esbuild produced no metafile');
  const bundles = new Map<string, EntryBundle>();
  for (const out of result.outputFiles ?? []) {
    // Metafile paths are relative to esbuild's working directory (this process's).
    const meta = Object.entries(result.metafile.outputs).find(([path]) => resolve(path) === out.path);
    const id = entries.find((e) => out.path === join(dir, `${e.id}.mjs`))?.id;
    if (!meta || !id) throw new Error(`no entry or metafile output for ${out.path}`);
    writeFileSync(out.path, out.contents);
    bundles.set(id, { file: out.path, bytes: out.contents.byteLength, inputs: Object.keys(meta[1].inputs) });
  }
  const missing = entries.filter((e) => !bundles.has(e.id)).map((e) => e.id);
  if (missing.length > 0) throw new Error(`esbuild wrote no bundle for ${missing.join(', ')}`);
  return bundles;
}

/** The heavy libraries (infra/functions.ts HEAVY_LIBRARIES) among a bundle's input paths. */
export function heavyLibrariesIn(paths: Iterable<string>): HeavyLibrary[] {
  const list = [...paths];
  return (Object.keys(HEAVY_LIBRARIES) as HeavyLibrary[]).filter((library) =>
    HEAVY_LIBRARIES[library].packages.some((pkg) => list.some((p) => p.includes(`node_modules/${pkg}/`))),
  );
}

/** SDK client packages a bundle contains (its floor). */
export function sdkClients(metafile: Metafile): string[] {
  return sdkClientsIn(Object.keys(metafile.inputs));
}

/** SDK client packages among a bundle's input paths (a metafile's inputs, a source map's sources). */
export function sdkClientsIn(paths: Iterable<string>): string[] {
  const clients = new Set<string>();
  for (const input of paths) {
    const m = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(input);
    if (m?.[1]) clients.add(m[1]);
  }
  return [...clients].sort();
}

/** The client class each SDK package's floor imports (the one thing a handler cannot do without). */
export const FLOOR_CLIENT_CLASSES: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/lib-dynamodb': 'DynamoDBDocumentClient',
  '@aws-sdk/client-kms': 'KMSClient',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
};

/** A package's client class: from the table, else its one export named `…Client`. */
async function clientClass(pkg: string): Promise<string> {
  const known = FLOOR_CLIENT_CLASSES[pkg];
  if (known) return known;
  const found = Object.keys(await import(pkg)).filter((k) => /^[A-Z][A-Za-z0-9]*Client$/.test(k));
  if (found.length !== 1 || !found[0]) {
    throw new Error(
      `no floor import for ${pkg} (exports ${found.join(', ') || 'no …Client'}): add it to FLOOR_CLIENT_CLASSES`,
    );
  }
  return found[0];
}

/**
 * What a floor imports of each heavy library: what the repository's code imports of it (the
 * Encryption SDK's builders and keyrings as shared/data/field-crypto.ts, the exceljs and
 * nodemailer default exports, vega's View and parse with vega-lite's compile as the report's
 * charts), kept so that esbuild cannot drop them.
 */
export const FLOOR_LIBRARY_IMPORTS: Record<
  HeavyLibrary,
  readonly { from: string; names: readonly string[] }[]
> = {
  encryptionSdk: [
    { from: '@aws-crypto/decrypt-node', names: ['buildDecrypt'] },
    { from: '@aws-crypto/encrypt-node', names: ['buildEncrypt'] },
    { from: '@aws-crypto/kms-keyring-node', names: ['KmsKeyringNode'] },
    { from: '@aws-crypto/material-management-node', names: ['AlgorithmSuiteIdentifier', 'CommitmentPolicy'] },
    {
      from: '@aws-crypto/raw-aes-keyring-node',
      names: ['RawAesKeyringNode', 'RawAesWrappingSuiteIdentifier'],
    },
  ],
  exceljs: [{ from: 'exceljs', names: ['default'] }],
  charts: [
    { from: 'vega', names: ['View', 'parse'] },
    { from: 'vega-lite', names: ['compile'] },
  ],
  nodemailer: [{ from: 'nodemailer', names: ['default'] }],
};

/** The module of a floor: the SDK clients' classes and the libraries' imports, each kept. */
export async function floorModule(
  clients: readonly string[],
  libraries: readonly HeavyLibrary[] = [],
): Promise<string> {
  const order = Object.keys(FLOOR_CLIENT_CLASSES);
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length + clients.indexOf(c));
  const alias = (c: string) => String.fromCharCode(65 + rank(c)); // A, B, … as bundle.bench.ts names them
  const imports = await Promise.all(
    clients.map(async (c) => `import { ${await clientClass(c)} as ${alias(c)} } from '${c}';`),
  );
  const kept = clients.map(alias);
  for (const library of libraries) {
    for (const { from, names } of FLOOR_LIBRARY_IMPORTS[library]) {
      const aliases = names.map((name) => `L${kept.length}_${name}`);
      imports.push(
        `import { ${names.map((name, i) => `${name} as ${aliases[i]}`).join(', ')} } from '${from}';`,
      );
      kept.push(...aliases);
    }
  }
  return `${imports.join('\n')}\nexport const keep = [${kept.join(',')}];`;
}

/**
 * The floor of a function whose bundle holds `clients` (as sdkClients lists them) and whose job
 * needs `libraries`: the same esbuild build of a module that imports and keeps only those
 * clients' classes and those libraries, the size and cold load no handler doing that job goes
 * under.
 */
export async function bundleFloor(
  clients: readonly string[],
  libraries: readonly HeavyLibrary[],
  outFile: string,
): Promise<Bundle> {
  return bundle({ contents: await floorModule(clients, libraries), resolveDir: ROOT }, outFile);
}

/** The SDK-only floor of a bundle holding `clients`: bundleFloor without libraries. */
export async function bundleSdkFloor(clients: string[], outFile: string): Promise<Bundle> {
  return bundleFloor(clients, [], outFile);
}

/** Median wall time (ms) of importing a module in a fresh Node process. */
export function coldLoadMs(file: string, runs = 7): number {
  return coldLoadsMs([file], runs)[0] ?? Number.NaN;
}

/**
 * Median wall times (ms) of importing each module in a fresh Node process, the modules taking
 * turns run by run, so that a busy spell of the machine weighs on all of them alike (a ratio of
 * two medians taken minutes apart says more about the machine than about the bundles).
 */
export function coldLoadsMs(files: readonly string[], runs = 7): number[] {
  const times = files.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    files.forEach((file, f) => {
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t);`,
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, AWS_REGION: 'us-east-1', TABLE_NAME: 't', LOCAL_KEY_FILE: '/nonexistent' },
        },
      );
      times[f]?.push(Number(out.trim().split('\n').pop()));
    });
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return t[Math.floor(t.length / 2)] ?? Number.NaN;
  });
}
