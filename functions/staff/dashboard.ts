// GET /staff/programs/{programId}/dashboard: progress against the target and the yearly
// plans, and the work waiting, for the caller's units (city staff: their own).
import { dashboardServices } from '#shared/adapters/dashboard-services.ts';
import { staffPrincipal } from '#shared/adapters/staff-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { staffDashboard } from '#shared/use-cases/staff/dashboard.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await staffDashboard(dashboardServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
  }),
  headers: { 'cache-control': 'no-store' },
}));
