// GET /staff/programs/{programId}/returns/{year}/nominees: the year's 优秀评选 nominees of every
// unit (masked names), each marked selected or not; province staff, who select.

import { httpHandler } from '#shared/http/handler.ts';
import { listNominees } from '#shared/use-cases/returns/selection.ts';
import { selectionServices } from '#shared/wiring/selection-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await listNominees(selectionServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    year: req.pathParameters.year ?? '',
  }),
  headers: { 'cache-control': 'no-store' },
}));
