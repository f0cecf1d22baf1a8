// GET /docs/assets/{asset}: the renderer's files as the package has them, gzipped when the client
// accepts it; anything else is 404. And the Lambda bundle: built as the CDK app builds it, with
// the files copied beside it, it serves the same bytes outside the repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyPackageFilesCommands, ESBUILD_OPTIONS } from '#infra/bundling.ts';
import { FUNCTION_NEEDS } from '#infra/functions.ts';
import { ROOT } from '#infra/paths.ts';
import { DOCS_INIT_SCRIPT, DOCS_STYLE } from '#shared/http/docs-page.ts';
import { logger } from '#shared/observability/logger.ts';
import { testContext, testEvent } from '../../test/support/lambda-event.ts';
import { handler } from './asset.ts';

const resolve = createRequire(import.meta.url).resolve;
const BUNDLE = readFileSync(resolve('swagger-ui-dist/swagger-ui-bundle.js'));
const CSS = readFileSync(resolve('swagger-ui-dist/swagger-ui.css'));

beforeAll(() => {
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
});

async function get(asset: string, headers: Record<string, string> = {}) {
  return (await handler(
    testEvent({ method: 'GET', path: '/docs/assets/{asset}', pathParameters: { asset }, headers }),
    testContext(),
  )) as APIGatewayProxyStructuredResultV2;
}

const bytes = (answer: APIGatewayProxyStructuredResultV2) => Buffer.from(String(answer.body), 'base64');

describe('GET /docs/assets/{asset}', () => {
  it('serves the renderer as the package has it, a script to run and not a download', async () => {
    const answer = await get('swagger-ui.js');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers?.['content-disposition']).toBe('inline');
    expect(answer.headers?.['x-content-type-options']).toBe('nosniff');
    expect(answer.headers?.['content-encoding']).toBeUndefined();
    expect(bytes(answer).equals(BUNDLE)).toBe(true);
  });

  it('gzips for a client that accepts it, and says the answer varies with that', async () => {
    const answer = await get('swagger-ui.css', { 'accept-encoding': 'br, gzip, deflate' });
    expect(answer.headers?.['content-type']).toBe('text/css; charset=utf-8');
    expect(answer.headers?.['content-encoding']).toBe('gzip');
    expect(answer.headers?.vary).toBe('accept-encoding');
    const zipped = bytes(answer);
    expect(zipped.length).toBeLessThan(CSS.length / 3);
    expect(gunzipSync(zipped).equals(CSS)).toBe(true);
  });

  it('serves the page’s own start-up script and style sheet', async () => {
    const script = await get('init.js');
    expect(script.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bytes(script).toString('utf8')).toBe(DOCS_INIT_SCRIPT);
    const style = await get('docs.css');
    expect(style.headers?.['content-type']).toBe('text/css; charset=utf-8');
    expect(bytes(style).toString('utf8')).toBe(DOCS_STYLE);
  });

  it.each([
    'index.html',
    'swagger-ui-bundle.js',
    '..%2Fpackage.json',
    '../package.json',
    'constructor',
    '__proto__',
    'hasOwnProperty',
  ])('answers %s with the 404 of an unknown resource', async (name) => {
    const answer = await get(name);
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(String(answer.body)).errors[0].code).toBe('not_found');
  });
});

describe('the Lambda bundle of the asset function', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sso-docs-asset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the renderer files the CDK app copies beside it, with no repository around', async () => {
    const files = FUNCTION_NEEDS.docsAsset?.packageFiles ?? [];
    expect(files.length).toBe(2);
    await build({
      ...ESBUILD_OPTIONS,
      entryPoints: [join(ROOT, 'functions/docs/asset.ts')],
      outfile: join(dir, 'index.mjs'),
    });
    for (const command of copyPackageFilesCommands(ROOT, dir, files)) execFileSync('bash', ['-c', command]);
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { handler } from './index.mjs';
const answer = await handler({ version: '2.0', routeKey: 'GET /docs/assets/{asset}', rawPath: '/docs/assets/swagger-ui.js',
  rawQueryString: '', headers: {}, pathParameters: { asset: 'swagger-ui.js' },
  requestContext: { http: { method: 'GET', path: '/docs/assets/swagger-ui.js' }, requestId: 'probe' }, isBase64Encoded: false },
  { getRemainingTimeInMillis: () => 10000 });
process.stdout.write(JSON.stringify({ status: answer.statusCode, length: Buffer.from(answer.body, 'base64').length }));`,
    );
    const out = execFileSync(process.execPath, [probe], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    const result = JSON.parse(out.toString().trim().split('\n').at(-1) ?? '{}');
    expect(result).toEqual({ status: 200, length: BUNDLE.length });
  }, 180_000);
});

describe('copyPackageFilesCommands', () => {
  it('refuses what is not a file of a package', () => {
    for (const bad of ['../etc/passwd', 'swagger-ui-dist/../../x', 'a b/c', 'x', 'pkg/"; rm -rf /']) {
      expect(() => copyPackageFilesCommands('/in', '/out', [bad])).toThrow(/not a package file/);
    }
    expect(copyPackageFilesCommands('/in', '/out', ['@scope/pkg/dist/a.js'])).toEqual([
      'mkdir -p "/out/node_modules/@scope/pkg/dist" && cp "/in/node_modules/@scope/pkg/dist/a.js" "/out/node_modules/@scope/pkg/dist/a.js"',
    ]);
  });
});
