// Calendar arithmetic on Asia/Shanghai dates held as strings (`YYYY-MM-DD`, `YYYY-MM`): the
// reports count in calendar months, and a "month" of pace is the mean Gregorian month.
const DAY_MS = 86_400_000;

/** Mean length of a month in days (365.25 / 12), for paces per month and projections. */
export const MONTH_DAYS = 365.25 / 12;

export const monthOf = (date: string) => date.slice(0, 7);

/** Months since year 0: lets month arithmetic be plain subtraction. */
export function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function monthFromIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const addMonths = (month: string, n: number) => monthFromIndex(monthIndex(month) + n);

export function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

export const endOfMonth = (month: string) => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
