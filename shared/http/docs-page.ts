// The API reference page: Swagger UI (swagger-ui-dist, served by our own docs asset route, no
// CDN) rendering /openapi.json. The page is a shell: no inline script, the renderer and the
// few lines that start it are scripts of this origin, under a policy of its own.
import { escapeHtml } from './html.ts';

/** Where the page loads its assets from, relative to /docs (so a stage prefix in the URL still works). */
export const DOCS_ASSET_BASE = 'docs/assets';

export type DocsAsset = 'swagger-ui.js' | 'swagger-ui.css' | 'init.js' | 'docs.css';

/**
 * The page's only Content-Security-Policy (it replaces the page policy of the HTTP chain, so
 * there is still exactly one). Scripts, style sheets and fetches of this origin only, and no
 * 'unsafe-inline' for either: Swagger UI needs no eval, loads the document with fetch, and
 * sets the styles of its components through the DOM (which a policy does not govern), so the
 * browser test finds no violation with style-src 'self'. Our own page styles are a style sheet
 * of this origin too. Images are Swagger UI's icons, which it embeds as data: URLs.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Starts Swagger UI on the document beside the page. No validator badge (it would send the
 * document to a third party). No deep links: they put a link inside each operation's toggle
 * button, which assistive technology cannot reach (axe: nested-interactive). The servers
 * choice gets the accessible name its visible label does not give it.
 */
export const DOCS_INIT_SCRIPT = `'use strict';
window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('openapi.json', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: false,
    validatorUrl: null,
    displayOperationId: true,
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 2,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    onComplete: function () {
      var servers = document.getElementById('servers');
      if (servers) servers.setAttribute('aria-label', 'Servers / 服务地址');
    },
  });
});
`;

/**
 * Our page's own styles: the heading above Swagger UI in its fonts and colours, and darker
 * shades where Swagger UI's own colours are below the contrast WCAG asks for (the method
 * badges, the version badges, links and the Authorize button).
 */
export const DOCS_STYLE = `body{margin:0}
.docs-heading{font:600 1rem/1.5 sans-serif;margin:1rem 20px 0;color:#3b4151}
noscript p{font:1rem/1.5 sans-serif;margin:1rem 20px}
.swagger-ui .opblock.opblock-get .opblock-summary-method{background:#0d5aa7}
.swagger-ui .opblock.opblock-post .opblock-summary-method{background:#1b6e44}
.swagger-ui .opblock.opblock-put .opblock-summary-method{background:#8a4b00}
.swagger-ui .info .title small{background:#4f5660}
.swagger-ui .info .title small.version-stamp{background:#3d6b05}
.swagger-ui .info .title small pre{color:#fff}
.swagger-ui .url,.swagger-ui .info a{color:#1f5fa8}
.swagger-ui .btn.authorize{color:#1b6e44;border-color:#1b6e44}
.swagger-ui .btn.authorize span{color:#1b6e44}
.swagger-ui .btn.authorize svg{fill:#1b6e44}
`;

/**
 * The assets the docs asset route serves: the renderer's two files (`package/file`, read from the
 * installed package) and our own start-up script and style sheet (`text`).
 */
export const DOCS_ASSETS: Readonly<Record<DocsAsset, { contentType: string; file?: string; text?: string }>> =
  {
    'swagger-ui.js': {
      contentType: 'text/javascript; charset=utf-8',
      file: 'swagger-ui-dist/swagger-ui-bundle.js',
    },
    'swagger-ui.css': { contentType: 'text/css; charset=utf-8', file: 'swagger-ui-dist/swagger-ui.css' },
    'init.js': { contentType: 'text/javascript; charset=utf-8', text: DOCS_INIT_SCRIPT },
    'docs.css': { contentType: 'text/css; charset=utf-8', text: DOCS_STYLE },
  };

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
<link rel="stylesheet" href="${asset('docs.css')}">
</head>
<body>
<main>
<h1 class="docs-heading">接口说明 · <span lang="en">API reference</span></h1>
<noscript><p>本页需要 JavaScript。接口文档（OpenAPI 3.1）：<a href="openapi.json">openapi.json</a>。
<span lang="en">This page needs JavaScript. The OpenAPI 3.1 document: <a href="openapi.json">openapi.json</a>.</span></p></noscript>
<div id="swagger-ui"></div>
</main>
<script src="${asset('swagger-ui.js')}"></script>
<script src="${asset('init.js')}"></script>
</body>
</html>`;
}
