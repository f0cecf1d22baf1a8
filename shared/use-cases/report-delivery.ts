// The target-progress report as the province receives it: computed from the counters,
// written to the report bucket as JSON, CSV and HTML, and mailed to the programme's province
// reviewers with the HTML inline and the CSV attached. Used by the monthly and year-end
// schedules (each programme's report once per period, shared/use-cases/scheduled-runs.ts) and
// by province staff on demand.
import { getProgram, PROGRAMS } from '../domain/programs/index.ts';
import type { Program } from '../domain/programs/program.ts';
import { authorize, type StaffPrincipal } from '../domain/staff.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { CounterReader } from '../ports/counters.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { PlanStore } from '../ports/plans.ts';
import type { ReportStore } from '../ports/report-store.ts';
import type { TrainingStore } from '../ports/training.ts';
import { reportFilename, toCsv } from './reports/render-csv.ts';
import { toHtml } from './reports/render-html.ts';
import { targetProgress } from './reports/target-progress.ts';
import { type Once, once, type ScheduledRun, type ScheduledRunDeps } from './scheduled-runs.ts';

export interface ReportDeliveryDeps {
  counters: CounterReader;
  /** The units' yearly plans the report shows (none: no plan set). */
  plans?: Pick<PlanStore, 'get'>;
  /** The training batches the report's training milestones are read from. */
  training?: Pick<TrainingStore, 'listBatches'>;
  store: ReportStore;
  mailer: Mailer;
  now: () => Date;
}

/** The report key prefix of a programme and date. */
export const reportPrefix = (programId: string, asOf: string) => `reports/${programId}/${asOf}/`;

export async function deliverReport(
  deps: ReportDeliveryDeps,
  input: {
    programId: string;
    asOf?: string;
    mail?: boolean;
    /** The mail's id: the same id is mailed once (a schedule's job and period). */
    mailId?: string;
  },
) {
  const program = getProgram(input.programId);
  const asOf = input.asOf ?? shanghaiDate(deps.now());
  const report = await targetProgress(
    {
      counters: deps.counters,
      ...(deps.plans ? { plans: deps.plans } : {}),
      ...(deps.training ? { training: deps.training } : {}),
      now: deps.now,
    },
    { programId: program.id, asOf },
  );
  const json = JSON.stringify(report, null, 2);
  const csv = toCsv(report);
  const html = await toHtml(report);
  const prefix = reportPrefix(program.id, report.asOf);
  const files = {
    json: `${prefix}${reportFilename(report, 'json')}`,
    csv: `${prefix}${reportFilename(report, 'csv')}`,
    html: `${prefix}${reportFilename(report, 'html')}`,
  };
  await Promise.all([
    deps.store.put(files.json, json, 'application/json; charset=utf-8'),
    deps.store.put(files.csv, csv, 'text/csv; charset=utf-8'),
    deps.store.put(files.html, html, 'text/html; charset=utf-8'),
  ]);
  if (input.mail !== false) {
    await deps.mailer.send({
      // Asked for by staff: each request is its own mail, even of the same report.
      id: input.mailId ?? `report#${program.id}#${asOf}#${deps.now().toISOString()}`,
      to: program.provinceReviewers.map((c) => c.email),
      subject: `${program.title.zh}目标进度报告（截至 ${report.asOf}）`,
      text: `${program.title.zh}目标进度报告（截至 ${report.asOf}）见附件与正文。报告已存档：${files.html}`,
      html,
      kind: 'target_report',
      attachments: [
        { filename: reportFilename(report, 'csv'), content: csv, contentType: 'text/csv; charset=utf-8' },
      ],
    });
  }
  return { report, files };
}

/** Province staff (and auditors) ask for the report now; it is stored, and mailed on request. */
export async function reportForStaff(
  deps: ReportDeliveryDeps,
  principal: StaffPrincipal,
  input: { programId: string; asOf?: string; mail?: boolean },
) {
  getProgram(input.programId);
  authorize(principal, 'report', { programId: input.programId });
  return deliverReport(deps, input);
}

export interface ScheduledReport {
  programId: string;
  asOf: string;
  /** `delivered` by this run; `done` or `running`: by another run for the same period (nothing sent). */
  status: 'delivered' | 'done' | 'running';
  poolSize?: number;
}

/**
 * The schedules' reports: every programme's, as of the scheduled day, stored and mailed once
 * per job and period. A second run for the period (a redelivery, a run by hand) mails nothing
 * again; a run that failed at one programme leaves the others delivered, and a re-run sends
 * only what is missing.
 */
export async function deliverScheduledReports(
  deps: ReportDeliveryDeps & ScheduledRunDeps,
  run: ScheduledRun,
  programs: readonly Program[] = PROGRAMS,
): Promise<ScheduledReport[]> {
  const asOf = shanghaiDate(run.scheduledAt);
  const reports: ScheduledReport[] = [];
  const failures: unknown[] = [];
  for (const program of programs) {
    let outcome: Once<Awaited<ReturnType<typeof deliverReport>>>;
    try {
      outcome = await once(deps, { job: run.job, period: run.period, part: program.id }, () =>
        deliverReport(deps, {
          programId: program.id,
          asOf,
          mailId: `${run.job}#${run.period}#${program.id}`,
        }),
      );
    } catch (error) {
      // The next programme's report does not wait on this one's; the run fails at the end.
      failures.push(error);
      continue;
    }
    reports.push(
      outcome.ran
        ? { programId: program.id, asOf, status: 'delivered', poolSize: outcome.result.report.pool }
        : { programId: program.id, asOf, status: outcome.status },
    );
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1)
    throw new AggregateError(failures, `${failures.length} reports were not delivered`);
  return reports;
}
