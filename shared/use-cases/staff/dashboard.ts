// The staff console's dashboard: what staff open every morning. Progress (members against the
// province's target and each unit's yearly plan, by unit and role, and this year's monthly
// trend) and the work waiting (filings under review, city reviews past their first reminder,
// people waiting for or sitting in a province batch, workflow failures nobody has restarted,
// annual returns not received). City staff get their unit only; province staff and auditors
// every unit. It reads keys, indexes and counters, never the whole table:
//   - members, plans, trend and the review states: the counters (as the target report reads
//     them: the closed years' summary and one Query of the year's counter items) and the
//     year's plan item;
//   - waiting for a batch: a counted Query of the sparse awaitingBatch index per unit; in a
//     batch not yet decided: the counters' province_review less that;
//   - past a reminder and failed: only in units whose counters show open filings, the unit's
//     filings newest first (filingsByUnit) and each one's latest event, until every open filing
//     the counters count has been met (or MAX_EXAMINED filings, then `complete` is false); for
//     each open filing its FAILURE# and RESUME# items, counted;
//   - returns not received: the year's RETURN# unit items (enterprises less answers).
import * as z from 'zod/mini';
import { ForbiddenError } from '../../domain/errors.ts';
import { OPEN_STATES } from '../../domain/lifecycle.ts';
import { getProgram, PROGRAMS } from '../../domain/programs/index.ts';
import { hasStage, memberState, type Program } from '../../domain/programs/program.ts';
import { type StaffPrincipal, unitsFor } from '../../domain/staff.ts';
import { shanghaiDate } from '../../domain/time.ts';
import type { CounterReader, CounterRecord } from '../../ports/counters.ts';
import type { DashboardReads } from '../../ports/dashboard.ts';
import type { PlanStore } from '../../ports/plans.ts';
import type { ReturnStore, UnitReturn } from '../../ports/returns.ts';
import type { StaffQueries } from '../../ports/staff.ts';
import { TargetStatusSchema } from '../reports/report-schema.ts';
import { computeTargetProgress, MEMBER_WORDS, readCounters } from '../reports/target-progress.ts';

export interface DashboardDeps {
  counters: CounterReader;
  plans: Pick<PlanStore, 'get'>;
  queries: Pick<StaffQueries, 'unitFilings'>;
  reads: DashboardReads;
  returns: Pick<ReturnStore, 'getProgram' | 'getUnit' | 'listUnits'>;
  now: () => Date;
  programs?: readonly Program[];
}

/** Filings of one unit examined at most per request while looking for its open ones. */
export const MAX_EXAMINED = 500;
/** Filings whose latest event is read at once. */
const AT_ONCE = 10;
const DAY_MS = 86_400_000;

const localized = z.object({ zh: z.string(), en: z.string() });
const count = z.number().check(z.int());
const planned = z.nullable(count);

const RoleProgressSchema = z.object({ role: z.string(), name: localized, members: count, planned });

export const WaitingSchema = z.object({
  /** Filings received whose review has not started yet. */
  submitted: count,
  cityReview: count,
  /** City reviews past the city's first reminder day without a decision (escalated ones included). */
  pastReminder: count,
  /** City reviews handed to the province after the city's time ran out. */
  escalated: count,
  changesRequested: count,
  provinceReview: count,
  /** Approved by the city, waiting for the city's next summary batch. */
  awaitingBatch: count,
  /** In a batch sent to the province, not yet included or declined. */
  inBatch: count,
  /** Open filings whose workflow failed and has not been restarted since. */
  failed: count,
  /** Enterprises that have not sent the year's annual return (null: no return opened for the unit). */
  returnsNotReceived: z.nullable(count),
});

export const DashboardSchema = z.object({
  programId: z.string(),
  asOf: z.string(),
  generatedAt: z.string(),
  /** Every unit of the programme (province, auditors) or the caller's own (city). */
  scope: z.enum(['programme', 'unit']),
  members: z.object({ label: localized }),
  /** Members now, over the units shown. */
  pool: count,
  /** The province's size target (programme scope only: a unit's members are not the province's). */
  target: z.nullable(TargetStatusSchema),
  plan: z.object({ year: z.string(), setAt: z.nullable(z.string()) }),
  units: z.array(
    z.object({
      unit: z.string(),
      name: localized,
      members: count,
      /** Over the roles the unit's plan names: planned at the year's end, and where the straight line stands today. */
      planned,
      plannedMembers: count,
      expectedNow: planned,
      lagging: z.boolean(),
      roles: z.array(RoleProgressSchema),
      waiting: WaitingSchema,
      /** False when MAX_EXAMINED filings were read before every open one was met (pastReminder, escalated, failed are then lower bounds). */
      complete: z.boolean(),
    }),
  ),
  roles: z.array(RoleProgressSchema),
  /** Members at each month's end of the year (this month: today), over the units shown. */
  trend: z.array(z.object({ month: z.string(), members: count })),
  totals: WaitingSchema,
  reminder: z.object({ firstDay: z.nullable(count) }),
  returns: z.nullable(z.object({ year: z.string(), status: z.string() })),
});

export type Dashboard = z.infer<typeof DashboardSchema>;
type Waiting = z.infer<typeof WaitingSchema>;

const ZERO: Waiting = {
  submitted: 0,
  cityReview: 0,
  pastReminder: 0,
  escalated: 0,
  changesRequested: 0,
  provinceReview: 0,
  awaitingBatch: 0,
  inBatch: 0,
  failed: 0,
  returnsNotReceived: null,
};

export async function staffDashboard(
  deps: DashboardDeps,
  principal: StaffPrincipal,
  input: { programId: string },
): Promise<Dashboard> {
  const program = getProgram(input.programId, deps.programs ?? PROGRAMS);
  const units = unitsFor(principal, 'list', program.id);
  if (units.length === 0) throw new ForbiddenError('forbidden');
  const wholeProgramme = principal.scopes.some(
    (s) => s.programId === program.id && (s.role === 'province' || s.role === 'auditor'),
  );
  const now = deps.now();
  const today = shanghaiDate(now);
  const year = today.slice(0, 4);

  const [{ records, closed }, plan, returns] = await Promise.all([
    readCounters(deps.counters, program.id, year, today),
    deps.plans.get(program.id, year),
    returnsOf(deps, program.id, year, units, wholeProgramme),
  ]);
  const report = computeTargetProgress({
    program,
    records,
    ...(closed ? { closed } : {}),
    plan,
    asOf: today,
    today,
    generatedAt: now.toISOString(),
  });
  const shown = new Set(units);
  const firstReminder = firstReminderDay(program);

  const rows = await Promise.all(
    units.map(async (unit) => {
      const summary = report.byUnit.find((u) => u.unit === unit);
      const states = summary?.counts.states;
      const planUnit = report.plan.units.find((p) => p.unit === unit);
      const plannedOf = (role: string) => planUnit?.roles.find((r) => r.role === role)?.planned ?? null;
      const roles = program.roles.map((r) => ({
        role: r.id,
        name: r.name,
        members: report.rows.find((x) => x.unit === unit && x.role === r.id)?.counts.inPool ?? 0,
        planned: plannedOf(r.id),
      }));
      const open = OPEN_STATES.reduce((n, s) => n + Math.max(0, states?.[s] ?? 0), 0);
      const provinceReview = Math.max(0, states?.province_review ?? 0);
      const [walk, awaiting] = await Promise.all([
        open > 0 ? walkOpen(deps, program.id, unit, open, now, firstReminder) : undefined,
        provinceReview > 0 && hasStage(program, 'province') ? deps.reads.awaitingBatch(program.id, unit) : 0,
      ]);
      const unitReturn = returns?.units.get(unit);
      const waiting: Waiting = {
        submitted: Math.max(0, states?.submitted ?? 0),
        cityReview: Math.max(0, states?.city_review ?? 0),
        pastReminder: walk?.pastReminder ?? 0,
        escalated: walk?.escalated ?? 0,
        changesRequested: Math.max(0, states?.changes_requested ?? 0),
        provinceReview,
        awaitingBatch: Math.min(awaiting, provinceReview),
        inBatch: Math.max(0, provinceReview - awaiting),
        failed: walk?.failed ?? 0,
        returnsNotReceived: unitReturn ? Math.max(0, unitReturn.enterprises - unitReturn.answered) : null,
      };
      return {
        unit,
        name: summary?.name ??
          program.reportingUnits.find((u) => u.code === unit)?.name ?? { zh: unit, en: unit },
        members: summary?.counts.inPool ?? 0,
        planned: planUnit ? planUnit.people.planned : null,
        plannedMembers: planUnit ? planUnit.people.members : 0,
        expectedNow: planUnit ? planUnit.people.expectedNow : null,
        lagging: planUnit?.lagging ?? false,
        roles,
        waiting,
        complete: walk?.complete ?? true,
      };
    }),
  );

  const totals = { ...ZERO };
  for (const row of rows) {
    for (const key of Object.keys(ZERO) as (keyof Waiting)[]) {
      if (key === 'returnsNotReceived') continue;
      totals[key] += row.waiting[key];
    }
    if (row.waiting.returnsNotReceived !== null)
      totals.returnsNotReceived = (totals.returnsNotReceived ?? 0) + row.waiting.returnsNotReceived;
  }
  const roles = program.roles.map((r) => {
    const per = rows.map((u) => u.roles.find((x) => x.role === r.id));
    const plannedUnits = per.filter((x) => x?.planned !== null && x?.planned !== undefined);
    return {
      role: r.id,
      name: r.name,
      members: per.reduce((n, x) => n + (x?.members ?? 0), 0),
      planned: plannedUnits.length ? plannedUnits.reduce((n, x) => n + (x?.planned ?? 0), 0) : null,
    };
  });

  return {
    programId: program.id,
    asOf: today,
    generatedAt: now.toISOString(),
    scope: wholeProgramme ? 'programme' : 'unit',
    members: { label: MEMBER_WORDS[memberState(program)].label },
    pool: rows.reduce((n, u) => n + u.members, 0),
    target: wholeProgramme ? report.target : null,
    plan: { year, setAt: plan.setAt },
    units: rows,
    roles,
    trend: yearTrend({ program, records, closed, year, today, shown, report }),
    totals,
    reminder: { firstDay: firstReminder },
    returns: returns ? { year: returns.year, status: returns.status } : null,
  };
}

/** The city stage's first reminder day, if the programme sends any before its timeout. */
function firstReminderDay(program: Program): number | null {
  const city = program.reviewStages.find((s) => s.id === 'city');
  const days = (city?.reminderDays ?? []).filter((d) => d < (city?.timeoutDays ?? 0));
  return days.length ? Math.min(...days) : null;
}

/**
 * The unit's open filings, newest first, met through their latest events: those in city review
 * past the first reminder (counted from when the round began; an escalated one always), and
 * those whose recorded failures outnumber the restarts. Stops once `open` filings are met.
 */
async function walkOpen(
  deps: DashboardDeps,
  programId: string,
  unit: string,
  open: number,
  now: Date,
  firstReminder: number | null,
) {
  let met = 0;
  let examined = 0;
  let pastReminder = 0;
  let escalated = 0;
  let failed = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.queries.unitFilings({
      programId,
      unit,
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (let i = 0; i < page.filingIds.length && met < open && examined < MAX_EXAMINED; i += AT_ONCE) {
      const ids = page.filingIds.slice(i, Math.min(i + AT_ONCE, i + MAX_EXAMINED - examined));
      examined += ids.length;
      const events = await Promise.all(ids.map((id) => deps.reads.latestEvent(id)));
      const openIds = ids.filter((_, k) => {
        const e = events[k];
        return e !== undefined && OPEN_STATES.includes(e.state);
      });
      met += openIds.length;
      for (const e of events) {
        if (e?.state !== 'city_review') continue;
        if (e.action === 'escalate') {
          escalated += 1;
          pastReminder += 1;
        } else if (firstReminder !== null && now.getTime() - Date.parse(e.at) >= firstReminder * DAY_MS) {
          pastReminder += 1;
        }
      }
      const counts = await Promise.all(openIds.map((id) => deps.reads.failureCounts(id)));
      failed += counts.filter((c) => c.failures > c.resumes).length;
    }
    cursor = page.next;
  } while (cursor && met < open && examined < MAX_EXAMINED);
  return { pastReminder, escalated, failed, complete: met >= open };
}

/** The annual return of this year, or of last year while this year's is not opened; per unit shown. */
async function returnsOf(
  deps: DashboardDeps,
  programId: string,
  year: string,
  units: readonly string[],
  wholeProgramme: boolean,
): Promise<{ year: string; status: string; units: Map<string, UnitReturn> } | undefined> {
  for (const y of [year, String(Number(year) - 1)]) {
    const stored = await deps.returns.getProgram(programId, y);
    if (!stored) continue;
    const list = wholeProgramme
      ? await deps.returns.listUnits(programId, y)
      : (await Promise.all(units.map((u) => deps.returns.getUnit(programId, y, u)))).filter(
          (u): u is UnitReturn => u !== undefined,
        );
    const shown = new Set(units);
    return {
      year: y,
      status: stored.status,
      units: new Map(list.filter((u) => shown.has(u.unit)).map((u) => [u.unit, u])),
    };
  }
  return undefined;
}

/**
 * Members at each month's end of the year over the units shown. The whole programme's series is
 * the report's; a unit's is its start-of-year members plus the year's monthly entries less
 * removals and supersessions (the counters keep those per unit for the open year).
 */
function yearTrend(input: {
  program: Program;
  records: readonly CounterRecord[];
  closed: Parameters<typeof computeTargetProgress>[0]['closed'];
  year: string;
  today: string;
  shown: ReadonlySet<string>;
  report: ReturnType<typeof computeTargetProgress>;
}): { month: string; members: number }[] {
  const { program, records, closed, year, today, shown, report } = input;
  const thisMonth = today.slice(0, 7);
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter(
    (m) => m <= thisMonth,
  );
  if (
    shown.size === program.reportingUnits.length &&
    program.reportingUnits.every((u) => shown.has(u.code))
  ) {
    const byMonth = new Map(report.trend.map((p) => [p.month, p.pool]));
    let last = 0;
    return months.map((month) => {
      last = byMonth.get(month) ?? last;
      return { month, members: last };
    });
  }
  const member = memberState(program);
  const entered = (e: Partial<Record<string, number>>) => e[member] ?? 0;
  let start = 0;
  for (const c of closed?.cells ?? []) if (shown.has(c.unit)) start += c.net[member] ?? 0;
  for (const r of records) if (r.year < year && shown.has(r.unit)) start += r.net[member] ?? 0;
  const change = new Map<string, number>();
  for (const r of records) {
    if (r.year !== year || !shown.has(r.unit)) continue;
    for (const [mm, e] of Object.entries(r.entries)) {
      const month = `${year}-${mm}`;
      change.set(month, (change.get(month) ?? 0) + entered(e) - (e.removed ?? 0) - (e.superseded ?? 0));
    }
  }
  let members = start;
  return months.map((month) => {
    members += change.get(month) ?? 0;
    return { month, members };
  });
}
