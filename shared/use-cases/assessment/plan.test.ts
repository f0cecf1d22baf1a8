// The assessment's waits from the programme: notice, reminders a week and a day before the
// due day, escalation for the province stage's time; nothing after that.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import {
  gradingRemainingSeconds,
  gradingSegments,
  gradingWait,
  paginate,
  programWaitSeconds,
  reminderDays,
} from './plan.ts';

const DAY = 86_400;
const liaoning = getProgram('liaoning-cso');
const withDue = (dueDays: number): Program => ({
  ...liaoning,
  assessment: { ...liaoning.assessment, dueDays },
});

describe('grading waits', () => {
  it('for Liaoning (due in 21 days, province 21): 14 + 6 + 1 days, then 21 days with the province', () => {
    expect(reminderDays(liaoning)).toEqual([14, 20]);
    expect(gradingSegments(liaoning)).toEqual([
      { timeoutSeconds: 14 * DAY, kind: 'notify' },
      { timeoutSeconds: 6 * DAY, kind: 'remind' },
      { timeoutSeconds: 1 * DAY, kind: 'remind' },
      { timeoutSeconds: 21 * DAY, kind: 'escalate' },
    ]);
    expect(gradingWait(liaoning, 3)?.kind).toBe('escalate');
    expect(gradingWait(liaoning, 4)).toBeUndefined();
    expect(gradingRemainingSeconds(liaoning, 0)).toBe(42 * DAY);
    expect(gradingRemainingSeconds(liaoning, 3)).toBe(21 * DAY);
    expect(programWaitSeconds(liaoning)).toBe(43 * DAY);
  });

  it('drops reminders that would fall on or before the notice, and repeats none', () => {
    expect(reminderDays(withDue(1))).toEqual([]);
    expect(gradingSegments(withDue(1)).map((s) => s.kind)).toEqual(['notify', 'escalate']);
    expect(reminderDays(withDue(7))).toEqual([6]);
    expect(reminderDays(withDue(8))).toEqual([1, 7]);
    // The segments always add up to the due day before the escalation.
    for (const due of [1, 2, 7, 8, 14, 24]) {
      const city = gradingSegments(withDue(due)).slice(0, -1);
      expect(city.reduce((s, x) => s + x.timeoutSeconds, 0)).toBe(due * DAY);
    }
  });

  it('needs a province stage to escalate to', () => {
    const noProvince = {
      ...liaoning,
      reviewStages: liaoning.reviewStages.filter((s) => s.id !== 'province'),
    };
    expect(() => gradingSegments(noProvince)).toThrow(/no province review stage/);
  });
});

describe('paginate', () => {
  it('splits into pages of at most the size, keeping the order', () => {
    expect(paginate([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(paginate([], 100)).toEqual([]);
    expect(paginate([1, 2], 2)).toEqual([[1, 2]]);
    expect(() => paginate([1], 0)).toThrow(/positive integer/);
  });
});
