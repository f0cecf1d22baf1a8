// GET /staff/programs/{programId}/plans/{year}: the units' yearly plans (年度发展计划) of a year.

import { httpHandler } from '#shared/http/handler.ts';
import { getYearPlan } from '#shared/use-cases/plans/yearly-plans.ts';
import { planServices } from '#shared/wiring/plan-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => ({
  statusCode: 200,
  body: await getYearPlan(planServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    year: req.pathParameters.year ?? '',
  }),
  headers: { 'cache-control': 'no-store' },
}));
