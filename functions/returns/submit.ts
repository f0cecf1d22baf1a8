// POST /return/{token}: an enterprise's return, or the city's acknowledgement, from the page's form.

import { httpHandler } from '#shared/http/handler.ts';
import { postReturn } from '#shared/use-cases/returns/pages.ts';
import { returnPageServices } from '#shared/wiring/return-services.ts';

export const handler = httpHandler({ html: true, form: true }, async (req) => {
  const result = await postReturn(
    returnPageServices(),
    req.pathParameters.token ?? '',
    req.body ?? new URLSearchParams(),
  );
  return { statusCode: result.status, html: result.html, headers: { 'cache-control': 'no-store' } };
});
