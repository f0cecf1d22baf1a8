// Program dates are Beijing dates: China has one time zone (UTC+8, no daylight saving).
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

/** Year and month (01–12) of an instant in Asia/Shanghai. */
export function shanghaiYearMonth(at: Date | string): { year: string; month: string } {
  const date = shanghaiDate(at);
  return { year: date.slice(0, 4), month: date.slice(5, 7) };
}
