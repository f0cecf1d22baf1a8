// Enterprise coverage in the target-progress report (domain.md §7: Anhui's report gives coverage of 规模以上 and
// 战略性新兴产业 enterprises), for a programme whose configuration asks for it. Per reporting unit: the enterprises
// (by credit code) with at least one member of the coverage roles now (Anhui: a registered 企业标准总监), and of them
// those the filing declares 规上企业 and those with a 战略性新兴产业. How many such enterprises a unit has at all is not
// in our data: where the programme's configuration gives a unit's figure (coverage.base), the share is shown beside
// the count, else the share is null.
//
// A current figure: the counters keep coverage as it is now (shared/data/coverage-item.ts), one item per unit, so the
// read does not grow with people or years, and no closed-year summary is involved. A report as of a past date shows
// today's coverage and says so in its notes.
import * as z from 'zod/mini';
import type { Program } from '../../domain/programs/program.ts';
import type { CoverageRecord } from '../../ports/counters.ts';

const localized = z.object({ zh: z.string(), en: z.string() });
const count = z.number().check(z.int());

export const CoverageFiguresSchema = z.object({
  /** Enterprises with at least one member of the coverage roles. */
  covered: count,
  /** Of them, those declared 规上企业. */
  aboveScale: count,
  /** Of them, those in a 战略性新兴产业. */
  emerging: count,
  /** The 规上 enterprises the unit has, from the programme's configuration (null: not given). */
  aboveScaleBase: z.nullable(count),
  emergingBase: z.nullable(count),
  /** aboveScale / aboveScaleBase (0–1, four decimals), null without a base. */
  aboveScaleShare: z.nullable(z.number()),
  emergingShare: z.nullable(z.number()),
});

export const CoverageUnitSchema = z.extend(CoverageFiguresSchema, {
  unit: z.string(),
  name: localized,
  /** False for a code the counters hold but the programme no longer lists. */
  configured: z.boolean(),
});

export const CoverageReportSchema = z.object({
  /** The roles whose members make an enterprise covered (Anhui: director). */
  roles: z.array(z.string()),
  /** The date the figures describe: the report's generation day (they are current, not as of asOf). */
  through: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  /** Where the units' 规上 / 战略性新兴产业 enterprise figures come from; null when none are configured. */
  baseSource: z.nullable(localized),
  totals: CoverageFiguresSchema,
  units: z.array(CoverageUnitSchema),
});

export type CoverageFigures = z.infer<typeof CoverageFiguresSchema>;
export type CoverageReport = z.infer<typeof CoverageReportSchema>;

const share = (n: number, base: number | null) => (base ? Math.round((n / base) * 10_000) / 10_000 : null);

function figures(
  cells: CoverageRecord['cells'],
  base: { aboveScale?: number | undefined; emerging?: number | undefined } | undefined,
): CoverageFigures {
  const above = (cells.above_emerging ?? 0) + (cells.above_only ?? 0);
  const emerging = (cells.above_emerging ?? 0) + (cells.emerging_only ?? 0);
  const covered = above + (cells.emerging_only ?? 0) + (cells.neither ?? 0);
  const aboveScaleBase = base?.aboveScale ?? null;
  const emergingBase = base?.emerging ?? null;
  return {
    covered,
    aboveScale: above,
    emerging,
    aboveScaleBase,
    emergingBase,
    aboveScaleShare: share(above, aboveScaleBase),
    emergingShare: share(emerging, emergingBase),
  };
}

/** The coverage section, or undefined where the programme counts none or the counters cannot say. */
export function coverageReport(input: {
  program: Program;
  records: readonly CoverageRecord[] | undefined;
  today: string;
}): CoverageReport | undefined {
  const config = input.program.coverage;
  if (!config || !input.records) return undefined;
  const byUnit = new Map<string, CoverageRecord['cells']>();
  for (const r of input.records) {
    const cells = byUnit.get(r.unit) ?? {};
    for (const [cell, n] of Object.entries(r.cells) as [keyof CoverageRecord['cells'], number][]) {
      cells[cell] = (cells[cell] ?? 0) + n;
    }
    byUnit.set(r.unit, cells);
  }
  const configured = new Map(input.program.reportingUnits.map((u) => [u.code, u.name]));
  const extra = [...byUnit.keys()].filter((u) => !configured.has(u)).sort();
  const baseOf = (unit: string) => config.base?.units[unit];
  const units = [...input.program.reportingUnits.map((u) => u.code), ...extra].map((unit) => ({
    unit,
    name: configured.get(unit) ?? { zh: unit, en: unit },
    configured: configured.has(unit),
    ...figures(byUnit.get(unit) ?? {}, baseOf(unit)),
  }));
  // A province-wide share only when every unit of the programme has its figure: a sum over some units would
  // understate the base and overstate the share.
  const allHave = (key: 'aboveScale' | 'emerging') =>
    input.program.reportingUnits.every((u) => baseOf(u.code)?.[key] !== undefined);
  const sum = (key: 'aboveScaleBase' | 'emergingBase') => units.reduce((n, u) => n + (u[key] ?? 0), 0);
  const cells: CoverageRecord['cells'] = {};
  for (const c of byUnit.values()) {
    for (const [cell, n] of Object.entries(c) as [keyof CoverageRecord['cells'], number][]) {
      cells[cell] = (cells[cell] ?? 0) + n;
    }
  }
  const totals = figures(cells, {
    ...(allHave('aboveScale') ? { aboveScale: sum('aboveScaleBase') } : {}),
    ...(allHave('emerging') ? { emerging: sum('emergingBase') } : {}),
  });
  return {
    roles: [...config.roles],
    through: input.today,
    baseSource: config.base?.source ?? null,
    totals,
    units,
  };
}
