// How a Lambda entry is bundled, in one place: the CDK app's NodejsFunction and the bundle
// benchmark use the same esbuild options (minified ESM for Node 24, AWS SDK bundled, a
// `require` shim for CommonJS dependencies).
import type { BuildOptions } from 'esbuild';

/** The banner that gives bundled CommonJS dependencies a `require` for Node built-ins. */
export const REQUIRE_SHIM =
  "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

export const ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  legalComments: 'none',
  banner: { js: REQUIRE_SHIM },
};
