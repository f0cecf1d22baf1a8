// The steps of the annual assessment: the programme's year (workflows/annual-assessment.asl.json)
// starts one batch per reporting unit with pool members and waits for them; each unit's batch
// (workflows/unit-assessment.asl.json) is frozen into pages, graded by the city from an
// emailed link (reminders, escalation to the province), applied page by page through the
// lifecycle (`assess`, or `remove` for a confirmed 不合格) and summed up.
//
// Retries never double a transition: each member's grade is applied only if the filing's
// latest event is not already this year's assessment (the event's `detail.assessmentYear`);
// the repository's transition is conditional on the version read, and losing that race counts
// as done only when the event that won is this same assessment.
//
// Scale: a unit's roster is read through the `filingsByUnit` index and one read per filing,
// inside one task (fine for a province: tens of units, thousands of members each). At
// national scale, switch StartUnits and OpenUnit to a Distributed Map over an S3 export of the
// pool (DynamoDB export to S3, or the counters' unit list as an S3 manifest), with the pages
// written by its item batches; the grading wait stays a top-level task of UnitAssessment.

import type { AnnualAssessmentState, UnitAssessmentState } from '#workflows/assessment-state.ts';
import { ConcurrentModificationError } from '../../domain/errors.ts';
import { maskName } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findUnit, type Program } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { FilingEvent, FilingRecord, FilingRepository } from '../../ports/filings.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { newLinkToken } from '../workflow/links.ts';
import { actionOf, gradeReason } from './grades.ts';
import { gradingRemainingSeconds, gradingWait, paginate, programWaitSeconds } from './plan.ts';
import type {
  AssessmentNotifier,
  AssessmentPage,
  AssessmentStarter,
  AssessmentStore,
  GradeEntry,
  Grader,
  Outcome,
  RosterMember,
  UnitAssessment,
} from './ports.ts';
import { allFinished, programSummary, unitResults } from './results.ts';

export interface AssessmentDeps {
  repo: FilingRepository;
  store: AssessmentStore;
  starter: AssessmentStarter;
  notifier: AssessmentNotifier;
  tasks: TaskCallbacks;
  /** Base URL of the API (grading links). */
  apiBaseUrl: string;
  /** Members per page of a unit's batch. */
  pageSize: number;
  /** Filings read or moved at once. */
  concurrency?: number;
  now?: () => Date;
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Whether an event is this year's assessment of the member, by this grade's action. */
export function isThisAssessment(event: FilingEvent, year: string, entry: GradeEntry): boolean {
  return event.action === actionOf(entry.grade) && event.detail?.assessmentYear === year;
}

export function assessmentSteps(deps: AssessmentDeps) {
  const now = () => (deps.now ?? (() => new Date()))();
  const limit = deps.concurrency ?? 8;
  const inSeconds = (seconds: number) => new Date(now().getTime() + seconds * 1000).toISOString();

  async function requireUnit(state: UnitAssessmentState): Promise<UnitAssessment> {
    const unit = await deps.store.getUnit(state.programId, state.year, state.unit);
    if (!unit) throw named('InvalidWorkflowState', `no assessment of unit ${state.unit} ${state.year}`);
    return unit;
  }

  /** Tells the programme's year that a unit ended: the last one resumes the parent's wait. */
  async function settleProgram(programId: string, year: string): Promise<void> {
    const program = await deps.store.getProgram(programId, year);
    if (!program?.taskToken || !program.units) return;
    const units = await deps.store.listUnits(programId, year);
    if (!allFinished(program.units, units)) return;
    await deps.tasks.succeed(program.taskToken, { finishedAt: now().toISOString() }).catch((error: Error) => {
      // Another unit resumed it first, or the parent is re-opening its wait (which checks again).
      logger.info('programme wait not resumed by this unit', { programId, year, error: error.name });
    });
  }

  /** The unit's pool members now, in the order they filed, as the batch shows them. */
  async function roster(program: Program, unit: string): Promise<RosterMember[]> {
    const ids = await deps.store.unitFilingIds(program.id, unit);
    const records = await mapLimit(ids, limit, (id) => deps.repo.get(id));
    return records
      .filter((r) => r.state === 'in_pool' && r.programId === program.id)
      .map((r) => ({
        filingId: r.filingId,
        name: maskName(r.filing.person.name),
        role: r.filing.role,
        enterprise: r.filing.enterprise.name,
      }));
  }

  /** Applies one member's grade, at most once whatever the retries (see the file's head). */
  async function applyGrade(
    year: string,
    filingId: string,
    entry: GradeEntry,
    grader: Grader,
    at: string,
  ): Promise<Outcome> {
    const outcomeOf = (record: Pick<FilingRecord, 'state'>): Outcome =>
      record.state === 'removed' ? 'removed' : 'assessed';
    const record = await deps.repo.get(filingId);
    if (isThisAssessment(record.lastEvent, year, entry)) return outcomeOf(record);
    if (record.state !== 'in_pool') return 'skipped';
    try {
      await deps.repo.transition({
        filingId,
        expected: { state: record.state, version: record.version },
        action: actionOf(entry.grade),
        actor: { role: grader.role, id: grader.id, ...(grader.unit ? { unit: grader.unit } : {}) },
        at,
        reason: gradeReason(year, entry),
        detail: { assessmentYear: year, grade: entry.grade },
      });
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      const latest = await deps.repo.get(filingId);
      if (!isThisAssessment(latest.lastEvent, year, entry)) throw error;
      return outcomeOf(latest);
    }
    return entry.grade === 'unqualified' ? 'removed' : 'assessed';
  }

  return {
    // -- the programme's year ------------------------------------------------------------

    /** Records the year, lists the units with pool members (counters) and starts their batches. */
    async startUnits(state: AnnualAssessmentState): Promise<AnnualAssessmentState> {
      const program = getProgram(state.programId);
      const stored = await deps.store.openProgram({
        programId: program.id,
        year: state.year,
        startedAt: now().toISOString(),
      });
      if (stored.status !== 'open') return { programId: program.id, year: state.year, units: 0 };
      const units =
        stored.units ??
        (await deps.store.setProgramUnits(
          program.id,
          state.year,
          await deps.store.unitsWithPoolMembers(program.id),
        ));
      // Names derived from programme, year and unit: a retried start finds them running.
      for (const unit of units) await deps.starter.startUnit(program.id, state.year, unit);
      logger.info('annual assessment started', {
        programId: program.id,
        year: state.year,
        units: units.length,
      });
      return {
        programId: program.id,
        year: state.year,
        units: units.length,
        wait: { timeoutSeconds: programWaitSeconds(program) },
      };
    },

    /** Waits for every unit; resumes at once when they have all ended already. */
    async awaitUnits(state: AnnualAssessmentState, taskToken: string): Promise<void> {
      await deps.store.setProgramWait(state.programId, state.year, taskToken);
      await settleProgram(state.programId, state.year);
    },

    /** The programme's results, to the province; then the year is closed (a retry sends again). */
    async closeProgram(state: AnnualAssessmentState): Promise<AnnualAssessmentState> {
      const program = getProgram(state.programId);
      const stored = await deps.store.getProgram(program.id, state.year);
      if (!stored) throw named('InvalidWorkflowState', `no assessment of ${program.id} ${state.year}`);
      if (stored.status !== 'open') return { ...state, error: undefined };
      const units = await deps.store.listUnits(program.id, state.year);
      const summary = programSummary(stored.units ?? [], units);
      if (summary.unfinished.length > 0) {
        logger.warn('annual assessment closed with units unfinished', {
          programId: program.id,
          year: state.year,
          unfinished: summary.unfinished,
        });
      }
      await deps.notifier.summary({
        program,
        year: state.year,
        summary,
        recipients: program.provinceReviewers,
      });
      await deps.store.closeProgram(program.id, state.year, {
        status: 'closed',
        at: now().toISOString(),
        summary,
      });
      return { ...state, error: undefined };
    },

    /** Records a failure of the programme's year and alerts the operators; never silent. */
    async recordProgramFailure(state: AnnualAssessmentState): Promise<AnnualAssessmentState> {
      const error = state.error?.Error ?? 'unknown';
      logger.error('annual assessment failed', { programId: state.programId, year: state.year, error });
      if (await deps.store.getProgram(state.programId, state.year)) {
        await deps.store.closeProgram(state.programId, state.year, {
          status: 'failed',
          at: now().toISOString(),
          error,
        });
      }
      await deps.notifier.failure({ programId: state.programId, year: state.year, error });
      return state;
    },

    // -- one unit's batch ----------------------------------------------------------------

    /** Freezes the unit's pool members into pages (once: a retry finds the stored batch). */
    async openUnit(state: UnitAssessmentState): Promise<UnitAssessmentState> {
      const program = getProgram(state.programId);
      if (!findUnit(program, state.unit)) throw named('InvalidWorkflowState', `unknown unit ${state.unit}`);
      let unit = await deps.store.getUnit(program.id, state.year, state.unit);
      if (!unit) {
        const members = await roster(program, state.unit);
        const pages: AssessmentPage[] = paginate(members, deps.pageSize).map((page, i) => ({
          programId: program.id,
          year: state.year,
          unit: state.unit,
          page: i + 1,
          members: page,
        }));
        unit = await deps.store.createUnit(
          {
            programId: program.id,
            year: state.year,
            unit: state.unit,
            status: 'open',
            members: members.length,
            pageSize: deps.pageSize,
            pageCount: pages.length,
            pagesDecided: 0,
            openedAt: now().toISOString(),
          },
          pages,
        );
      }
      const wait = gradingWait(program, 0);
      if (!wait) throw new Error('the assessment has no wait');
      // A batch that ended before (a start repeated after the execution's name expired) is not redone.
      const pages = unit.status === 'open' || unit.status === 'applying' ? unit.pageCount : 0;
      return { ...state, pages, applied: 0, more: false, attempt: 0, wait, error: undefined };
    },

    /** Notifies (reminds, or escalates to the province) and waits until every page is graded. */
    async openGrading(state: UnitAssessmentState, taskToken: string): Promise<void> {
      const program = getProgram(state.programId);
      const escalated = state.wait.kind === 'escalate';
      const unit = await deps.store.setUnitWait(state.programId, state.year, state.unit, {
        taskToken,
        escalated,
        deadline: inSeconds(state.wait.timeoutSeconds),
      });
      if (unit.pagesDecided >= unit.pageCount) {
        // Graded while the wait was being re-opened: deliver it now (unless the last page's POST
        // read this very token and delivered it first; then this answer is refused, harmlessly).
        await deps.tasks.succeed(taskToken, { gradedAt: now().toISOString() }).catch((error: Error) => {
          logger.info('grading wait resumed by the last page', { unit: state.unit, error: error.name });
        });
        return;
      }
      const reportingUnit = findUnit(program, state.unit);
      const recipients = escalated
        ? program.provinceReviewers
        : (reportingUnit?.reviewer.contacts ?? program.provinceReviewers);
      const role = escalated ? ('province' as const) : ('city' as const);
      const expiresAt = inSeconds(gradingRemainingSeconds(program, state.attempt));
      const links: string[] = [];
      for (const recipient of recipients) {
        const { token, hash } = newLinkToken();
        await deps.store.putLink({
          tokenHash: hash,
          programId: program.id,
          year: state.year,
          unit: state.unit,
          stage: 'assessment',
          reviewer: { role, id: recipient.email, ...(role === 'city' ? { unit: state.unit } : {}) },
          createdAt: now().toISOString(),
          expiresAt,
        });
        links.push(`${deps.apiBaseUrl}/assessment/${token}`);
      }
      await deps.notifier.grading({
        program,
        year: state.year,
        unit: state.unit,
        kind: state.wait.kind,
        recipients,
        links,
        deadline: expiresAt,
        members: unit.members,
        pages: unit.pageCount,
      });
    },

    /** After a wait timed out: the next reminder, the escalation, or the grading has expired. */
    async nextWait(state: UnitAssessmentState): Promise<UnitAssessmentState> {
      const program = getProgram(state.programId);
      const unit = await requireUnit(state);
      // Graded just as the wait ended: the re-opened wait delivers it at once.
      const graded = { ...state, wait: { ...state.wait, timeoutSeconds: 60 }, error: undefined };
      if (unit.pagesDecided >= unit.pageCount) return graded;
      const attempt = state.attempt + 1;
      const wait = gradingWait(program, attempt);
      if (wait) return { ...state, attempt, wait, error: undefined };
      const expired = await deps.store.finishUnit(
        state.programId,
        state.year,
        state.unit,
        { status: 'failed', at: now().toISOString(), error: 'AssessmentExpired' },
        true,
      );
      if (!expired) {
        const again = await requireUnit(state);
        if (again.status !== 'failed') return graded;
      }
      throw named('AssessmentExpired', `unit ${state.unit} did not grade its ${state.year} batch in time`);
    },

    /** Applies one page of grades (the next one), each member at most once. */
    async applyPage(state: UnitAssessmentState): Promise<UnitAssessmentState> {
      if (state.applied === 0) await deps.store.startApplying(state.programId, state.year, state.unit);
      const n = state.applied + 1;
      const page = await deps.store.getPage(state.programId, state.year, state.unit, n);
      const grades = page?.grades;
      if (!page || !grades || !page.decidedBy) {
        throw named('InvalidWorkflowState', `page ${n} of unit ${state.unit} is not graded`);
      }
      const at = now().toISOString();
      const grader = page.decidedBy;
      const outcomes = await mapLimit(page.members, limit, async (m): Promise<[string, Outcome]> => {
        const entry = grades[m.filingId];
        if (!entry) return [m.filingId, 'skipped'];
        return [m.filingId, await applyGrade(state.year, m.filingId, entry, grader, at)];
      });
      await deps.store.recordOutcomes(
        state.programId,
        state.year,
        state.unit,
        n,
        Object.fromEntries(outcomes),
      );
      return { ...state, applied: n, more: n < state.pages, graded: undefined, error: undefined };
    },

    /** The unit's results (counts by grade, removals, the outstanding list), then the programme is told. */
    async recordUnit(state: UnitAssessmentState): Promise<UnitAssessmentState> {
      const unit = await requireUnit(state);
      if (unit.status !== 'done' && unit.status !== 'failed') {
        const pages: AssessmentPage[] = [];
        for (let n = 1; n <= unit.pageCount; n++) {
          const page = await deps.store.getPage(state.programId, state.year, state.unit, n);
          if (page) pages.push(page);
        }
        const results = unitResults(state.unit, pages);
        await deps.store.finishUnit(state.programId, state.year, state.unit, {
          status: 'done',
          at: now().toISOString(),
          results,
        });
        logger.info('unit assessment recorded', {
          programId: state.programId,
          year: state.year,
          unit: state.unit,
          members: results.members,
          removed: results.removed,
        });
      }
      await settleProgram(state.programId, state.year);
      return { ...state, error: undefined };
    },

    /** Records a failure (or expiry) of a unit's batch, alerts, and tells the programme. */
    async recordUnitFailure(state: UnitAssessmentState): Promise<UnitAssessmentState> {
      const error = state.error?.Error ?? 'unknown';
      logger.error('unit assessment failed', {
        programId: state.programId,
        year: state.year,
        unit: state.unit,
        error,
      });
      await deps.store.finishUnit(state.programId, state.year, state.unit, {
        status: 'failed',
        at: now().toISOString(),
        error,
      });
      await deps.notifier.failure({ programId: state.programId, year: state.year, unit: state.unit, error });
      await settleProgram(state.programId, state.year);
      return state;
    },
  };
}

export type AssessmentSteps = ReturnType<typeof assessmentSteps>;
