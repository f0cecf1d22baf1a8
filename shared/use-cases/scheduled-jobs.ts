// The weekly batches and the scheduled start of the annual return, once per period
// (shared/use-cases/scheduled-runs.ts). The reports' schedules are in report-delivery.ts.
import { PROGRAMS } from '../domain/programs/index.ts';
import { hasStage, type Program } from '../domain/programs/program.ts';
import type { Batch } from '../ports/reviews.ts';
import { type ReturnStartDeps, type StartAnswer, startDueReturns } from './returns/start.ts';
import { once, type ScheduledRun, type ScheduledRunDeps } from './scheduled-runs.ts';

/** Throws what failed, after the rest was done. */
function throwFailures(failures: unknown[], what: string): void {
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} ${what} failed`);
}

export interface WeeklyBatchDeps extends ScheduledRunDeps {
  /** Sends one unit's approved filings to the province (shared/use-cases/workflow/review.ts sendBatch). */
  sendBatch(programId: string, unit: string): Promise<Batch | undefined>;
}

export interface WeeklyBatches {
  batches: number;
  filings: number;
  /** Units a run for the same week already did (or is doing): nothing sent for them. */
  skipped: number;
}

/**
 * Every unit's batch of the week: one per unit and week whatever the number of runs. A unit
 * whose batch failed does not stop the others; the run fails at the end, and a re-run sends
 * only the units not done. A programme whose review ends at the city has no batches.
 */
export async function sendWeeklyBatches(
  deps: WeeklyBatchDeps,
  run: ScheduledRun,
  programs: readonly Program[] = PROGRAMS,
): Promise<WeeklyBatches> {
  const summary: WeeklyBatches = { batches: 0, filings: 0, skipped: 0 };
  const failures: unknown[] = [];
  for (const program of programs.filter((p) => hasStage(p, 'province'))) {
    for (const unit of program.reportingUnits) {
      const part = `${program.id}#${unit.code}`;
      try {
        const outcome = await once(deps, { job: run.job, period: run.period, part }, () =>
          deps.sendBatch(program.id, unit.code),
        );
        if (!outcome.ran) summary.skipped++;
        else if (outcome.result) {
          summary.batches++;
          summary.filings += outcome.result.filingIds.length;
        }
      } catch (error) {
        failures.push(error);
      }
    }
  }
  throwFailures(failures, 'unit batches');
  return summary;
}

/**
 * The returns that open on the scheduled day, started once for that day: a second run (or a
 * redelivery the next morning) starts nothing. Each programme's year is one execution anyway
 * (its name is the programme and year); the claim spares the second run's reads and starts.
 */
export async function startScheduledReturns(
  deps: ReturnStartDeps & ScheduledRunDeps,
  run: ScheduledRun,
  programs: readonly Program[] = PROGRAMS,
): Promise<{ started: StartAnswer[]; skipped?: 'done' | 'running' }> {
  const outcome = await once(deps, { job: run.job, period: run.period }, () =>
    // The programmes whose return opens on the scheduled day, not on the day the run happens.
    startDueReturns({ ...deps, now: () => run.scheduledAt }, programs),
  );
  return outcome.ran ? { started: outcome.result } : { started: [], skipped: outcome.status };
}
