// The results of the annual assessment, computed from what the pages hold: per unit (counts by
// grade, removals, members skipped because they had left the pool, the outstanding list) and
// per programme (the sum over its units). The outstanding list (优秀评选) carries masked names
// only: the filing's consent covers the privacy notice, not publishing a full name.
import type {
  AssessmentPage,
  Grade,
  OutstandingEntry,
  ProgramSummary,
  UnitAssessment,
  UnitResults,
} from './ports.ts';
import { GRADES } from './ports.ts';

const zeroGrades = (): Record<Grade, number> =>
  Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;

export function unitResults(unit: string, pages: readonly AssessmentPage[]): UnitResults {
  const results: UnitResults = {
    members: 0,
    graded: zeroGrades(),
    removed: 0,
    skipped: 0,
    outstanding: [],
  };
  for (const page of pages) {
    for (const member of page.members) {
      results.members++;
      const entry = page.grades?.[member.filingId];
      if (!entry) continue;
      results.graded[entry.grade]++;
      const outcome = page.outcomes?.[member.filingId];
      if (outcome === 'removed') results.removed++;
      if (outcome === 'skipped') {
        results.skipped++;
        continue;
      }
      if (entry.grade === 'excellent') {
        results.outstanding.push({
          filingId: member.filingId,
          name: member.name,
          role: member.role,
          unit,
          enterprise: member.enterprise,
        });
      }
    }
  }
  return results;
}

/** The programme's results: every unit started (in the order given), and the sums. */
export function programSummary(started: readonly string[], units: readonly UnitAssessment[]): ProgramSummary {
  const byUnit = new Map(units.map((u) => [u.unit, u]));
  const totals = { members: 0, graded: zeroGrades(), removed: 0, skipped: 0 };
  const outstanding: OutstandingEntry[] = [];
  const unfinished: string[] = [];
  const rows: ProgramSummary['units'] = [];
  for (const code of started) {
    const unit = byUnit.get(code);
    if (!unit) {
      rows.push({ unit: code, status: 'not_started' });
      unfinished.push(code);
      continue;
    }
    rows.push({
      unit: code,
      status: unit.status,
      ...(unit.results ? { results: unit.results } : {}),
      ...(unit.error ? { error: unit.error } : {}),
    });
    if (unit.status !== 'done' && unit.status !== 'failed') unfinished.push(code);
    const r = unit.results;
    if (!r) continue;
    totals.members += r.members;
    totals.removed += r.removed;
    totals.skipped += r.skipped;
    for (const g of GRADES) totals.graded[g] += r.graded[g];
    outstanding.push(...r.outstanding);
  }
  return { units: rows, totals, outstanding, unfinished };
}

/** Whether every started unit has ended (done or failed). */
export function allFinished(started: readonly string[], units: readonly UnitAssessment[]): boolean {
  const ended = new Set(units.filter((u) => u.status === 'done' || u.status === 'failed').map((u) => u.unit));
  return started.every((u) => ended.has(u));
}
