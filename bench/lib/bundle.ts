// Bundles a Lambda entry the way the CDK app does (esbuild, minified ESM for Node 24, AWS SDK
// bundled, a `require` shim for CommonJS dependencies) and measures a bundle's cold load in a
// fresh Node process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS } from '#infra/bundling.ts';

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
  const clients = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(input);
    if (m?.[1]) clients.add(m[1]);
  }
  return [...clients].sort();
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
