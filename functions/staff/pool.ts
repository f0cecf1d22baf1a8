// GET /staff/programs/{programId}/pool?unit&role&limit&cursor: the programme's members, masked
// (the talent pool, or the registered people where the review ends at the city).

import { httpHandler } from '#shared/http/handler.ts';
import { poolMembers } from '#shared/use-cases/staff/staff-filings.ts';
import { staffPrincipal, staffServices } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => {
  const { status: _ignored, ...query } = req.query;
  return {
    statusCode: 200,
    body: await poolMembers(staffServices(), staffPrincipal(req.claims), {
      ...query,
      programId: req.pathParameters.programId ?? '',
    }),
    headers: { 'cache-control': 'no-store' },
  };
});
