// One full synthesis as `npm run synth` does it (handlers bundled by esbuild, CloudFormation
// template validation on), and the China stage validated against its region's resource types.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRE_SHIM } from '#infra/bundling.ts';
import { allFunctions } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import { build, resourcesOf } from './support.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function violations(outdir: string): string[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      violations?: { ruleName: string; violatingResources?: { constructPath?: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((p) =>
    (p.violations ?? []).map((v) => `${v.ruleName} ${v.violatingResources?.[0]?.constructPath ?? ''}`),
  );
}

describe('full synthesis', () => {
  it('bundles every function as ESM for Node 24 and passes template validation and cdk-nag', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sso-synth-'));
    dirs.push(outdir);
    const built = build('dev', { bundle: true, validate: true, outdir });
    built.app.synth();
    expect(violations(outdir)).toEqual([]);
    // The outbox's function is in the stateless stack's nested stack (infra/constructs/outbox.ts).
    const fns = {
      ...resourcesOf(built.statelessTemplate, 'AWS::Lambda::Function'),
      ...resourcesOf(Template.fromStack(built.stateless.outbox), 'AWS::Lambda::Function'),
    };
    let ours = 0;
    for (const fn of Object.values(fns)) {
      const meta = fn.Metadata as Record<string, string>;
      if (meta['aws:cdk:path']?.includes('Custom::CDKBucketDeployment')) continue;
      ours++;
      const asset = join(outdir, meta['aws:asset:path'] ?? 'missing');
      const code = readFileSync(join(asset, 'index.mjs'), 'utf8');
      expect(code.startsWith(REQUIRE_SHIM)).toBe(true);
      expect(code).toMatch(/export\{[^}]*as handler\}/);
      expect(existsSync(join(asset, 'index.mjs.map'))).toBe(true);
      // The AWS SDK is bundled, not taken from the runtime.
      expect(code).not.toMatch(/from"@aws-sdk\//);
    }
    expect(ours).toBe(allFunctions().length);
  });

  it('uses in the China regions only resource types that exist there', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'sso-synth-cn-'));
    dirs.push(outdir);
    const built = build('liaoning', { validate: true, outdir });
    built.app.synth();
    expect(violations(outdir)).toEqual([]);
  });

  it('runs through `npm run synth` without a single network request', async () => {
    // Every HTTP(S) client the CLI could use is sent to a proxy on loopback that counts what arrives.
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(502).end();
    });
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const outdir = mkdtempSync(join(tmpdir(), 'sso-cli-'));
    dirs.push(outdir);
    try {
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [join(ROOT, 'infra/cdk.ts'), 'synth', '--stage', 'dev', '--output', outdir],
          {
            cwd: ROOT,
            env: {
              ...process.env,
              HTTP_PROXY: url,
              HTTPS_PROXY: url,
              http_proxy: url,
              https_proxy: url,
              NO_PROXY: '',
            },
            stdio: 'ignore',
          },
        );
        child.on('exit', resolve);
      });
      expect(code).toBe(0);
      expect(existsSync(join(outdir, 'StandardsOfficer-dev-Stateless.template.json'))).toBe(true);
      expect(seen).toEqual([]);
    } finally {
      proxy.close();
    }
  });
});
