// The annual return's waits from the programme: to the first reminder, between reminders, to
// the due day; then the city's acknowledgement and the province's; nothing after that.
import { describe, expect, it } from 'vitest';
import { getProgram } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import {
  acknowledgementRemainingSeconds,
  acknowledgementWait,
  collectionSegments,
  collectionWait,
  programWaitSeconds,
  reminderDays,
  returnDeadline,
} from './plan.ts';

const DAY = 86_400;
const liaoning = getProgram('liaoning-cso');
const withReturn = (dueDays: number, reminders: number[]): Program => ({
  ...liaoning,
  assessment: { ...liaoning.assessment, dueDays, reminderDays: reminders },
});

describe('the annual return’s waits', () => {
  it('for Liaoning (due in 21 days, reminders on days 14 and 20): 14 + 6 + 1 days, then 14 for the city and 21 for the province', () => {
    expect(reminderDays(liaoning)).toEqual([14, 20]);
    expect(collectionSegments(liaoning)).toEqual([
      { timeoutSeconds: 14 * DAY, kind: 'notify' },
      { timeoutSeconds: 6 * DAY, kind: 'remind' },
      { timeoutSeconds: 1 * DAY, kind: 'remind' },
    ]);
    expect(collectionWait(liaoning, 3)).toBeUndefined();
    expect(acknowledgementWait(liaoning, 0)).toEqual({ timeoutSeconds: 14 * DAY, kind: 'notify' });
    expect(acknowledgementWait(liaoning, 1)).toEqual({ timeoutSeconds: 21 * DAY, kind: 'escalate' });
    expect(acknowledgementWait(liaoning, 2)).toBeUndefined();
    expect(acknowledgementRemainingSeconds(liaoning, 1)).toBe(21 * DAY);
    expect(programWaitSeconds(liaoning)).toBe((21 + 14 + 21 + 1) * DAY);
    expect(returnDeadline(liaoning, new Date('2026-11-01T00:00:00Z'))).toBe('2026-11-22T00:00:00.000Z');
  });

  it('keeps only reminders before the due day, once each, in order', () => {
    expect(reminderDays(withReturn(10, [9, 3, 3, 10, 12]))).toEqual([3, 9]);
    expect(collectionSegments(withReturn(10, [])).map((s) => s.timeoutSeconds)).toEqual([10 * DAY]);
  });
});
