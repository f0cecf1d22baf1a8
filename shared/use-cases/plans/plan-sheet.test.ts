import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { ForbiddenError, ValidationError } from '../../domain/errors.ts';
import type { YearPlan } from '../../domain/plans.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import type { AccessEntry } from '../../ports/staff.ts';
import { PLAN_HELP_SHEET_NAME, PLAN_SHEET_NAME, planTemplate, readPlanWorkbook } from './plan-sheet.ts';
import { uploadYearPlan, yearPlanTemplate } from './yearly-plan-sheets.ts';
import type { PlanDeps } from './yearly-plans.ts';

/** The template filled in by a second spreadsheet library (SheetJS), cells as an office types them. */
async function filledBySheetJs(template: Buffer, cells: Record<string, string | number>): Promise<Buffer> {
  const book = XLSX.read(template, { type: 'buffer' });
  const sheet = book.Sheets[PLAN_SHEET_NAME] as XLSX.WorkSheet;
  for (const [address, value] of Object.entries(cells))
    XLSX.utils.sheet_add_aoa(sheet, [[value]], { origin: address });
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

function memoryPlans() {
  const plans = new Map<string, YearPlan>();
  const access: AccessEntry[] = [];
  const deps: PlanDeps = {
    plans: {
      async get(programId, year) {
        return plans.get(`${programId}#${year}`) ?? { programId, year, units: [], setAt: null, setBy: null };
      },
      async put(plan, entries) {
        plans.set(`${plan.programId}#${plan.year}`, plan);
        access.push(...entries);
      },
    },
    now: () => new Date('2026-01-10T02:00:00Z'),
  };
  return { deps, plans, access };
}
const province = { subject: 'p1', scopes: [{ role: 'province' as const, programId: liaoningCso.id }] };

describe('the yearly plan workbook', () => {
  it('lists every unit with a column per role, instructions in a sheet and input messages, no notes', async () => {
    const template = await planTemplate(liaoningCso);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    const sheet = book.getWorksheet(PLAN_SHEET_NAME);
    expect(sheet?.getRow(1).values).toEqual([
      undefined,
      '单位代码',
      '备案单位',
      ...liaoningCso.roles.map((r) => `${r.name.zh}人数`),
      '企业数',
    ]);
    expect(sheet?.rowCount).toBe(liaoningCso.reportingUnits.length + 1);
    expect(sheet?.getCell('A2').value).toBe('210100');
    expect(book.getWorksheet(PLAN_HELP_SHEET_NAME)?.rowCount).toBeGreaterThan(5);
    const zip = await JSZip.loadAsync(template);
    expect(Object.keys(zip.files).some((name) => /comments|vmlDrawing/.test(name))).toBe(false);
    const xml = await zip.file('xl/worksheets/sheet1.xml')?.async('string');
    expect(xml).toContain('promptTitle="企业数"');
  });

  it('reads a template filled in by another program, units in sheet order with their rows', async () => {
    const template = await planTemplate(liaoningCso);
    // Shenyang (row 2): 12 CSOs, 30 specialists, 20 enterprises; Dalian (row 3): 4 directors; the rest blank.
    const filled = await filledBySheetJs(template, { C2: 12, E2: '３０', F2: 20, D3: '4' });
    const { request, rows } = await readPlanWorkbook(liaoningCso, filled);
    expect(request.units).toEqual([
      { unit: '210100', people: { cso: 12, specialist: 30 }, enterprises: 20 },
      { unit: '210200', people: { director: 4 } },
    ]);
    expect(rows).toEqual([2, 3]);
  });

  it('refuses the whole file naming every bad cell', async () => {
    const template = await planTemplate(liaoningCso);
    const filled = await filledBySheetJs(template, { C2: -1, D3: '4.5', F4: 'many', C5: 3 });
    const attempt = await readPlanWorkbook(liaoningCso, filled).catch((e: unknown) => e);
    expect(attempt).toBeInstanceOf(ValidationError);
    expect((attempt as ValidationError).issues.map((i) => i.path)).toEqual([
      'rows.2.首席标准官人数',
      'rows.3.标准总监人数',
      'rows.4.企业数',
    ]);
    expect((attempt as ValidationError).issues[0]?.message.zh).toContain('第 2 行');
    const notAWorkbook = await readPlanWorkbook(
      liaoningCso,
      new TextEncoder().encode('单位代码,企业数'),
    ).catch((e: unknown) => e);
    expect((notAWorkbook as ValidationError).issues[0]?.code).toBe('unreadable_file');
  });

  it('an upload replaces the year’s plans, names a foreign unit by its row, and is the province’s', async () => {
    const { deps, plans, access } = memoryPlans();
    const template = await yearPlanTemplate(deps, province, { programId: liaoningCso.id, year: '2026' });
    const filled = await filledBySheetJs(template, { C2: 5, F3: 7 });
    const plan = await uploadYearPlan(deps, province, {
      programId: liaoningCso.id,
      year: '2026',
      fileName: '计划.xlsx',
      workbook: filled,
    });
    expect(plan.units).toEqual([
      { unit: '210100', people: { cso: 5 } },
      { unit: '210200', people: {}, enterprises: 7 },
    ]);
    expect(access.map((a) => [a.unit, a.what])).toEqual([
      ['210100', 'plan:2026'],
      ['210200', 'plan:2026'],
    ]);
    expect(access[0]?.reason).toContain('计划.xlsx');
    // The next template carries the plans set.
    const again = await readPlanWorkbook(
      liaoningCso,
      await yearPlanTemplate(deps, province, { programId: liaoningCso.id, year: '2026' }),
    );
    expect(again.request.units).toEqual(plan.units);
    // A unit code the programme does not have, typed over a row: refused at that row, nothing stored.
    const foreign = await filledBySheetJs(template, { A4: '340100', C4: 1 });
    const refused = await uploadYearPlan(deps, province, {
      programId: liaoningCso.id,
      year: '2027',
      workbook: foreign,
    }).catch((e: unknown) => e);
    expect((refused as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
      ['rows.4.unit', 'unknown_unit'],
    ]);
    expect(plans.has(`${liaoningCso.id}#2027`)).toBe(false);
    const anhui = { subject: 'p2', scopes: [{ role: 'province' as const, programId: anhuiStdDirector.id }] };
    await expect(
      uploadYearPlan(deps, anhui, { programId: liaoningCso.id, year: '2026', workbook: filled }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
