// Bundles a Lambda entry the way the CDK app does (esbuild, minified ESM for Node 24, AWS SDK
// bundled, a `require` shim for CommonJS dependencies) and measures a bundle's cold load in a
// fresh Node process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS } from '#infra/bundling.ts';
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
 * The SDK-only floor of a bundle holding `clients` (as sdkClients lists them): the same
 * esbuild build of a module that imports and keeps only those clients' classes, the size no
 * handler using them goes under. For the clients bench/bundle.bench.ts knows, the module is
 * the one it builds.
 */
export async function bundleSdkFloor(clients: string[], outFile: string): Promise<Bundle> {
  const order = Object.keys(FLOOR_CLIENT_CLASSES);
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length + clients.indexOf(c));
  const alias = (c: string) => String.fromCharCode(65 + rank(c)); // A, B, … as bundle.bench.ts names them
  const imports = await Promise.all(
    clients.map(async (c) => `import { ${await clientClass(c)} as ${alias(c)} } from '${c}';`),
  );
  const contents = `${imports.join('\n')}\nexport const keep = [${clients.map(alias).join(',')}];`;
  return bundle({ contents, resolveDir: ROOT }, outFile);
}

/** Median wall time (ms) of importing a module in a fresh Node process. */
export function coldLoadMs(file: string, runs = 7): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
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
    times.push(Number(out.trim().split('\n').pop()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
