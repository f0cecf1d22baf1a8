// How long each wait of the filing workflow lasts, from the program's review stages: the
// city gets its first notice, then reminders at the configured days, then the review is
// escalated to the province; after that the review has expired. Nothing loops forever.
import type { Program } from '../../domain/programs/program.ts';

const DAY = 86_400;

export interface WaitPlan {
  timeoutSeconds: number;
  kind: 'notify' | 'remind' | 'escalate';
}

function stage(program: Program, id: 'city' | 'province') {
  const found = program.reviewStages.find((s) => s.id === id);
  if (!found) throw new Error(`program ${program.id} has no ${id} review stage`);
  return found;
}

/** The city-stage waits in order: notice, reminders, escalation. */
export function citySegments(program: Program): WaitPlan[] {
  const city = stage(program, 'city');
  // Distinct reminder days before the timeout, in order: a repeated day adds no empty wait.
  const marks = [...new Set(city.reminderDays)].filter((d) => d < city.timeoutDays).sort((a, b) => a - b);
  const bounds = [...marks, city.timeoutDays];
  const segments: WaitPlan[] = bounds.map((end, i) => ({
    timeoutSeconds: (end - (i === 0 ? 0 : (bounds[i - 1] ?? 0))) * DAY,
    kind: i === 0 ? 'notify' : 'remind',
  }));
  // The province decides an escalated review within its own stage's time; a programme whose
  // review ends at the city gives it as long as the city had.
  const escalation = program.reviewStages.find((s) => s.id === 'province') ?? city;
  segments.push({ timeoutSeconds: escalation.timeoutDays * DAY, kind: 'escalate' });
  return segments;
}

/** The wait for `attempt` in the city stage, or undefined when the review has expired. */
export function cityWait(program: Program, attempt: number): WaitPlan | undefined {
  return citySegments(program)[attempt];
}

/** Seconds from the start of `attempt` to the end of the city stage (links expire then). */
export function cityRemainingSeconds(program: Program, attempt: number): number {
  return citySegments(program)
    .slice(attempt)
    .reduce((n, s) => n + s.timeoutSeconds, 0);
}

/**
 * Seconds from the start of `attempt` to when the review it waits for is due: the city's own
 * deadline (its stage's days, the end of its last reminder wait) for the notice and the
 * reminders; the end of the escalation's wait for the escalation. The links live longer
 * (cityRemainingSeconds): a city decision after the deadline still counts.
 */
export function reviewDueSeconds(program: Program, attempt: number): number {
  const segments = citySegments(program);
  const cityOwn = segments.slice(0, -1);
  if (attempt >= cityOwn.length) return segments[attempt]?.timeoutSeconds ?? 0;
  return cityOwn.slice(attempt).reduce((n, s) => n + s.timeoutSeconds, 0);
}

export function provinceWait(program: Program): WaitPlan {
  return { timeoutSeconds: stage(program, 'province').timeoutDays * DAY, kind: 'notify' };
}

export function amendmentWait(program: Program): WaitPlan {
  return { timeoutSeconds: program.amendmentDays * DAY, kind: 'notify' };
}
