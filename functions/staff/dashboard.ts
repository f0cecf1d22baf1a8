// GET /staff/programs/{programId}/dashboard: progress against the target and the yearly
// plans, and the work waiting, for the caller's units (city staff: their own).

import { httpHandler } from '#shared/http/handler.ts';
import { staffDashboard } from '#shared/use-cases/staff/dashboard.ts';
import { dashboardServices } from '#shared/wiring/dashboard-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await staffDashboard(dashboardServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
  }),
  headers: { 'cache-control': 'no-store' },
}));
