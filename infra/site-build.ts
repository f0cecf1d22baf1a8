// Builds the static filing site into site/dist: every site/src/<page>.ts entry bundled and
// minified with esbuild for current browsers, the HTML and CSS copied, and config.json with
// the API base URL (SITE_API_BASE; empty = same origin, as under `npm start`) and the staff
// console's sign-in when given. The CDK app uploads the same folder to S3 with its own
// config.json; the local runtime (infra/local/site.ts) adds its own sign-in. `connectSrc` adds
// origins the pages may fetch from (the local S3 that takes uploads; in the cloud the bucket
// is https, allowed). Nothing here knows the local runtime, so the cloud app depends on none of it.
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './paths.ts';

const siteDir = join(ROOT, 'site');

export interface SiteBuildOptions {
  apiBase?: string;
  outDir?: string;
  connectSrc?: string[];
  /** The staff console's sign-in, written to config.json as `oidc` (site/src/staff/console.ts reads it). */
  oidc?: Readonly<Record<string, string>>;
}

export async function buildSite(options: SiteBuildOptions = {}): Promise<string> {
  const finalDir = options.outDir ?? join(siteDir, 'dist');
  // Built beside the target and swapped in at the end, so a server (or another runtime
  // building at the same time) never serves a half-written folder.
  const outDir = `${finalDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(outDir, { recursive: true });
  try {
    const config = {
      apiBase: options.apiBase ?? process.env.SITE_API_BASE ?? '',
      ...(options.oidc ? { oidc: options.oidc } : {}),
    };
    await buildInto(outDir, config, options.connectSrc ?? []);
    await swapIn(outDir, finalDir);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return finalDir;
}

async function buildInto(outDir: string, config: object, connectSrc: string[]): Promise<void> {
  const entries = (await readdir(join(siteDir, 'src'))).filter((f) => f.endsWith('.page.ts'));
  // The staff console is the site's staff/ section: its pages' scripts land beside its HTML.
  const staffEntries = (await readdir(join(siteDir, 'src', 'staff'))).filter((f) => f.endsWith('.page.ts'));
  await build({
    // [dir] keeps the staff pages' scripts in staff/, beside their HTML.
    entryPoints: [
      ...entries.map((f) => join(siteDir, 'src', f)),
      ...staffEntries.map((f) => join(siteDir, 'src', 'staff', f)),
    ],
    outdir: outDir,
    outbase: join(siteDir, 'src'),
    entryNames: '[dir]/[name]',
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'safari16', 'firefox115'],
    charset: 'utf8',
    logLevel: 'silent',
  });
  await mkdir(join(outDir, 'staff'), { recursive: true });
  const withConnectSrc = (html: string) =>
    connectSrc.length > 0
      ? html.replace("connect-src 'self' https:", `connect-src 'self' https: ${connectSrc.join(' ')}`)
      : html;
  for (const file of await readdir(siteDir)) {
    const from = join(siteDir, file);
    const to = join(outDir, file);
    if (file.endsWith('.html')) await writeFile(to, withConnectSrc(await readFile(from, 'utf8')));
    else if (/\.(css|svg|ico)$/.test(file)) await copyFile(from, to);
  }
  // The console's pages differ only in their title and script: each is written from one page
  // (staff/page.html) and its line in staff/pages.json.
  const staffDir = join(siteDir, 'staff');
  const template = await readFile(join(staffDir, 'page.html'), 'utf8');
  const pages = JSON.parse(await readFile(join(staffDir, 'pages.json'), 'utf8')) as Record<
    string,
    { title: string; script: string }
  >;
  const scripts = new Set(staffEntries.map((f) => f.replace(/\.ts$/, '.js')));
  const listed = new Set(Object.values(pages).map((p) => p.script));
  const unlisted = [...scripts].filter((s) => !listed.has(s));
  const missing = [...listed].filter((s) => !scripts.has(s));
  if (unlisted.length > 0 || missing.length > 0) {
    throw new Error(
      `site/staff/pages.json and site/src/staff/*.page.ts disagree: no page for ${unlisted.join(', ') || 'none'}; no script for ${missing.join(', ') || 'none'}`,
    );
  }
  for (const [file, page] of Object.entries(pages)) {
    const html = template.replace('{{title}}', page.title).replace('{{script}}', page.script);
    await writeFile(join(outDir, 'staff', file), withConnectSrc(html));
  }
  for (const file of await readdir(staffDir)) {
    if (/\.(css|svg|ico)$/.test(file)) await copyFile(join(staffDir, file), join(outDir, 'staff', file));
  }
  await writeFile(join(outDir, 'config.json'), JSON.stringify(config));
}

/** Replaces `finalDir` by `outDir`; retried when another build swapped its own in meanwhile. */
async function swapIn(outDir: string, finalDir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const oldDir = `${finalDir}.old-${process.pid}-${Date.now()}-${attempt}`;
    await rename(finalDir, oldDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    try {
      await rename(outDir, finalDir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw error;
    } finally {
      await rm(oldDir, { recursive: true, force: true });
    }
  }
}
