// When the annual return opens: one schedule expression for every programme, the Beijing date.
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { toFiveFieldCron } from '#workflows/functions.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import { assessmentScheduleExpression, isAssessableYear, opensToday } from './calendar.ts';

// Both open their return on 1 November.
const liaoning = getProgram('liaoning-cso');
const anhui = getProgram('anhui-std-director');
const opening = (p: Program, month: number, day: number): Program => ({
  ...p,
  assessment: { ...p.assessment, opensOn: { month, day } },
});

describe('the schedule', () => {
  it('runs once a year on the common day at 08:00 Beijing time', () => {
    expect(assessmentScheduleExpression([liaoning, anhui])).toBe('cron(0 8 1 11 ? *)');
    const cron = new Cron(toFiveFieldCron(assessmentScheduleExpression([liaoning, anhui])), {
      timezone: 'Asia/Shanghai',
      paused: true,
    });
    expect(cron.nextRun(new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    cron.stop();
  });

  it('runs daily when the programmes open on different days', () => {
    expect(assessmentScheduleExpression([liaoning, opening(anhui, 12, 1)])).toBe('cron(0 8 * * ? *)');
  });
});

describe('opensToday', () => {
  it('is the Beijing date: 1 November starts at 16:00 UTC on 31 October', () => {
    const programs = [liaoning, opening(anhui, 12, 1)];
    expect(opensToday(programs, new Date('2026-10-31T15:59:00Z'))).toEqual([]);
    expect(opensToday(programs, new Date('2026-10-31T16:00:00Z'))).toEqual([
      { program: liaoning, year: '2026' },
    ]);
    expect(opensToday(programs, new Date('2026-12-01T03:00:00Z')).map((x) => x.program.id)).toEqual([
      anhui.id,
    ]);
  });
});

describe('isAssessableYear', () => {
  it('from the policy’s year to the current Beijing year', () => {
    const now = new Date('2026-12-31T16:30:00Z'); // 2027-01-01 in Beijing
    expect(isAssessableYear(liaoning, '2027', now)).toBe(true);
    expect(isAssessableYear(liaoning, '2028', now)).toBe(false);
    expect(isAssessableYear(liaoning, '2021', now)).toBe(true);
    expect(isAssessableYear(liaoning, '2020', now)).toBe(false);
    expect(isAssessableYear(liaoning, '26', now)).toBe(false);
    expect(isAssessableYear(liaoning, '2026 ', now)).toBe(false);
  });
});
