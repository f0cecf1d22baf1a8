// Scheduled jobs: one table for the cloud and `npm start`, the same expression for both.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { SCHEDULES, toFiveFieldCron } from '#workflows/functions.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('schedules', () => {
  it('turns EventBridge cron expressions into five-field patterns', () => {
    expect(toFiveFieldCron('cron(0 9 ? * MON *)')).toBe('0 9 * * MON');
    expect(toFiveFieldCron('cron(0 0 1 * ? *)')).toBe('0 0 1 * *');
    expect(() => toFiveFieldCron('rate(5 minutes)')).toThrow(/not an EventBridge cron/);
  });

  it('runs the weekly batches on Monday 09:00 in Beijing, whatever the machine’s zone', () => {
    const weekly = SCHEDULES.find((s) => s.id === 'WeeklyBatches');
    expect(weekly?.timezone).toBe('Asia/Shanghai');
    const cron = new Cron(toFiveFieldCron(weekly?.expression ?? ''), {
      timezone: weekly?.timezone,
      paused: true,
    });
    // Sunday 2025-06-01 12:00 UTC → next run Monday 2025-06-02 09:00 +08:00 = 01:00 UTC.
    expect(cron.nextRun(new Date('2025-06-01T12:00:00Z'))?.toISOString()).toBe('2025-06-02T01:00:00.000Z');
    cron.stop();
  });

  it('names handler modules that exist', () => {
    for (const schedule of SCHEDULES)
      expect(existsSync(`${root}${schedule.handler}`), schedule.id).toBe(true);
  });
});
