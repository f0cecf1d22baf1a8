// The closed years of a programme's counters folded into one summary, so that a report reads
// the summary and the open year's counter items instead of every year's. A year is closed once
// it is over in Asia/Shanghai: every transition counts in the year it happens (now), so nothing
// writes a closed year's counters again and its summary stays true.
//
// What the report needs of the years before asOf's year, and so what the summary keeps:
//   - per unit × role, the net change of every state and the filings received (all months);
//   - per role, each year's net change of the members and each month's entries (filed,
//     members, removed, superseded): the trend, the target's series and the pace;
//   - per unit, the members' entries of the last closed year's last LAGGING_MONTHS months
//     (asOf in January looks back into them);
//   - the counter items whose monthly entries disagree with their yearly net changes.
// Its size follows units × roles and the months since the launch (a few numbers a month), not
// the people nor the counter items.
import * as z from 'zod/mini';
import { type FilingState, MEMBER_STATES, STATES } from '../../domain/lifecycle.ts';
import type { CounterRecord } from '../../ports/counters.ts';

/** Months of the last closed year whose per-unit entries are kept (the lagging rule's window). */
export const KEPT_UNIT_MONTHS = 3;

const count = z.number().check(z.int());
const year = z.string().check(z.regex(/^\d{4}$/));
const yearMonth = z.string().check(z.regex(/^\d{4}-\d{2}$/));

export const ClosedYearsSchema = z.object({
  /** The last year folded in: the summary covers every year up to and including it. */
  throughYear: year,
  /** The first year with any counter item, null when there is none. */
  firstYear: z.nullable(year),
  cells: z.array(
    z.object({
      unit: z.string(),
      role: z.string(),
      net: z.partialRecord(z.enum(STATES), count),
      filed: count,
    }),
  ),
  /** year → role → net change of the members that year. */
  yearNet: z.record(year, z.record(z.string(), count)),
  /** month → role → [filed, members entered, removed, superseded]. */
  months: z.record(yearMonth, z.record(z.string(), z.tuple([count, count, count, count]))),
  /** month → unit → members entered (the last closed year's last KEPT_UNIT_MONTHS months). */
  unitMonths: z.record(yearMonth, z.record(z.string(), count)),
  /** `<year> <unit> <role>` of the counter items whose months disagree with their year. */
  inconsistent: z.array(z.string()),
});

export type ClosedYears = z.infer<typeof ClosedYearsSchema>;

const members = (counts: Partial<Record<FilingState, number>>) =>
  MEMBER_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);

/** The summary of the records of the years up to and including `throughYear` (later ones are left out). */
export function summarizeClosedYears(records: readonly CounterRecord[], throughYear: string): ClosedYears {
  const cells = new Map<string, ClosedYears['cells'][number]>();
  const summary: ClosedYears = {
    throughYear,
    firstYear: null,
    cells: [],
    yearNet: {},
    months: {},
    unitMonths: {},
    inconsistent: [],
  };
  const firstKept = 13 - KEPT_UNIT_MONTHS;
  for (const r of records) {
    if (r.year > throughYear) continue;
    if (summary.firstYear === null || r.year < summary.firstYear) summary.firstYear = r.year;
    const key = `${r.unit}#${r.role}`;
    const cell = cells.get(key) ?? { unit: r.unit, role: r.role, net: {}, filed: 0 };
    cells.set(key, cell);
    for (const s of STATES) {
      const n = r.net[s];
      if (n) cell.net[s] = (cell.net[s] ?? 0) + n;
    }
    const yearNet = summary.yearNet[r.year] ?? {};
    yearNet[r.role] = (yearNet[r.role] ?? 0) + members(r.net);
    summary.yearNet[r.year] = yearNet;
    let included = 0;
    let removed = 0;
    let superseded = 0;
    for (const [mm, e] of Object.entries(r.entries)) {
      const month = `${r.year}-${mm}`;
      const entered = members(e);
      included += entered;
      removed += e.removed ?? 0;
      superseded += e.superseded ?? 0;
      cell.filed += e.submitted ?? 0;
      const byRole = summary.months[month] ?? {};
      const [f, m, x, s] = byRole[r.role] ?? [0, 0, 0, 0];
      byRole[r.role] = [f + (e.submitted ?? 0), m + entered, x + (e.removed ?? 0), s + (e.superseded ?? 0)];
      summary.months[month] = byRole;
      if (r.year === throughYear && Number(mm) >= firstKept) {
        const byUnit = summary.unitMonths[month] ?? {};
        byUnit[r.unit] = (byUnit[r.unit] ?? 0) + entered;
        summary.unitMonths[month] = byUnit;
      }
    }
    if (
      included - removed - superseded !== members(r.net) ||
      removed !== (r.net.removed ?? 0) ||
      superseded !== (r.net.superseded ?? 0)
    ) {
      summary.inconsistent.push(`${r.year} ${r.unit} ${r.role}`);
    }
  }
  summary.cells = [...cells.values()];
  return summary;
}
