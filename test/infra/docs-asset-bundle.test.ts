// The docs asset function as the CDK app bundles it: esbuild's output and, copied beside it under
// node_modules/, the renderer files its packageFiles need names (the afterBundling hook).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { HouseFunction } from '#infra/constructs/house-function.ts';
import { FUNCTION_NEEDS } from '#infra/functions.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the docs asset function’s bundle', () => {
  it('holds the handler and the renderer files, byte for byte as installed', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sso-docs-bundle-'));
    dirs.push(outdir);
    const app = new App({ outdir });
    const stack = new Stack(app, 'DocsBundle');
    const packageFiles = FUNCTION_NEEDS.docsAsset?.packageFiles ?? [];
    expect(packageFiles.length).toBe(2);
    new HouseFunction(stack, 'DocsAsset', {
      entry: 'functions/docs/asset.ts',
      description: 'docs assets',
      logRetention: RetentionDays.ONE_WEEK,
      packageFiles,
    });
    app.synth();
    const assets = readdirSync(outdir).filter(
      (d) => d.startsWith('asset.') && statSync(join(outdir, d)).isDirectory(),
    );
    const bundle = assets.map((d) => join(outdir, d)).find((d) => existsSync(join(d, 'index.mjs')));
    if (!bundle) throw new Error(`no bundle among ${assets.join(', ')}`);
    const resolve = createRequire(import.meta.url).resolve;
    for (const file of packageFiles) {
      const copied = join(bundle, 'node_modules', file);
      expect(existsSync(copied), file).toBe(true);
      expect(readFileSync(copied).equals(readFileSync(resolve(file)))).toBe(true);
    }
  }, 300_000);
});
