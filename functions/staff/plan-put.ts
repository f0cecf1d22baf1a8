// PUT /staff/programs/{programId}/plans/{year} { units: [{ unit, people: { role: n }, enterprises }] }:
// province staff replace the year's plans (audited per unit); the stored plan is the answer.

import { httpHandler } from '#shared/http/handler.ts';
import { PlanRequestSchema, setYearPlan } from '#shared/use-cases/plans/yearly-plans.ts';
import { planServices } from '#shared/wiring/plan-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({ body: PlanRequestSchema }, async (req) => ({
  statusCode: 200,
  body: await setYearPlan(planServices(), staffPrincipal(req.claims), {
    programId: req.pathParameters.programId ?? '',
    year: req.pathParameters.year ?? '',
    request: req.body,
  }),
  headers: { 'cache-control': 'no-store' },
}));
