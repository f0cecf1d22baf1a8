// The `#shared/...` aliases (package.json "imports") must mean the same file to Node,
// TypeScript, esbuild and Vitest; this file is the proof for all four.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { maskMobile } from '#shared/domain/masking.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const target = `${root}shared/domain/masking.ts`;

describe('#shared import alias', () => {
  it('resolves in Vitest', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
  });

  it('resolves in Node (type stripping, no loader)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('#shared/domain/masking.ts'); console.log(m.maskMobile('13912345678'));",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('139****5678');
  });

  it('resolves in TypeScript with the project settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      `${root}tsconfig.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    );
    expect(config).toBeDefined();
    const resolved = ts.resolveModuleName(
      '#shared/domain/masking.ts',
      `${root}functions/any.ts`,
      config?.options ?? {},
      ts.sys,
    );
    expect(resolved.resolvedModule?.resolvedFileName).toBe(target);
  });

  it('resolves in esbuild (the Lambda bundler)', async () => {
    const result = await build({
      stdin: {
        contents:
          "import { maskMobile } from '#shared/domain/masking.ts'; export const x = maskMobile('13700001111');",
        resolveDir: `${root}functions`,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      metafile: true,
    });
    expect(Object.keys(result.metafile.inputs)).toContain('shared/domain/masking.ts');
    const code = result.outputFiles[0]?.text ?? '';
    const mod = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { x: string };
    expect(mod.x).toBe('137****1111');
  });
});
