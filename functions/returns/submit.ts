// POST /return/{token}: an enterprise's return, or the city's acknowledgement, from the page's form.
import { httpHandler } from '#shared/http/handler.ts';
import { submitReturn } from '#shared/use-cases/returns/pages.ts';
import { langOf, returnPostPage } from '#shared/views/return-pages.ts';
import { returnPageServices } from '#shared/wiring/return-services.ts';

export const handler = httpHandler({ html: true, form: true }, async (req) => {
  const form = req.body ?? new URLSearchParams();
  const outcome = await submitReturn(returnPageServices(), req.pathParameters.token ?? '', form);
  const result = returnPostPage(outcome, langOf(form.get('lang')));
  return { statusCode: result.status, html: result.html, headers: { 'cache-control': 'no-store' } };
});
