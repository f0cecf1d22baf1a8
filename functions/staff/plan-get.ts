// GET /staff/programs/{programId}/plans/{year}: the units' yearly plans (年度发展计划) of a year.
import { planServices } from '#shared/adapters/plan-services.ts';
import { staffPrincipal } from '#shared/adapters/staff-services.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { getYearPlan } from '#shared/use-cases/plans/yearly-plans.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await getYearPlan(planServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    year: req.pathParameters.year ?? '',
  }),
  headers: { 'cache-control': 'no-store' },
}));
