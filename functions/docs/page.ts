// GET /docs: the API reference page.
import { renderDocsPage } from '#shared/http/docs-page.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

const html = renderDocsPage(openApiDocument());

export const handler = httpHandler({ html: true }, async () => ({
  statusCode: 200,
  html,
  headers: { 'cache-control': 'public, max-age=300' },
}));
