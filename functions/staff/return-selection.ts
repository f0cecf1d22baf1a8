// GET /staff/programs/{programId}/returns/{year}/selection?format=json|csv|xlsx: the publishable
// 优秀评选 list (names only with the person's consent to publication; province and auditors).

import { type HttpResult, httpHandler } from '#shared/http/handler.ts';
import { publishedSelection } from '#shared/use-cases/returns/published-selection.ts';
import { selectionServices } from '#shared/wiring/selection-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req): Promise<HttpResult> => {
  const answer = await publishedSelection(selectionServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    year: req.pathParameters.year ?? '',
    ...(req.query.format !== undefined ? { format: req.query.format } : {}),
  });
  if ('entries' in answer) return { statusCode: 200, body: answer, headers: { 'cache-control': 'no-store' } };
  return {
    statusCode: 200,
    file: { contentType: answer.contentType, filename: answer.filename, data: answer.data },
    headers: { 'x-row-count': String(answer.count), 'x-access-logged': String(answer.logged) },
  };
});
