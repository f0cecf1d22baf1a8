// GET /staff/programs/{programId}/imports/template: the empty import workbook (province staff).

import { getProgram } from '#shared/domain/programs/index.ts';
import { authorize } from '#shared/domain/staff.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { importTemplate } from '#shared/use-cases/imports/import-sheet.ts';
import { staffPrincipal } from '#shared/wiring/staff-services.ts';

export const handler = httpHandler({}, async (req) => {
  const program = getProgram(req.pathParameters.programId ?? '');
  authorize(staffPrincipal(req.claims), 'import', { programId: program.id });
  return {
    statusCode: 200,
    file: {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename: `导入模板-${program.id}.xlsx`,
      data: await importTemplate(program),
    },
  };
});
