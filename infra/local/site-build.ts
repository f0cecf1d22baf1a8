// Builds the static filing site into site/dist: every site/src/<page>.ts entry bundled and
// minified with esbuild for current browsers, the HTML and CSS copied, and config.json with
// the API base URL (SITE_API_BASE; empty = same origin, as under `npm start`). The CDK stack
// uploads the same folder to S3 with its own config.json.
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const siteDir = fileURLToPath(new URL('../../site', import.meta.url));

export async function buildSite(options: { apiBase?: string; outDir?: string } = {}): Promise<string> {
  const outDir = options.outDir ?? join(siteDir, 'dist');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const entries = (await readdir(join(siteDir, 'src'))).filter((f) => f.endsWith('.page.ts'));
  await build({
    entryPoints: entries.map((f) => join(siteDir, 'src', f)),
    outdir: outDir,
    entryNames: '[name]',
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'safari16', 'firefox115'],
    logLevel: 'silent',
  });
  for (const file of await readdir(siteDir)) {
    if (/\.(html|css|svg|ico)$/.test(file)) await copyFile(join(siteDir, file), join(outDir, file));
  }
  await writeFile(
    join(outDir, 'config.json'),
    JSON.stringify({ apiBase: options.apiBase ?? process.env.SITE_API_BASE ?? '' }),
  );
  return outDir;
}

if (import.meta.main) {
  console.log(`site built in ${await buildSite()}`);
}
