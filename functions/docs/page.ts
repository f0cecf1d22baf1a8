// GET /docs: the API reference page (Swagger UI on /openapi.json), with its own policy: scripts
// and style sheets of this origin only (see DOCS_CSP).
import { DOCS_CSP, renderDocsPage } from '#shared/http/docs-page.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

const html = renderDocsPage((openApiDocument().info as { title: string }).title);

export const handler = httpHandler({ html: true }, async () => ({
  statusCode: 200,
  html,
  headers: { 'cache-control': 'public, max-age=300', 'content-security-policy': DOCS_CSP },
}));
