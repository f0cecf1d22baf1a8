// POST /staff/filings/{filingId}/remove { reason }: province staff remove a member from the
// pool; the removal event records who and why, and the city is told.

import { httpHandler } from '#shared/http/handler.ts';
import { RemovalRequestSchema, removeMember } from '#shared/use-cases/pool-departure.ts';
import { departureServices } from '#shared/wiring/departure-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({ body: RemovalRequestSchema }, async (req) => ({
  statusCode: 200,
  body: await removeMember(
    departureServices(),
    staffPrincipal(req.claims),
    req.pathParameters.filingId ?? '',
    req.body,
  ),
  headers: { 'cache-control': 'no-store' },
}));
