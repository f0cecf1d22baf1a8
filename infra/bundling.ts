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

/**
 * Shell commands (run after esbuild, in the CDK's bundling) that copy files of installed packages
 * into a function's bundle under node_modules/, where the function's `createRequire(...).resolve`
 * finds them as it finds them in the repository: one way to read them, locally and in Lambda.
 */
export function copyPackageFilesCommands(
  inputDir: string,
  outputDir: string,
  files: readonly string[],
): string[] {
  return files.map((file) => {
    if (!/^(@[\w.-]+\/)?[\w.-]+\/[\w./-]+$/.test(file) || file.includes('..')) {
      throw new Error(`not a package file: ${file}`);
    }
    const target = `${outputDir}/node_modules/${file}`;
    return `mkdir -p "${target.slice(0, target.lastIndexOf('/'))}" && cp "${inputDir}/node_modules/${file}" "${target}"`;
  });
}
