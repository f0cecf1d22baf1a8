// The target-progress report (docs/domain.md §7), computed from the counters alone: the pool
// against the programme's size target and its deadline, the counts by unit and role, the
// monthly trend, the pace needed against the pace achieved, the projected date and the units
// that lag. It reads one small item per year × unit × role, so its cost does not grow with
// the pool.
//
// What the counters can say about a date. `n_<state>` is a state's net change over a whole
// year: it cannot be cut at a month. `m<MM>_<state>` are monthly entries, kept for filed,
// included, removed and superseded; and since people leave the pool only by removal or by a
// later filing of theirs superseding this one, the pool at the end of any month is exact: end
// of last year (sum of `n_in_pool`) + the year's inclusions − removals − supersessions up to
// that month. "The pool" is the programme's members: `in_pool`, or `registered` where the
// city's approval ends the review (memberState); a programme's filings reach only one of them.
// So:
//   - pool, removals, filings received, the trend, the pace and the lagging units are taken
//     through the end of asOf's month (or today, when asOf is in the current month: nothing
//     later exists); a month cannot be cut at a day, so for a past asOf in mid-month the rest
//     of that month is included;
//   - the other states (under review, withdrawn, rejected, declined) are the yearly sums
//     through asOf's year: exact at 31 December, and "now" while that year is not over.
// `basis` carries both dates, `exact` says when they are asOf itself (asOf = today, or asOf =
// 31 December), and `notes` says the same in words. A future asOf is refused: no counter can
// describe it, and the projection already answers "where will we be".
import { ValidationError } from '../../domain/errors.ts';
import { type FilingState, MEMBER_STATES, OPEN_STATES, STATES } from '../../domain/lifecycle.ts';
import type { YearPlan } from '../../domain/plans.ts';
import { getProgram, PROGRAMS } from '../../domain/programs/index.ts';
import { memberState, type Program } from '../../domain/programs/program.ts';
import { shanghaiDate } from '../../domain/time.ts';
import type { CounterReader, CounterRecord, CoverageRecord } from '../../ports/counters.ts';
import type { PlanStore } from '../../ports/plans.ts';
import type { TrainingStore } from '../../ports/training.ts';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInMonth,
  endOfMonth,
  isCalendarDate,
  MONTH_DAYS,
  monthFromIndex,
  monthIndex,
  monthOf,
} from './calendar.ts';
import { type ClosedYears, ClosedYearsSchema, summarizeClosedYears } from './closed-years.ts';
import { coverageReport } from './coverage.ts';
import { planProgress } from './plan-progress.ts';
import {
  type Counts,
  type Pace,
  ReportInputSchema,
  type ReportRow,
  type TargetProgressReport,
  type TargetStatus,
  type TrendPoint,
  type UnitSummary,
} from './report-schema.ts';
import { readTrainingMilestones } from './training-milestones.ts';

export interface TargetProgressDeps {
  counters: CounterReader;
  /** The units' yearly plans, shown against their figures (none: the report says no plan is set). */
  plans?: Pick<PlanStore, 'get'>;
  /** The training batches, for the training milestones (none: the report leaves them out). */
  training?: Pick<TrainingStore, 'listBatches'>;
  now?: () => Date;
  /** The programmes served (default: the deployment's). */
  programs?: readonly Program[];
}

type Localized = { zh: string; en: string };
type StateCounts = Record<FilingState, number>;

/** Months the lagging rule looks back over (asOf's month included). */
export const LAGGING_MONTHS = 3;
/** Months the achieved pace is averaged over (asOf's month included), or fewer since the first entry. */
export const PACE_WINDOW_MONTHS = 6;

export async function targetProgress(
  deps: TargetProgressDeps,
  input: { programId: string; asOf: string },
): Promise<TargetProgressReport> {
  const now = (deps.now ?? (() => new Date()))();
  const today = shanghaiDate(now);
  const parsed = ReportInputSchema.safeParse(input);
  const asOf = parsed.success ? parsed.data.asOf : '';
  if (!isCalendarDate(asOf)) {
    throw new ValidationError([
      {
        path: 'asOf',
        code: 'invalid_date',
        message: { zh: '日期格式应为 YYYY-MM-DD', en: 'a date as YYYY-MM-DD' },
      },
    ]);
  }
  if (asOf > today) {
    throw new ValidationError([
      {
        path: 'asOf',
        code: 'future_date',
        message: { zh: `统计日期不能晚于今天（${today}）`, en: `the as-of date is after today (${today})` },
      },
    ]);
  }
  const program = getProgram(input.programId, deps.programs ?? PROGRAMS);
  const [{ records, closed }, plan, training, coverage] = await Promise.all([
    readCounters(deps.counters, program.id, asOf.slice(0, 4), today),
    deps.plans?.get(program.id, asOf.slice(0, 4)),
    readTrainingMilestones(deps.training, program, asOf),
    program.coverage ? deps.counters.coverage?.(program.id) : undefined,
  ]);
  const report = computeTargetProgress({
    program,
    records,
    closed,
    plan,
    ...(coverage ? { coverage } : {}),
    asOf,
    today,
    generatedAt: now.toISOString(),
  });
  return training ? { ...report, trainingMilestones: training } : report;
}

/**
 * The counters a report as of a date in `year` reads: the summary of the years before it (all
 * closed, since asOf is never in the future) and that year's items. Without a stored summary
 * the years are read item by item once and their summary is stored, from the day after the
 * year closed (a transaction of New Year's Eve's last second may still be landing on it).
 */
export async function readCounters(
  counters: CounterReader,
  programId: string,
  year: string,
  today: string,
): Promise<{ records: CounterRecord[]; closed?: ClosedYears }> {
  const through = String(Number(year) - 1).padStart(4, '0');
  if (!counters.yearSummary || !counters.countersOfYear) {
    return { records: await counters.countersUpTo(programId, year) };
  }
  const stored = ClosedYearsSchema.safeParse(await counters.yearSummary(programId, through));
  if (stored.success && stored.data.throughYear === through) {
    return { records: await counters.countersOfYear(programId, year), closed: stored.data };
  }
  const all = await counters.countersUpTo(programId, year);
  const closed = summarizeClosedYears(all, through);
  if (today >= `${year}-01-02`) await counters.saveYearSummary?.(programId, through, closed);
  return { records: all.filter((r) => r.year === year), closed };
}

const zeroStates = (): StateCounts => Object.fromEntries(STATES.map((s) => [s, 0])) as StateCounts;

/** One unit × role: its counts by state, each on the basis the header comment describes. */
interface Cell {
  unit: string;
  role: string;
  states: StateCounts;
  filed: number;
}

/** How the report names the programme's members and their entry. */
export const MEMBER_WORDS = {
  in_pool: {
    label: { zh: '在库', en: 'Pool' },
    entered: { zh: '纳入', en: 'Included' },
    nobodyEntered: { zh: '没有新纳入人才库人员', en: 'nobody included in the pool' },
  },
  registered: {
    label: { zh: '已备案', en: 'Registered' },
    entered: { zh: '备案', en: 'Registered' },
    nobodyEntered: { zh: '没有新完成备案人员', en: 'nobody registered' },
  },
} as const;

/** Entries into (or the net change of) the members' states. */
const members = (counts: Partial<Record<FilingState, number>>) =>
  MEMBER_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);

function toCounts(states: StateCounts, filed: number): Counts {
  return {
    filed,
    underReview: OPEN_STATES.reduce((n, s) => n + states[s], 0),
    inPool: members(states),
    removed: states.removed,
    withdrawn: states.withdrawn,
    rejected: states.rejected,
    declined: states.declined,
    states: { ...states },
  };
}

function sumCells(cells: readonly Cell[]): Counts {
  const states = zeroStates();
  let filed = 0;
  for (const cell of cells) {
    for (const s of STATES) states[s] += cell.states[s];
    filed += cell.filed;
  }
  return toCounts(states, filed);
}

/**
 * Monthly entries and the pool at each month's end, from January of the first year to `last`,
 * of the roles `counts` keeps: the closed years from their summary, the others from `records`.
 */
function monthlySeries(
  records: readonly CounterRecord[],
  firstYear: string,
  last: string,
  closed?: ClosedYears,
  counts: (role: string) => boolean = () => true,
) {
  const poolNetByYear = new Map<string, number>();
  const entries = new Map<string, { filed: number; included: number; removed: number }>();
  for (const [y, byRole] of Object.entries(closed?.yearNet ?? {})) {
    for (const [role, n] of Object.entries(byRole)) {
      if (counts(role)) poolNetByYear.set(y, (poolNetByYear.get(y) ?? 0) + n);
    }
  }
  for (const [month, byRole] of Object.entries(closed?.months ?? {})) {
    if (month > last) continue;
    for (const [role, [filed, included, removed, superseded]] of Object.entries(byRole)) {
      if (!counts(role)) continue;
      const m = entries.get(month) ?? { filed: 0, included: 0, removed: 0 };
      m.filed += filed;
      m.included += included - superseded;
      m.removed += removed;
      entries.set(month, m);
    }
  }
  for (const r of records) {
    if (!counts(r.role)) continue;
    poolNetByYear.set(r.year, (poolNetByYear.get(r.year) ?? 0) + members(r.net));
    for (const [mm, e] of Object.entries(r.entries)) {
      const month = `${r.year}-${mm}`;
      if (month > last) continue;
      const m = entries.get(month) ?? { filed: 0, included: 0, removed: 0 };
      m.filed += e.submitted ?? 0;
      m.included += members(e);
      m.removed += e.removed ?? 0;
      // A superseded member leaves the pool, but the person stays in it under the new filing:
      // not a removal in the trend, only an exit from the pool's count.
      m.included -= e.superseded ?? 0;
      entries.set(month, m);
    }
  }
  const series: { month: string; filed: number; included: number; removed: number; pool: number }[] = [];
  let pool = 0;
  for (let i = monthIndex(`${firstYear}-01`); i <= monthIndex(last); i++) {
    const month = monthFromIndex(i);
    const year = month.slice(0, 4);
    if (month.endsWith('-01')) {
      // The year opens with the sum of the previous years' net changes (exact whatever the months say).
      pool = 0;
      for (const [y, n] of poolNetByYear) if (y < year) pool += n;
    }
    const e = entries.get(month) ?? { filed: 0, included: 0, removed: 0 };
    pool += e.included - e.removed;
    series.push({ month, ...e, pool });
  }
  return series;
}

function localizedDate(date: string, today: string): Localized {
  return date === today ? { zh: `今天（${date}）`, en: `today (${date})` } : { zh: date, en: date };
}

type Target = Program['targets'][number];

/** The dates the report is taken at and the counter records that describe them. */
interface Basis {
  year: string;
  asOfMonth: string;
  /** The summary of the years before asOf's year, when there is one. */
  closed: ClosedYears | undefined;
  /** The records of asOf's year and the years before it that `closed` does not cover. */
  records: readonly CounterRecord[];
  monthlyThrough: string;
  yearlyThrough: string;
  exact: boolean;
}

/** The programme's units and roles, then codes only the counters know (codes change over time). */
interface Dimensions {
  units: string[];
  roles: string[];
  extraUnits: string[];
  unitName: Map<string, Localized>;
  roleName: Map<string, Localized>;
  nameOfUnit: (u: string) => Localized;
  nameOfRole: (r: string) => Localized;
}

export function computeTargetProgress(input: {
  program: Program;
  /** Counter records of the years after `closed.throughYear` (all years when there is no summary). */
  records: readonly CounterRecord[];
  /** The years before asOf's year, folded (closed-years.ts); their records are then not needed. */
  closed?: ClosedYears;
  /** The units' plans for asOf's year. */
  plan?: YearPlan;
  /** Enterprise coverage now, where the programme counts it (absent: the report has no coverage section). */
  coverage?: readonly CoverageRecord[];
  asOf: string;
  today: string;
  generatedAt: string;
}): TargetProgressReport {
  const { program, asOf, today } = input;
  const basis = reportBasis(input);
  const { year, asOfMonth, monthlyThrough, yearlyThrough, exact } = basis;
  const member = memberState(program);
  const words = MEMBER_WORDS[member];
  const coverage = coverageReport({ program, records: input.coverage, today });

  const { cells, inconsistent } = countCells(basis, member);
  const cellList = [...cells.values()];
  const dims = dimensions(program, cellList);
  const rows = reportRows(dims, cells);
  const totals = sumCells(cellList);
  const pool = totals.inPool;
  const { membersNow, startOfYear } = planBaselines(basis, cellList);

  const { trend, target, finalTarget, nextMilestone, pace } = trendAndTargets(
    program,
    basis,
    cellList,
    dims.roles,
    asOf,
  );
  const laggingMonths = Array.from({ length: LAGGING_MONTHS }, (_, i) =>
    addMonths(asOfMonth, i + 1 - LAGGING_MONTHS),
  );
  const byUnit = unitSummaries(basis, laggingMonths, dims, cellList, pool);
  const byRole = dims.roles.map((role) => ({
    role,
    name: dims.nameOfRole(role),
    counts: sumCells(cellList.filter((c) => c.role === role)),
  }));
  const notes = reportNotes({ asOf, today, basis, words, target, dims, coverage, inconsistent });
  const [m0, m2] = [laggingMonths[0], laggingMonths.at(-1)];

  return {
    kind: 'target-progress',
    programId: program.id,
    programTitle: program.title,
    province: program.province.name,
    asOf,
    generatedAt: input.generatedAt,
    basis: { monthlyThrough, yearlyThrough, exact },
    pool,
    members: { state: member, label: words.label, entered: words.entered },
    target,
    finalTarget,
    nextMilestone,
    pace,
    totals,
    byUnit,
    byRole,
    rows,
    trend,
    lagging: {
      rule: {
        zh: `近 ${LAGGING_MONTHS} 个月（${m0} 至 ${m2}）${words.nobodyEntered.zh}的备案单位。`,
        en: `Units with ${words.nobodyEntered.en} in the last ${LAGGING_MONTHS} months (${m0} to ${m2}).`,
      },
      months: laggingMonths,
      units: byUnit.filter((u) => u.lagging).map((u) => u.unit),
    },
    plan: planProgress({
      program,
      plan: input.plan,
      year,
      through: monthlyThrough,
      members: membersNow,
      startOfYear,
      ...(coverage ? { coveredEnterprises: new Map(coverage.units.map((u) => [u.unit, u.covered])) } : {}),
    }),
    ...(coverage ? { coverage } : {}),
    notes,
  };
}

/** The dates each kind of figure is taken through (see the header comment), and the records read. */
function reportBasis(input: {
  records: readonly CounterRecord[];
  closed?: ClosedYears;
  asOf: string;
  today: string;
}): Basis {
  const { asOf, today } = input;
  const year = asOf.slice(0, 4);
  const asOfMonth = monthOf(asOf);
  const closed = input.closed && input.closed.throughYear < year ? input.closed : undefined;
  const records = input.records.filter((r) => r.year <= year && (!closed || r.year > closed.throughYear));
  const monthlyThrough = asOfMonth === monthOf(today) ? today : endOfMonth(asOfMonth);
  const yearlyThrough = year === today.slice(0, 4) ? today : `${year}-12-31`;
  const exact = monthlyThrough === asOf && yearlyThrough === asOf;
  return { year, asOfMonth, closed, records, monthlyThrough, yearlyThrough, exact };
}

/**
 * Counts per unit × role, and the counter items whose monthly entries disagree with their
 * yearly net changes (the pool is then taken from the entries, and a note says so).
 */
function countCells(
  { year, asOfMonth, closed, records }: Basis,
  member: FilingState,
): { cells: Map<string, Cell>; inconsistent: Set<string> } {
  const cells = new Map<string, Cell>();
  const inconsistent = new Set<string>(closed?.inconsistent);
  for (const c of closed?.cells ?? []) {
    const states = zeroStates();
    for (const s of STATES) states[s] += c.net[s] ?? 0;
    cells.set(`${c.unit}#${c.role}`, { unit: c.unit, role: c.role, states, filed: c.filed });
  }
  for (const r of records) {
    const key = `${r.unit}#${r.role}`;
    const cell = cells.get(key) ?? { unit: r.unit, role: r.role, states: zeroStates(), filed: 0 };
    cells.set(key, cell);
    let included = 0;
    let removed = 0;
    let superseded = 0;
    let yearIncluded = 0;
    let yearRemoved = 0;
    let yearSuperseded = 0;
    for (const [mm, e] of Object.entries(r.entries)) {
      yearIncluded += members(e);
      yearRemoved += e.removed ?? 0;
      yearSuperseded += e.superseded ?? 0;
      if (`${r.year}-${mm}` > asOfMonth) continue;
      cell.filed += e.submitted ?? 0;
      included += members(e);
      removed += e.removed ?? 0;
      superseded += e.superseded ?? 0;
    }
    for (const s of STATES) {
      if (r.year === year && (MEMBER_STATES.includes(s) || s === 'removed' || s === 'superseded')) continue;
      cell.states[s] += r.net[s] ?? 0;
    }
    if (r.year === year) {
      cell.states[member] += included - removed - superseded;
      cell.states.removed += removed;
      cell.states.superseded += superseded;
    }
    if (
      yearIncluded - yearRemoved - yearSuperseded !== members(r.net) ||
      yearRemoved !== (r.net.removed ?? 0) ||
      yearSuperseded !== (r.net.superseded ?? 0)
    ) {
      inconsistent.add(`${r.year} ${r.unit} ${r.role}`);
    }
  }
  return { cells, inconsistent };
}

function dimensions(program: Program, cellList: readonly Cell[]): Dimensions {
  const unitName = new Map(program.reportingUnits.map((u) => [u.code, u.name]));
  const roleName = new Map(program.roles.map((r) => [r.id, r.name]));
  const extraUnits = [...new Set(cellList.map((c) => c.unit))].filter((u) => !unitName.has(u)).sort();
  const extraRoles = [...new Set(cellList.map((c) => c.role))].filter((r) => !roleName.has(r)).sort();
  return {
    units: [...program.reportingUnits.map((u) => u.code), ...extraUnits],
    roles: [...program.roles.map((r) => r.id), ...extraRoles],
    extraUnits,
    unitName,
    roleName,
    nameOfUnit: (u) => unitName.get(u) ?? { zh: u, en: u },
    nameOfRole: (r) => roleName.get(r) ?? { zh: r, en: r },
  };
}

/** One row per unit × role: every pair of the programme's, and the pairs the counters hold besides. */
function reportRows(dims: Dimensions, cells: ReadonlyMap<string, Cell>): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const unit of dims.units) {
    for (const role of dims.roles) {
      const cell = cells.get(`${unit}#${role}`);
      if (!cell && (!dims.unitName.has(unit) || !dims.roleName.has(role))) continue;
      rows.push({
        unit,
        unitName: dims.nameOfUnit(unit),
        role,
        roleName: dims.nameOfRole(role),
        counts: cell ? toCounts(cell.states, cell.filed) : toCounts(zeroStates(), 0),
      });
    }
  }
  return rows;
}

/** Members per unit × role now, and at the start of asOf's year (the plans' baseline). */
function planBaselines({ year, closed, records }: Basis, cellList: readonly Cell[]) {
  const membersNow = new Map(cellList.map((c) => [`${c.unit}#${c.role}`, members(c.states)]));
  const startOfYear = new Map<string, number>();
  const addStart = (key: string, n: number) => startOfYear.set(key, (startOfYear.get(key) ?? 0) + n);
  for (const c of closed?.cells ?? []) addStart(`${c.unit}#${c.role}`, members(c.net));
  for (const r of records) if (r.year < year) addStart(`${r.unit}#${r.role}`, members(r.net));
  return { membersNow, startOfYear };
}

/**
 * The monthly trend (all roles, and the roles the active target counts), and the targets: the
 * active one with its pace, the final one, and the next milestone of any kind.
 */
function trendAndTargets(
  program: Program,
  basis: Basis,
  cellList: readonly Cell[],
  roles: string[],
  asOf: string,
) {
  const { year, asOfMonth, closed, records } = basis;
  const firstYear = records.reduce(
    (y, r) => (r.year < y ? r.year : y),
    closed?.firstYear && closed.firstYear < year ? closed.firstYear : year,
  );
  const quantitative = program.targets
    .filter((t) => t.minPoolSize !== undefined)
    .sort((a, b) => a.deadline.localeCompare(b.deadline));
  const active = quantitative.find((t) => t.deadline >= asOf) ?? quantitative.at(-1);
  const final = quantitative.at(-1);
  const series = monthlySeries(records, firstYear, asOfMonth, closed);
  const targetSeries = monthlySeries(records, firstYear, asOfMonth, closed, countsRole(active));
  const firstEntry = series.find((m) => m.filed || m.included || m.removed)?.month ?? asOfMonth;
  const trend: TrendPoint[] = series
    .map((m, i) => ({ ...m, targetPool: targetSeries[i]?.pool ?? 0 }))
    .filter((m) => m.month >= firstEntry);
  const target = targetStatus(active, cellList, roles, asOf);
  const nextMilestone = [...program.targets]
    .sort((a, b) => a.deadline.localeCompare(b.deadline))
    .find((t) => t.deadline >= asOf);
  return {
    trend,
    target,
    finalTarget: targetStatus(final, cellList, roles, asOf),
    nextMilestone: nextMilestone
      ? { id: nextMilestone.id, deadline: nextMilestone.deadline, description: nextMilestone.description }
      : null,
    pace: target ? paceOf(target, targetSeries, basis, firstEntry) : null,
  };
}

/** Whether a target counts a role (a target that names no roles counts them all). */
const countsRole = (target: Target | undefined) => (role: string) =>
  !target?.roles || target.roles.includes(role);

function targetStatus(
  target: Target | undefined,
  cellList: readonly Cell[],
  roles: string[],
  asOf: string,
): TargetStatus | null {
  if (target?.minPoolSize === undefined) return null;
  const counted = cellList.filter((c) => countsRole(target)(c.role));
  const targetPool = counted.reduce((n, c) => n + members(c.states), 0);
  return {
    id: target.id,
    description: target.description,
    deadline: target.deadline,
    minPoolSize: target.minPoolSize,
    roles: target.roles ?? roles,
    pool: targetPool,
    remaining: Math.max(0, target.minPoolSize - targetPool),
    reached: targetPool >= target.minPoolSize,
    deadlinePassed: target.deadline < asOf,
  };
}

/** Pace: needed from the data's date to the deadline, achieved over the last months. */
function paceOf(
  target: TargetStatus,
  targetSeries: readonly { month: string; pool: number }[],
  { asOfMonth, monthlyThrough }: Basis,
  firstEntry: string,
): Pace {
  const from = monthFromIndex(
    Math.max(monthIndex(addMonths(asOfMonth, 1 - PACE_WINDOW_MONTHS)), monthIndex(firstEntry)),
  );
  const before = targetSeries.find((m) => m.month === addMonths(from, -1))?.pool ?? 0;
  const covered = Number(monthlyThrough.slice(8, 10)) / daysInMonth(asOfMonth);
  const windowMonths = monthIndex(asOfMonth) - monthIndex(from) + covered;
  const growth = target.pool - before;
  const achieved = growth / windowMonths;
  const monthsLeft = Math.max(0, daysBetween(monthlyThrough, target.deadline) / MONTH_DAYS);
  const needed = target.reached
    ? 0
    : target.deadlinePassed || monthsLeft === 0
      ? null
      : target.remaining / monthsLeft;
  let projectedDate: string | null = null;
  if (!target.reached && achieved > 0) {
    const date = addDays(monthlyThrough, Math.ceil((target.remaining / achieved) * MONTH_DAYS));
    projectedDate = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null;
  }
  let reachedIn: string | null = null;
  if (target.reached) {
    for (let i = targetSeries.length - 1; i >= 0 && (targetSeries[i]?.pool ?? 0) >= target.minPoolSize; i--) {
      reachedIn = targetSeries[i]?.month ?? reachedIn;
    }
  }
  return {
    targetId: target.id,
    monthsLeft: round(monthsLeft),
    needed: needed === null ? null : round(needed),
    achieved: round(achieved),
    window: { from, through: monthlyThrough, months: round(windowMonths), growth },
    projectedDate,
    reachedIn,
    onTrack:
      target.reached ||
      (!target.deadlinePassed && projectedDate !== null && projectedDate <= target.deadline),
  };
}

/**
 * The units' summaries, with the lagging ones marked. Rule: a unit of the programme lags when
 * nobody of it was included in the pool in the last LAGGING_MONTHS months (asOf's month and the
 * two before). Why this rule: the targets are province-wide, not split by unit, and units differ
 * in size by an order of magnitude (Shenyang and Dalian against Fuxin, Anhui's county units), so
 * any rule on the pool share would flag the small units for good and tell nobody anything new; a
 * unit with no inclusion for three months has stalled somewhere between filing and review, which
 * is what the province can act on (a call to that city bureau). Computable from the monthly
 * entries alone; the share of the pool is still shown beside it.
 */
function unitSummaries(
  { closed, records }: Basis,
  laggingMonths: readonly string[],
  dims: Dimensions,
  cellList: readonly Cell[],
  pool: number,
): UnitSummary[] {
  const includedRecently = new Map<string, number>();
  for (const [month, byUnit] of Object.entries(closed?.unitMonths ?? {})) {
    if (!laggingMonths.includes(month)) continue;
    for (const [unit, n] of Object.entries(byUnit))
      includedRecently.set(unit, (includedRecently.get(unit) ?? 0) + n);
  }
  for (const r of records) {
    for (const [mm, e] of Object.entries(r.entries)) {
      if (laggingMonths.includes(`${r.year}-${mm}`)) {
        includedRecently.set(r.unit, (includedRecently.get(r.unit) ?? 0) + members(e));
      }
    }
  }
  return dims.units.map((unit) => {
    const counts = sumCells(cellList.filter((c) => c.unit === unit));
    const includedLast3Months = includedRecently.get(unit) ?? 0;
    const configured = dims.unitName.has(unit);
    return {
      unit,
      name: dims.nameOfUnit(unit),
      configured,
      counts,
      poolShare: pool > 0 ? round(counts.inPool / pool, 4) : 0,
      includedLast3Months,
      lagging: configured && includedLast3Months === 0,
    };
  });
}

/** What the figures describe, in words. */
function reportNotes({
  asOf,
  today,
  basis,
  words,
  target,
  dims,
  coverage,
  inconsistent,
}: {
  asOf: string;
  today: string;
  basis: Basis;
  words: (typeof MEMBER_WORDS)[keyof typeof MEMBER_WORDS];
  target: TargetStatus | null;
  dims: Dimensions;
  coverage: ReturnType<typeof coverageReport>;
  inconsistent: ReadonlySet<string>;
}): Localized[] {
  const { asOfMonth, monthlyThrough, yearlyThrough, exact } = basis;
  const notes: Localized[] = [];
  if (exact) {
    notes.push({ zh: `全部数字均为截至 ${asOf} 的数据。`, en: `Every figure is as of ${asOf}.` });
  } else {
    const later = monthlyThrough > asOf;
    const monthly = localizedDate(monthlyThrough, today);
    const yearly = localizedDate(yearlyThrough, today);
    notes.push({
      zh: `${words.label.zh}人数、退出人数、备案数、月度趋势、进度和滞后单位按月度记录计算，截至 ${monthly.zh}${later ? `（月度记录不能按日截取，${asOfMonth} 月内 ${asOf} 之后的变化已计入）` : ''}。`,
      en: `${words.label.en}, removals, filings received, the monthly trend, the pace and the lagging units come from the monthly entries, through ${monthly.en}${later ? ` (monthly entries cannot be cut at a day: changes later in ${asOfMonth} are included)` : ''}.`,
    });
    notes.push({
      zh: `审核中、已撤回、未通过审核、未予纳入的人数来自年度净变化（按年累计，无法按月截取），截至 ${yearly.zh}。`,
      en: `Under review, withdrawn, rejected and declined come from the yearly net changes (whole-year sums that cannot be cut at a month), through ${yearly.en}.`,
    });
  }
  if (!target) {
    notes.push({
      zh: '本项目未设定人数目标，不计算进度、所需速度和预计达成日期。',
      en: 'The programme sets no pool-size target: no pace needed, no projection.',
    });
  } else if (target.deadlinePassed) {
    notes.push({
      zh: `最后一个人数目标（${target.id}）的截止日期 ${target.deadline} 已过。`,
      en: `The deadline of the last pool-size target (${target.id}), ${target.deadline}, has passed.`,
    });
  }
  const { extraUnits } = dims;
  if (extraUnits.length > 0) {
    notes.push({
      zh: `计数中有本项目已不再列出的单位代码：${extraUnits.join('、')}（备案保留提交时的代码）。`,
      en: `The counters hold unit codes the programme no longer lists: ${extraUnits.join(', ')} (a filing keeps the code it was filed under).`,
    });
  }
  if (coverage) {
    const roleNames = coverage.roles.map((r) => dims.nameOfRole(r));
    notes.push({
      zh: `已覆盖企业：至少有一名${words.label.zh}${roleNames.map((r) => r.zh).join('、')}的企业数（按统一社会信用代码计，一家企业只计一次），其中规上企业、战略性新兴产业企业按备案表所填；为 ${coverage.through} 的当前数${asOf === today ? '' : `，不是 ${asOf} 的数`}。${coverage.baseSource ? `各单位规上、战略性新兴产业企业总数来自${coverage.baseSource.zh}。` : '各单位规上、战略性新兴产业企业总数未配置，只列企业数，不计覆盖率。'}`,
      en: `Enterprises covered: enterprises (by credit code, each once) with at least one ${words.label.en.toLowerCase()} ${roleNames.map((r) => r.en.toLowerCase()).join(', ')}; 规上 (above designated size) and strategic emerging industries as the filing declares them; current figures as of ${coverage.through}${asOf === today ? '' : `, not as of ${asOf}`}. ${coverage.baseSource ? `The units' numbers of such enterprises come from ${coverage.baseSource.en}.` : 'No unit has a configured number of 规上 or emerging-industry enterprises: counts only, no share.'}`,
    });
  }
  if (inconsistent.size > 0) {
    const some = [...inconsistent].sort().slice(0, 5).join('; ');
    notes.push({
      zh: `${inconsistent.size} 个计数项的月度记录与年度净变化不一致（如 ${some}）：${words.label.zh}人数按年初数加月度记录计算，可能与实际不符。`,
      en: `${inconsistent.size} counter items have monthly entries that disagree with their yearly net changes (e.g. ${some}): the pool is taken as the year's opening count plus the monthly entries and may be off.`,
    });
  }
  return notes;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
