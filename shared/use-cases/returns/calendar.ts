// When the annual return (激励考核) opens: each programme's `assessment.opensOn` (month and day,
// Asia/Shanghai). One EventBridge Scheduler expression serves every programme: on their
// common day when they share one, otherwise daily, and the scheduled handler starts the
// programmes whose day it is.
import type { Program } from '../../domain/programs/program.ts';
import { shanghaiDate } from '../../domain/time.ts';

/** 08:00 Beijing time. */
const HOUR = 8;

export function assessmentScheduleExpression(programs: readonly Program[]): string {
  const days = new Set(programs.map((p) => `${p.assessment.opensOn.day} ${p.assessment.opensOn.month}`));
  const [only] = [...days];
  if (days.size === 1 && only) return `cron(0 ${HOUR} ${only} ? *)`;
  return `cron(0 ${HOUR} * * ? *)`;
}

/** The programmes whose assessment opens on the Beijing date of `now`, with that year. */
export function opensToday(programs: readonly Program[], now: Date): { program: Program; year: string }[] {
  const date = shanghaiDate(now);
  const [year = '', month, day] = date.split('-');
  return programs
    .filter((p) => p.assessment.opensOn.month === Number(month) && p.assessment.opensOn.day === Number(day))
    .map((program) => ({ program, year }));
}

/** Years a return may be started for: from the policy's year to the current Beijing year. */
export function isAssessableYear(program: Program, year: string, now: Date): boolean {
  if (!/^\d{4}$/.test(year)) return false;
  const first = Number(program.policy.issued.slice(0, 4));
  const current = Number(shanghaiDate(now).slice(0, 4));
  return Number(year) >= first && Number(year) <= current;
}
