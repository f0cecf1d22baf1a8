// How long each wait of the annual assessment lasts, from the programme's `assessment.dueDays`
// and its province stage: the city gets its notice, a reminder a week before the due day and
// one the day before (design: the programme gives no reminder days for the assessment), then
// the grading escalates to the province for the province stage's time; after that the unit's
// assessment has expired. Nothing loops. The parent waits for the longest of all that.
import type { Program } from '../../domain/programs/program.ts';

const DAY = 86_400;

export interface GradingWait {
  timeoutSeconds: number;
  kind: 'notify' | 'remind' | 'escalate';
}

/** Members per page of a unit's batch (a page is one form on a phone, one POST under 64 KB). */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 200;

/** Days after opening on which the city is reminded (before the due day). */
export function reminderDays(program: Program): number[] {
  const due = program.assessment.dueDays;
  return [...new Set([due - 7, due - 1])].filter((d) => d > 0 && d < due).sort((a, b) => a - b);
}

function provinceDays(program: Program): number {
  const province = program.reviewStages.find((s) => s.id === 'province');
  if (!province) throw new Error(`program ${program.id} has no province review stage`);
  return province.timeoutDays;
}

/** The grading waits in order: notice, reminders, escalation. */
export function gradingSegments(program: Program): GradingWait[] {
  const bounds = [...reminderDays(program), program.assessment.dueDays];
  const segments: GradingWait[] = bounds.map((end, i) => ({
    timeoutSeconds: (end - (i === 0 ? 0 : (bounds[i - 1] ?? 0))) * DAY,
    kind: i === 0 ? 'notify' : 'remind',
  }));
  segments.push({ timeoutSeconds: provinceDays(program) * DAY, kind: 'escalate' });
  return segments;
}

/** The wait for `attempt`, or undefined when the unit's grading has expired. */
export function gradingWait(program: Program, attempt: number): GradingWait | undefined {
  return gradingSegments(program)[attempt];
}

/** Seconds from the start of `attempt` to the end of the last segment (links expire then). */
export function gradingRemainingSeconds(program: Program, attempt: number): number {
  return gradingSegments(program)
    .slice(attempt)
    .reduce((n, s) => n + s.timeoutSeconds, 0);
}

/** The parent's wait for every unit: a unit's whole time, plus a day for opening and applying. */
export function programWaitSeconds(program: Program): number {
  return gradingRemainingSeconds(program, 0) + DAY;
}

/** Splits a unit's members into pages of at most `size`. */
export function paginate<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`page size must be a positive integer: ${size}`);
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}
