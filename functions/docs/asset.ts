// GET /docs/assets/{asset}: the API reference's renderer (Swagger UI from swagger-ui-dist, read
// from the installed package: in the Lambda bundle the CDK app copies the two files under
// node_modules/ beside index.mjs) and the page's own start-up script and style sheet. Gzipped for clients that
// accept it: the renderer is 1.8 MB as it is, about a quarter of that gzipped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { NotFoundError } from '#shared/domain/errors.ts';
import { DOCS_ASSETS, type DocsAsset } from '#shared/http/docs-page.ts';
import { httpHandler } from '#shared/http/handler.ts';

const fromPackage = createRequire(import.meta.url);

interface Loaded {
  contentType: string;
  plain: Buffer;
  gzipped: Buffer;
}

const loaded = new Map<DocsAsset, Loaded>();

/** Read and compressed once per container, on first use. */
function load(name: DocsAsset): Loaded {
  const known = loaded.get(name);
  if (known) return known;
  const asset = DOCS_ASSETS[name];
  const plain = asset.file
    ? readFileSync(fromPackage.resolve(asset.file))
    : Buffer.from(asset.text ?? '', 'utf8');
  const entry = { contentType: asset.contentType, plain, gzipped: gzipSync(plain, { level: 9 }) };
  loaded.set(name, entry);
  return entry;
}

function isAsset(name: string | undefined): name is DocsAsset {
  return name !== undefined && Object.hasOwn(DOCS_ASSETS, name);
}

export const handler = httpHandler({}, async (req) => {
  const name = req.pathParameters.asset;
  if (!isAsset(name)) throw new NotFoundError('asset');
  const asset = load(name);
  const gzip = /\bgzip\b/i.test(req.headers['accept-encoding'] ?? '');
  return {
    statusCode: 200,
    file: { contentType: asset.contentType, filename: name, data: gzip ? asset.gzipped : asset.plain },
    headers: {
      // A script or style sheet of the page, not a download.
      'content-disposition': 'inline',
      'cache-control': 'public, max-age=3600',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  };
});
