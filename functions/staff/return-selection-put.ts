// PUT /staff/programs/{programId}/returns/{year}/selection { selected: [filingId…] }: province
// staff replace the year's 优秀评选 selection (nominees only; audited per unit it touches).

import { httpHandler } from '#shared/http/handler.ts';
import { SelectionRequestSchema, setSelection } from '#shared/use-cases/returns/selection.ts';
import { selectionServices } from '#shared/wiring/selection-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({ body: SelectionRequestSchema }, async (req) => ({
  statusCode: 200,
  body: await setSelection(selectionServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    year: req.pathParameters.year ?? '',
    request: req.body,
  }),
  headers: { 'cache-control': 'no-store' },
}));
