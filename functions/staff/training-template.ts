// GET /staff/programs/{programId}/training/template: the empty pass-list workbook.

import { getProgram } from '#shared/domain/programs/index.ts';
import { authorize } from '#shared/domain/staff.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { passListTemplate } from '#shared/use-cases/imports/pass-list-sheet.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => {
  const program = getProgram(req.pathParameters.programId ?? '');
  const principal = staffPrincipal(req.claims);
  const unit = principal.scopes.find((s) => s.programId === program.id)?.unit;
  authorize(principal, 'training', { programId: program.id, ...(unit ? { unit } : {}) });
  return {
    statusCode: 200,
    file: {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename: `培训合格名单模板-${program.id}.xlsx`,
      data: await passListTemplate(program),
    },
  };
});
