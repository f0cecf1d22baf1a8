// The API reference page: Swagger UI (swagger-ui-dist, served by our own docs asset route, no
// CDN) rendering /openapi.json. The page is a shell: no inline script, the renderer and the
// few lines that start it are scripts of this origin, under a policy of its own.
import { escapeHtml } from './html.ts';

/** Where the page loads its assets from, relative to /docs (so a stage prefix in the URL still works). */
export const DOCS_ASSET_BASE = 'docs/assets';

export type DocsAsset = 'swagger-ui.js' | 'swagger-ui.css' | 'init.js';

/** The assets the docs asset route serves: the renderer's two files (`package/file`) and our start-up script. */
export const DOCS_ASSETS: Readonly<Record<DocsAsset, { contentType: string; file?: string }>> = {
  'swagger-ui.js': {
    contentType: 'text/javascript; charset=utf-8',
    file: 'swagger-ui-dist/swagger-ui-bundle.js',
  },
  'swagger-ui.css': { contentType: 'text/css; charset=utf-8', file: 'swagger-ui-dist/swagger-ui.css' },
  'init.js': { contentType: 'text/javascript; charset=utf-8' },
};

/**
 * The page's only Content-Security-Policy (it replaces the page policy of the HTTP chain, so
 * there is still exactly one). Scripts, styles and fetches of this origin only: Swagger UI
 * needs no eval and loads the document with fetch. `style-src` also allows 'unsafe-inline'
 * because Swagger UI's React components write `style` attributes into their markup (the
 * model expanders, the highlighted code blocks); without it those are refused and reported as
 * violations. Inline styles cannot run code, and scripts stay limited to this origin. Images
 * are Swagger UI's icons, which it embeds as data: URLs.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Starts Swagger UI on the document beside the page. No validator badge (it would send the
 * document to a third party), deep links to operations, the models section shown.
 */
export const DOCS_INIT_SCRIPT = `'use strict';
window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('openapi.json', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    displayOperationId: true,
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 2,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** The page: a bilingual heading, a link to the raw document, and the renderer's mount point. */
export function renderDocsPage(title: string): string {
  const asset = (name: DocsAsset) => `${DOCS_ASSET_BASE}/${name}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${asset('swagger-ui.css')}">
</head>
<body>
<main>
<h1 style="font:600 1rem/1.5 sans-serif;margin:1rem 20px 0;color:#3b4151">接口说明 · <span lang="en">API reference</span></h1>
<noscript><p>本页需要 JavaScript。接口文档（OpenAPI 3.1）：<a href="openapi.json">openapi.json</a>。
<span lang="en">This page needs JavaScript. The OpenAPI 3.1 document: <a href="openapi.json">openapi.json</a>.</span></p></noscript>
<div id="swagger-ui"></div>
</main>
<script src="${asset('swagger-ui.js')}"></script>
<script src="${asset('init.js')}"></script>
</body>
</html>`;
}
