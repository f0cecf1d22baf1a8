// POST /staff/programs/{programId}/returns/{year}: province staff open the year's annual
// return. 202 whatever happened before: one execution per programme and year, so a repeat
// changes nothing and its body says `already_started` (or `closed`).

import { httpHandler } from '#shared/http/handler.ts';
import { startReturns } from '#shared/use-cases/returns/start.ts';
import { returnStartServices } from '#shared/wiring/return-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => {
  const answer = await startReturns(
    returnStartServices(),
    staffPrincipal(req.claims),
    req.pathParameters.programId ?? '',
    req.pathParameters.year ?? '',
  );
  return { statusCode: 202, body: answer, headers: { 'cache-control': 'no-store' } };
});
