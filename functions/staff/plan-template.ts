// GET /staff/programs/{programId}/plans/{year}/template: the year's plan workbook (every unit,
// the year's plans where set), for province staff to fill and upload.

import { httpHandler } from '#shared/http/handler.ts';
import { yearPlanTemplate } from '#shared/use-cases/plans/yearly-plan-sheets.ts';
import { planServices } from '#shared/wiring/plan-services.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => {
  const programId = req.pathParameters.programId ?? '';
  const year = req.pathParameters.year ?? '';
  return {
    statusCode: 200,
    file: {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename: `年度发展计划-${programId}-${year}.xlsx`,
      data: await yearPlanTemplate(planServices(), staffPrincipal(req.claims), { programId, year }),
    },
  };
});
