// The waits of the filing workflow, from the programs' review stages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilingWorkflowStateSchema } from '#workflows/filing-state.ts';
import { getProgram, PROGRAMS } from '../../domain/programs/index.ts';
import { defineProgram, hasStage, type Program, type ProgramInput } from '../../domain/programs/program.ts';
import {
  amendmentWait,
  cityRemainingSeconds,
  citySegments,
  cityWait,
  provinceWait,
  reviewDueSeconds,
} from './plan.ts';

const DAY = 86_400;
const liaoning = getProgram('liaoning-cso');

/** The program with other city/province stages (validated like a configuration file). */
function withStages(
  base: Program,
  city: { timeoutDays: number; reminderDays: number[] },
  province: { timeoutDays: number } = { timeoutDays: 21 },
): Program {
  return defineProgram({
    ...base,
    reviewStages: [
      { id: 'city', name: { zh: '市局审核', en: 'City review' }, ...city },
      { id: 'province', name: { zh: '省局', en: 'Province' }, reminderDays: [], ...province },
    ],
  });
}

describe('city segments', () => {
  it('Liaoning: notice for 3 days, reminders for 4 and 7 days, then 21 days with the province', () => {
    expect(citySegments(liaoning)).toEqual([
      { timeoutSeconds: 3 * DAY, kind: 'notify' },
      { timeoutSeconds: 4 * DAY, kind: 'remind' },
      { timeoutSeconds: 7 * DAY, kind: 'remind' },
      { timeoutSeconds: 21 * DAY, kind: 'escalate' },
    ]);
  });

  it('cityWait walks the segments and is undefined once the escalation is over', () => {
    expect(cityWait(liaoning, 0)).toEqual({ timeoutSeconds: 3 * DAY, kind: 'notify' });
    expect(cityWait(liaoning, 1)).toEqual({ timeoutSeconds: 4 * DAY, kind: 'remind' });
    expect(cityWait(liaoning, 2)).toEqual({ timeoutSeconds: 7 * DAY, kind: 'remind' });
    expect(cityWait(liaoning, 3)).toEqual({ timeoutSeconds: 21 * DAY, kind: 'escalate' });
    expect(cityWait(liaoning, 4)).toBeUndefined();
    expect(cityWait(liaoning, 40)).toBeUndefined();
  });

  it('cityRemainingSeconds sums the segments from an attempt to the end', () => {
    expect(cityRemainingSeconds(liaoning, 0)).toBe(35 * DAY);
    expect(cityRemainingSeconds(liaoning, 1)).toBe(32 * DAY);
    expect(cityRemainingSeconds(liaoning, 2)).toBe(28 * DAY);
    expect(cityRemainingSeconds(liaoning, 3)).toBe(21 * DAY);
    expect(cityRemainingSeconds(liaoning, 4)).toBe(0);
  });

  it('reviewDueSeconds runs to the city’s own deadline, or to the end of the escalation once escalated', () => {
    // The city's 14 days from the notice: 14 at the notice, 11 at day 3, 7 at day 7.
    expect(reviewDueSeconds(liaoning, 0)).toBe(14 * DAY);
    expect(reviewDueSeconds(liaoning, 1)).toBe(11 * DAY);
    expect(reviewDueSeconds(liaoning, 2)).toBe(7 * DAY);
    // Escalated: the province's 21 days.
    expect(reviewDueSeconds(liaoning, 3)).toBe(21 * DAY);
    const other = withStages(liaoning, { timeoutDays: 10, reminderDays: [4] });
    expect(reviewDueSeconds(other, 0)).toBe(10 * DAY);
    expect(reviewDueSeconds(other, 1)).toBe(6 * DAY);
    // Always earlier than the links' expiry while the city decides.
    for (const attempt of [0, 1, 2]) {
      expect(reviewDueSeconds(liaoning, attempt)).toBeLessThan(cityRemainingSeconds(liaoning, attempt));
    }
  });

  it('sorts reminders given out of order', () => {
    const program = withStages(liaoning, { timeoutDays: 14, reminderDays: [7, 3] });
    expect(citySegments(program)).toEqual(citySegments(liaoning));
    // The configuration itself is left as written.
    expect(program.reviewStages[0]?.reminderDays).toEqual([7, 3]);
  });

  it('without reminders: one notice for the whole city stage, then the escalation', () => {
    const program = withStages(liaoning, { timeoutDays: 10, reminderDays: [] }, { timeoutDays: 5 });
    expect(citySegments(program)).toEqual([
      { timeoutSeconds: 10 * DAY, kind: 'notify' },
      { timeoutSeconds: 5 * DAY, kind: 'escalate' },
    ]);
    expect(cityRemainingSeconds(program, 0)).toBe(15 * DAY);
  });

  it('Anhui (no province stage): the province has as long as the city had for an escalated review', () => {
    expect(citySegments(getProgram('anhui-std-director'))).toEqual([
      { timeoutSeconds: 3 * DAY, kind: 'notify' },
      { timeoutSeconds: 4 * DAY, kind: 'remind' },
      { timeoutSeconds: 7 * DAY, kind: 'remind' },
      { timeoutSeconds: 14 * DAY, kind: 'escalate' },
    ]);
  });

  it('a program without a city stage, or a province wait without a province stage, is refused by name', () => {
    const noProvince = { ...liaoning, reviewStages: liaoning.reviewStages.filter((s) => s.id === 'city') };
    const noCity = { ...liaoning, reviewStages: liaoning.reviewStages.filter((s) => s.id === 'province') };
    expect(() => citySegments(noCity)).toThrow('program liaoning-cso has no city review stage');
    expect(() => provinceWait(noProvince)).toThrow('program liaoning-cso has no province review stage');
  });

  it('every program: the segments cover the city and province timeouts exactly', () => {
    for (const program of PROGRAMS) {
      const city = program.reviewStages.find((s) => s.id === 'city');
      const province = program.reviewStages.find((s) => s.id === 'province');
      const segments = citySegments(program);
      expect(segments[0]?.kind).toBe('notify');
      expect(segments.at(-1)?.kind).toBe('escalate');
      expect(cityRemainingSeconds(program, 0)).toBe(
        ((city?.timeoutDays ?? 0) + ((province ?? city)?.timeoutDays ?? 0)) * DAY,
      );
    }
  });

  // Every wait becomes `wait.timeoutSeconds` of the workflow state (an integer ≥ 1, checked at
  // each task boundary) and a TimeoutSecondsPath: a configuration the program schema accepts
  // must never plan a wait the workflow then refuses.
  const validWait = (program: Program, attempt: number, wait: unknown) =>
    FilingWorkflowStateSchema.safeParse({
      filingId: 'F0000000000000',
      programId: program.id,
      round: 0,
      stage: 'city',
      attempt,
      wait,
    }).success;

  it('distinct reminder days: every city wait is a valid workflow wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }).chain((timeoutDays) =>
          fc.record({
            timeoutDays: fc.constant(timeoutDays),
            reminderDays: fc.uniqueArray(fc.integer({ min: 1, max: timeoutDays - 1 }), { maxLength: 4 }),
          }),
        ),
        (city) => {
          const program = withStages(liaoning, city);
          for (const [attempt, wait] of citySegments(program).entries()) {
            expect(validWait(program, attempt, wait), JSON.stringify(city)).toBe(true);
          }
        },
      ),
    );
  });

  it('a repeated reminder day (accepted by the program schema) plans no zero-length wait', () => {
    const program = withStages(liaoning, { timeoutDays: 14, reminderDays: [3, 3, 7] });
    for (const [attempt, wait] of citySegments(program).entries()) {
      expect(wait.timeoutSeconds, `attempt ${attempt}`).toBeGreaterThanOrEqual(1);
      expect(validWait(program, attempt, wait), `attempt ${attempt}`).toBe(true);
    }
  });
});

describe('a stage set the configuration check accepts', () => {
  // defineProgram refuses at start-up what the workflow could not run: whatever list of stages
  // it accepts, the city waits are planned, and a province wait exactly where there is one.
  it('is one the workflow plans every wait of', () => {
    const stage = (id: string) =>
      ({
        id,
        name: { zh: id, en: id },
        timeoutDays: 10,
        reminderDays: [2],
      }) as ProgramInput['reviewStages'][number];
    fc.assert(
      fc.property(fc.array(fc.constantFrom('city', 'province', 'county'), { maxLength: 3 }), (ids) => {
        let program: Program | undefined;
        try {
          program = defineProgram({ ...liaoning, reviewStages: ids.map(stage) });
        } catch {
          program = undefined;
        }
        const runnable = ['city', 'city,province'].includes(ids.join(','));
        expect(program !== undefined, ids.join(',')).toBe(runnable);
        if (!program) return;
        expect(citySegments(program).at(-1)?.kind).toBe('escalate');
        if (hasStage(program, 'province')) expect(provinceWait(program).timeoutSeconds).toBe(10 * DAY);
        else expect(() => provinceWait(program)).toThrow('has no province review stage');
      }),
    );
  });
});

describe('province and amendment waits', () => {
  it('province: the province stage timeout, as a notice', () => {
    expect(provinceWait(liaoning)).toEqual({ timeoutSeconds: 21 * DAY, kind: 'notify' });
    const program = withStages(liaoning, { timeoutDays: 14, reminderDays: [3] }, { timeoutDays: 9 });
    expect(provinceWait(program)).toEqual({ timeoutSeconds: 9 * DAY, kind: 'notify' });
  });

  it("amendment: the program's amendment days (21 by default)", () => {
    expect(amendmentWait(liaoning)).toEqual({ timeoutSeconds: 21 * DAY, kind: 'notify' });
    const program = defineProgram({ ...liaoning, amendmentDays: 10 });
    expect(amendmentWait(program)).toEqual({ timeoutSeconds: 10 * DAY, kind: 'notify' });
  });
});
