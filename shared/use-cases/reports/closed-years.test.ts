import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Change, noon, replayCounters } from '../../../test/support/counter-replay.ts';
import { allowedActions, type FilingState, transition } from '../../domain/lifecycle.ts';
import { anhuiStdDirector } from '../../domain/programs/anhui-std-director.ts';
import { liaoningCso } from '../../domain/programs/liaoning-cso.ts';
import type { CounterReader, CounterRecord } from '../../ports/counters.ts';
import { addDays, monthFromIndex, monthIndex } from './calendar.ts';
import { ClosedYearsSchema, summarizeClosedYears } from './closed-years.ts';
import { computeTargetProgress, readCounters, targetProgress } from './target-progress.ts';

/** A reader over plain records that counts what it is asked and keeps what it is given. */
function memoryReader(records: CounterRecord[]) {
  const saved = new Map<string, unknown>();
  const calls: string[] = [];
  const reader: Required<CounterReader> = {
    async countersUpTo(_p, upTo) {
      calls.push(`upTo ${upTo}`);
      return records.filter((r) => r.year <= upTo);
    },
    async countersOfYear(_p, year) {
      calls.push(`year ${year}`);
      return records.filter((r) => r.year === year);
    },
    async yearSummary(_p, through) {
      calls.push(`summary ${through}`);
      return saved.get(through);
    },
    async saveYearSummary(_p, through, summary) {
      calls.push(`save ${through}`);
      saved.set(through, JSON.parse(JSON.stringify(summary)));
    },
    async coverage() {
      calls.push('coverage');
      return [];
    },
  };
  return { reader, saved, calls };
}

describe('closed years summarized', () => {
  it('gives the same report as every year’s counters, for any history and date (property)', () => {
    const actors = ['applicant', 'city', 'province', 'system'] as const;
    const PATHS = [
      {
        program: liaoningCso,
        units: ['210100', '210200', '21-XX'],
        roles: ['cso', 'director'],
        never: 'register',
      },
      {
        program: anhuiStdDirector,
        units: ['340100', '341882'],
        roles: ['director', 'lead'],
        never: 'approve',
      },
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...PATHS),
        fc.array(
          fc.record({
            unit: fc.nat(2),
            role: fc.nat(1),
            start: fc.nat(4 * 365),
            steps: fc.array(fc.record({ pick: fc.nat(20), gap: fc.nat(200) }), { maxLength: 6 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.nat(59),
        fc.nat(27),
        ({ program, units, roles, never }, filings, monthPick, day) => {
          const changes: Change[] = [];
          for (const spec of filings) {
            const unit = units[spec.unit] ?? units[0];
            const role = roles[spec.role] ?? roles[0];
            let date = addDays('2021-01-01', spec.start);
            let state: FilingState = 'submitted';
            changes.push({ unit, role, from: null, to: state, at: noon(date) });
            for (const step of spec.steps) {
              const options = actors.flatMap((a) =>
                allowedActions(state, a)
                  .filter((action) => action !== never)
                  .map((action) => ({ a, action })),
              );
              const choice = options[step.pick % Math.max(1, options.length)];
              if (!choice) break;
              const to = transition(state, choice.action, choice.a);
              date = addDays(date, step.gap);
              changes.push({ unit, role, from: state, to, at: noon(date) });
              state = to;
            }
          }
          const records = replayCounters(changes, program.id);
          const month = monthFromIndex(monthIndex('2021-01') + monthPick);
          const asOf = `${month}-${String(Math.min(day + 1, 28)).padStart(2, '0')}`;
          const year = asOf.slice(0, 4);
          const base = { program, asOf, today: '2026-06-01', generatedAt: '2026-06-01T00:00:00Z' };
          const whole = computeTargetProgress({ ...base, records });
          const through = String(Number(year) - 1);
          const closed = ClosedYearsSchema.parse(
            JSON.parse(JSON.stringify(summarizeClosedYears(records, through))),
          );
          const open = records.filter((r) => r.year === year);
          expect(computeTargetProgress({ ...base, records: open, closed })).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a few numbers per unit × role and per month, however many people', () => {
    const changes: Change[] = [];
    for (let i = 0; i < 2000; i++) {
      const date = addDays('2016-01-01', Math.floor((i * 3650) / 2000));
      for (const [from, to] of [
        [null, 'submitted'],
        ['submitted', 'city_review'],
        ['city_review', 'province_review'],
        ['province_review', 'in_pool'],
      ] as const) {
        changes.push({ unit: i % 2 ? '210100' : '210200', role: 'cso', from, to, at: noon(date) });
      }
    }
    const summary = summarizeClosedYears(replayCounters(changes, liaoningCso.id), '2025');
    expect(summary.cells).toHaveLength(2);
    expect(summary.cells.reduce((n, c) => n + (c.net.in_pool ?? 0), 0)).toBe(2000);
    expect(summary.firstYear).toBe('2016');
    expect(Object.keys(summary.months)).toHaveLength(120);
    expect(Object.keys(summary.unitMonths).sort()).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(JSON.stringify(summary).length).toBeLessThan(12_000);
  });

  it('reads the summary and the open year once stored, and stores it only after the year’s first day', async () => {
    const changes: Change[] = [
      { unit: '210100', role: 'cso', from: null, to: 'submitted', at: noon('2023-05-05') },
      { unit: '210100', role: 'cso', from: 'submitted', to: 'city_review', at: noon('2024-05-05') },
      { unit: '210100', role: 'cso', from: null, to: 'submitted', at: noon('2025-02-05') },
    ];
    const { reader, saved, calls } = memoryReader(replayCounters(changes, liaoningCso.id));
    // On New Year's Day the closed year is summarized but not stored.
    const early = await readCounters(reader, liaoningCso.id, '2025', '2025-01-01');
    expect(early.closed?.throughYear).toBe('2024');
    expect(saved.size).toBe(0);
    const first = await readCounters(reader, liaoningCso.id, '2025', '2025-03-01');
    expect(first.records.map((r) => r.year)).toEqual(['2025']);
    expect([...saved.keys()]).toEqual(['2024']);
    calls.length = 0;
    const again = await readCounters(reader, liaoningCso.id, '2025', '2025-03-01');
    expect(calls).toEqual(['summary 2024', 'year 2025']);
    expect(again).toEqual(first);
    // A stored summary of another shape is read around, never trusted.
    saved.set('2024', { throughYear: '2024', cells: 'nonsense' });
    calls.length = 0;
    await readCounters(reader, liaoningCso.id, '2025', '2025-03-01');
    expect(calls).toEqual(['summary 2024', 'upTo 2025', 'save 2024']);
    const report = await targetProgress(
      { counters: reader, now: () => new Date('2025-03-01T04:00:00Z') },
      { programId: liaoningCso.id, asOf: '2025-02-28' },
    );
    expect(report.totals.filed).toBe(2);
    expect(report.totals.underReview).toBe(2);
  });
});
