// GET /openapi.json: the OpenAPI 3.1 document.
import { httpHandler } from '#shared/http/handler.ts';
import { openApiDocument } from '#shared/http/openapi.ts';

const document = openApiDocument();

export const handler = httpHandler({}, async () => ({
  statusCode: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
