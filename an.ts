import { bundle } from './bench/lib/bundle.ts';
const b = await bundle({ path: process.argv[2] ?? '' }, '/tmp/an/x.mjs');
const byPkg = new Map<string, number>();
const out = Object.values(b.metafile.outputs)[0];
for (const [file, info] of Object.entries(out?.inputs ?? {})) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const k = m?.[1] ?? file;
  byPkg.set(k, (byPkg.get(k) ?? 0) + info.bytesInOutput);
}
console.log([...byPkg].sort((a,b)=>b[1]-a[1]).slice(0,40).map(([k,v])=>`${k} ${(v/1024).toFixed(1)}KB`).join('\n'));
