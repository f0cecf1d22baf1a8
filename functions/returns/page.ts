// GET /return/{token}[?lang=en]: an enterprise's return form, or the city's summary of its
// unit's returns. It never changes state (mail scanners open links first).
import { httpHandler } from '#shared/http/handler.ts';
import { openReturn } from '#shared/use-cases/returns/pages.ts';
import { langOf, returnPage } from '#shared/views/return-pages.ts';
import { returnPageServices } from '#shared/wiring/return-services.ts';

export const handler = httpHandler({ html: true }, async (req) => {
  const outcome = await openReturn(returnPageServices(), req.pathParameters.token ?? '');
  const result = returnPage(outcome, langOf(req.query.lang));
  return { statusCode: result.status, html: result.html, headers: { 'cache-control': 'no-store' } };
});
