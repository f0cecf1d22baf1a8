// How long each wait of the annual return lasts, from the programme's `assessment` settings:
// the enterprises have `dueDays` from opening, with reminders on `reminderDays` to those that
// have not answered; then the city bureau has `acknowledgeDays` to acknowledge its unit's
// returns, after which they go to the province for the province stage's time; after that the
// unit's return has expired. Nothing loops. The parent waits for the longest of all that.
import type { Program } from '../../domain/programs/program.ts';

const DAY = 86_400;

export interface ReturnWait {
  timeoutSeconds: number;
  kind: 'notify' | 'remind' | 'escalate';
}

/** Enterprises mailed (or reminded, or removals applied) per task: bounded, far from any time limit. */
export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 500;

/** Reminder days of the return, in order, each before the due day. */
export function reminderDays(program: Program): number[] {
  const due = program.assessment.dueDays;
  return [...new Set(program.assessment.reminderDays)].filter((d) => d > 0 && d < due).sort((a, b) => a - b);
}

/** The collection's waits in order: from opening to the first reminder, …, the last one to the due day. */
export function collectionSegments(program: Program): ReturnWait[] {
  const bounds = [...reminderDays(program), program.assessment.dueDays];
  return bounds.map((end, i) => ({
    timeoutSeconds: (end - (i === 0 ? 0 : (bounds[i - 1] ?? 0))) * DAY,
    kind: i === 0 ? 'notify' : 'remind',
  }));
}

/** The collection's wait for `attempt`, or undefined when the deadline has come. */
export function collectionWait(program: Program, attempt: number): ReturnWait | undefined {
  return collectionSegments(program)[attempt];
}

/** When the enterprises' links expire: `dueDays` after opening. */
export function returnDeadline(program: Program, openedAt: Date): string {
  return new Date(openedAt.getTime() + program.assessment.dueDays * DAY * 1000).toISOString();
}

function provinceDays(program: Program): number {
  const province = program.reviewStages.find((s) => s.id === 'province');
  return province?.timeoutDays ?? program.assessment.acknowledgeDays;
}

/** The acknowledgement's waits: the city, then the province. */
export function acknowledgementSegments(program: Program): ReturnWait[] {
  return [
    { timeoutSeconds: program.assessment.acknowledgeDays * DAY, kind: 'notify' },
    { timeoutSeconds: provinceDays(program) * DAY, kind: 'escalate' },
  ];
}

export function acknowledgementWait(program: Program, attempt: number): ReturnWait | undefined {
  return acknowledgementSegments(program)[attempt];
}

/** Seconds from the start of acknowledgement `attempt` to its end (summary links expire then). */
export function acknowledgementRemainingSeconds(program: Program, attempt: number): number {
  return acknowledgementSegments(program)
    .slice(attempt)
    .reduce((n, s) => n + s.timeoutSeconds, 0);
}

/** The parent's wait for every unit: a unit's whole time, plus a day for opening, mailing and applying. */
export function programWaitSeconds(program: Program): number {
  return program.assessment.dueDays * DAY + acknowledgementRemainingSeconds(program, 0) + DAY;
}
