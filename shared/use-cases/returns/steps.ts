// The steps of the annual return (激励考核, by the enterprise). The programme's year
// (workflows/annual-return.asl.json) starts one child per reporting unit with pool members and
// waits for them. Each unit (workflows/unit-return.asl.json) reads its pool members once,
// groups them by enterprise (USCC) into numbered enterprise items, and mails every enterprise
// one link in bounded batches; it waits for the returns with reminders to those that have not
// answered, then mails the city bureau the unit's summary and waits for its acknowledgement
// (escalated to the province when the city does not answer); the acknowledgement applies the
// removals (不合格 → 淘汰, left the post → 退出) in batches through the lifecycle. Enterprises
// that did not answer are only listed for the city's follow-up.
//
// Retries never double a removal: a removal is applied only if the filing's latest event is not
// already this year's return removal (`detail.returnYear`); the repository's transition is
// conditional on the version read. A person no longer in the pool is skipped, not a failure.
// A batch task that is retried resends only mails not yet marked sent.

import type { AnnualReturnState, UnitReturnState } from '#workflows/return-state.ts';
import { ConcurrentModificationError } from '../../domain/errors.ts';
import { maskName } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findUnit } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { FilingEvent, FilingRecord, FilingRepository } from '../../ports/filings.ts';
import type {
  Acknowledger,
  EnterpriseReturn,
  Removal,
  RemovalOutcome,
  ReturnNotifier,
  ReturnStarter,
  ReturnStore,
  UnitReturn,
} from '../../ports/returns.ts';
import { RETURN_STATES } from '../../ports/returns.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { newLinkToken } from '../workflow/links.ts';
import { REMOVAL_REASONS, unitResults } from './answers.ts';
import {
  acknowledgementRemainingSeconds,
  acknowledgementWait,
  collectionWait,
  programWaitSeconds,
  returnDeadline,
} from './plan.ts';

export interface ReturnDeps {
  repo: FilingRepository;
  store: ReturnStore;
  starter: ReturnStarter;
  notifier: ReturnNotifier;
  tasks: TaskCallbacks;
  /** Base URL of the API (return and summary links). */
  apiBaseUrl: string;
  /** Enterprises mailed, or removals applied, per task. */
  batchSize: number;
  /** Filings read, mails sent or filings moved at once. */
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

/** Whether an event is this year's return removal of the person. */
export function isThisReturnRemoval(event: FilingEvent, year: string): boolean {
  return event.action === 'remove' && event.detail?.returnYear === year;
}

/** Enterprises that can answer: those a link went to. */
export const reachable = (unit: Pick<UnitReturn, 'enterprises' | 'unreachable'>) =>
  unit.enterprises - unit.unreachable.length;

/** Every reachable enterprise has answered. */
export const allAnswered = (unit: UnitReturn) => unit.answered >= reachable(unit);

/** The enterprise contact's email of a stored filing (filings stored before the field lack it). */
const contactEmailOf = (record: FilingRecord): string | undefined =>
  (record.filing.enterprise as { contactEmail?: string }).contactEmail || undefined;

/**
 * A unit's pool members grouped by enterprise (USCC), numbered in USCC order. Each enterprise's
 * link goes to the enterprise contact of its newest filing that names one; otherwise to the
 * officer's own email of its earliest filing; an enterprise with neither is unreachable.
 */
export function groupByEnterprise(
  programId: string,
  year: string,
  unit: string,
  records: readonly FilingRecord[],
): EnterpriseReturn[] {
  const groups = new Map<string, FilingRecord[]>();
  for (const r of records) {
    const key = r.filing.enterprise.uscc;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.keys()].sort().map((uscc, i) => {
    const filings = (groups.get(uscc) ?? []).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const newest = filings.at(-1) as FilingRecord;
    const contact = [...filings].reverse().map(contactEmailOf).find(Boolean);
    const own = filings.map((f) => f.filing.person.email).find(Boolean);
    const recipients = contact ? [contact] : own ? [own] : [];
    return {
      programId,
      year,
      unit,
      seq: i + 1,
      uscc,
      name: newest.filing.enterprise.name,
      recipients,
      fallback: !contact && recipients.length > 0,
      members: filings.map((f) => ({
        filingId: f.filingId,
        name: maskName(f.filing.person.name),
        role: f.filing.role,
        position: f.filing.person.position,
      })),
    };
  });
}

export function returnSteps(deps: ReturnDeps) {
  const now = () => (deps.now ?? (() => new Date()))();
  const limit = deps.concurrency ?? 8;
  const inSeconds = (seconds: number) => new Date(now().getTime() + seconds * 1000).toISOString();

  async function requireUnit(state: UnitReturnState): Promise<UnitReturn> {
    const unit = await deps.store.getUnit(state.programId, state.year, state.unit);
    if (!unit) throw named('InvalidWorkflowState', `no return of unit ${state.unit} ${state.year}`);
    return unit;
  }

  /** Tells the programme's year that a unit ended: the last one resumes the parent's wait. */
  async function settleProgram(programId: string, year: string): Promise<void> {
    const program = await deps.store.getProgram(programId, year);
    if (!program?.taskToken || !program.units) return;
    const units = await deps.store.listUnits(programId, year);
    const ended = new Set(
      units.filter((u) => u.status === 'done' || u.status === 'failed').map((u) => u.unit),
    );
    if (!program.units.every((u) => ended.has(u))) return;
    await deps.tasks.succeed(program.taskToken, { finishedAt: now().toISOString() }).catch((error: Error) => {
      // Another unit resumed it first, or the parent is re-opening its wait (which checks again).
      logger.info('programme wait not resumed by this unit', { programId, year, error: error.name });
    });
  }

  /** Mails one batch of enterprises (links, or reminders to those that have not answered). */
  async function mailBatch(state: UnitReturnState, kind: 'notify' | 'remind'): Promise<UnitReturnState> {
    const program = getProgram(state.programId);
    const unit = await requireUnit(state);
    const from = state.sent + 1;
    const size = Math.min(deps.batchSize, Math.max(0, state.enterprises - state.sent));
    const batch =
      size > 0 ? await deps.store.enterpriseRange(program.id, state.year, state.unit, from, size) : [];
    const due = batch.filter(
      (e) => e.recipients.length > 0 && (kind === 'notify' ? !e.notifiedAt : !!e.notifiedAt && !e.answeredAt),
    );
    // Once the collection has closed nobody is reminded (the links answer 410 by then).
    const open = unit.status === 'collecting' && Date.parse(unit.deadline) > now().getTime();
    await mapLimit(open ? due : [], limit, async (enterprise) => {
      const { token, hash } = newLinkToken();
      await deps.store.putLink({
        tokenHash: hash,
        programId: program.id,
        year: state.year,
        unit: state.unit,
        kind: 'enterprise',
        seq: enterprise.seq,
        createdAt: now().toISOString(),
        expiresAt: unit.deadline,
      });
      await deps.notifier.enterprise({
        program,
        year: state.year,
        kind,
        enterprise,
        link: `${deps.apiBaseUrl}/return/${token}`,
        deadline: unit.deadline,
      });
      await deps.store.markSent(program.id, state.year, state.unit, enterprise.seq, {
        kind,
        at: now().toISOString(),
      });
    });
    const sent = state.sent + size;
    return { ...state, sent, more: sent < state.enterprises, error: undefined };
  }

  /** Removes one person at most once whatever the retries; skipped when no longer in the pool. */
  async function applyRemoval(year: string, removal: Removal, by: Acknowledger, at: string) {
    const record = await deps.repo.get(removal.filingId);
    if (isThisReturnRemoval(record.lastEvent, year)) return 'removed';
    if (!RETURN_STATES.includes(record.state)) return 'skipped';
    try {
      await deps.repo.transition({
        filingId: removal.filingId,
        expected: { state: record.state, version: record.version },
        action: 'remove',
        actor: { role: by.role, id: by.id, ...(by.unit ? { unit: by.unit } : {}) },
        at,
        reason: REMOVAL_REASONS[removal.cause],
        detail: { returnYear: year, cause: removal.cause, uscc: removal.uscc },
      });
      return 'removed';
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      const latest = await deps.repo.get(removal.filingId);
      if (isThisReturnRemoval(latest.lastEvent, year)) return 'removed';
      if (!RETURN_STATES.includes(latest.state)) return 'skipped';
      throw error;
    }
  }

  return {
    // -- the programme's year ------------------------------------------------------------

    /** Records the year, lists the units with pool members (counters) and starts their children. */
    async startUnits(state: AnnualReturnState): Promise<AnnualReturnState> {
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
      await mapLimit(units, limit, (unit) => deps.starter.startUnit(program.id, state.year, unit));
      logger.info('annual return started', { programId: program.id, year: state.year, units: units.length });
      return {
        programId: program.id,
        year: state.year,
        units: units.length,
        wait: { timeoutSeconds: programWaitSeconds(program) },
      };
    },

    /** Waits for every unit; resumes at once when they have all ended already. */
    async awaitUnits(state: AnnualReturnState, taskToken: string): Promise<void> {
      await deps.store.setProgramWait(state.programId, state.year, taskToken);
      await settleProgram(state.programId, state.year);
    },

    /** The programme's year to the province (per unit, the nominees); then it is closed. */
    async closeProgram(state: AnnualReturnState): Promise<AnnualReturnState> {
      const program = getProgram(state.programId);
      const stored = await deps.store.getProgram(program.id, state.year);
      if (!stored) throw named('InvalidWorkflowState', `no return of ${program.id} ${state.year}`);
      if (stored.status !== 'open') return { ...state, error: undefined };
      const units = await deps.store.listUnits(program.id, state.year);
      await deps.notifier.results({
        program,
        year: state.year,
        units,
        recipients: program.provinceReviewers,
      });
      await deps.store.closeProgram(program.id, state.year, { status: 'closed', at: now().toISOString() });
      return { ...state, error: undefined };
    },

    /** Records a failure of the programme's year and alerts the operators; never silent. */
    async recordProgramFailure(state: AnnualReturnState): Promise<AnnualReturnState> {
      const error = state.error?.Error ?? 'unknown';
      logger.error('annual return failed', { programId: state.programId, year: state.year, error });
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

    // -- one unit ------------------------------------------------------------------------

    /** Reads the unit's pool members once and stores them by enterprise (a retry finds the stored unit). */
    async openUnit(state: UnitReturnState): Promise<UnitReturnState> {
      const program = getProgram(state.programId);
      if (!findUnit(program, state.unit)) throw named('InvalidWorkflowState', `unknown unit ${state.unit}`);
      let unit = await deps.store.getUnit(program.id, state.year, state.unit);
      if (!unit) {
        const ids = await deps.store.unitFilingIds(program.id, state.unit);
        const records = await mapLimit(ids, limit, (id) => deps.repo.get(id));
        const pool = records.filter((r) => r.programId === program.id && RETURN_STATES.includes(r.state));
        const enterprises = groupByEnterprise(program.id, state.year, state.unit, pool);
        const openedAt = now();
        unit = await deps.store.createUnit(
          {
            programId: program.id,
            year: state.year,
            unit: state.unit,
            status: 'collecting',
            openedAt: openedAt.toISOString(),
            deadline: returnDeadline(program, openedAt),
            enterprises: enterprises.length,
            members: pool.length,
            answered: 0,
            unreachable: enterprises
              .filter((e) => e.recipients.length === 0)
              .map((e) => ({
                uscc: e.uscc,
                enterprise: e.name,
                members: e.members.length,
                unreachable: true,
              })),
          },
          enterprises,
        );
        logger.info('unit return opened', {
          programId: program.id,
          year: state.year,
          unit: state.unit,
          enterprises: unit.enterprises,
          members: unit.members,
          unreachable: unit.unreachable.length,
        });
      }
      const wait = collectionWait(program, 0);
      if (!wait) throw new Error('the annual return has no wait');
      // A unit that ended before (a start repeated after the execution's name expired) is not redone.
      const enterprises = unit.status === 'collecting' ? unit.enterprises : 0;
      return { ...state, enterprises, sent: 0, more: enterprises > 0, attempt: 0, wait, error: undefined };
    },

    /** One batch of the enterprises' links. */
    sendLinks: (state: UnitReturnState) => mailBatch(state, 'notify'),

    /** One batch of reminders to the enterprises that have not answered. */
    sendReminders: (state: UnitReturnState) => mailBatch(state, 'remind'),

    /** Waits for the returns; resumes at once when every reachable enterprise has answered. */
    async awaitReturns(state: UnitReturnState, taskToken: string): Promise<void> {
      const unit = await deps.store.setUnitWait(state.programId, state.year, state.unit, {
        taskToken,
        escalated: false,
      });
      if (unit.status !== 'collecting' || allAnswered(unit)) {
        await deps.tasks.succeed(taskToken, { answeredAt: now().toISOString() }).catch((error: Error) => {
          logger.info('return wait resumed by the last answer', { unit: state.unit, error: error.name });
        });
      }
    },

    /** After a collection wait ended: remind those that have not answered, or close at the deadline. */
    async nextReturnWait(state: UnitReturnState): Promise<UnitReturnState> {
      const program = getProgram(state.programId);
      const unit = await requireUnit(state);
      const close = { ...state, next: 'close' as const, error: undefined };
      if (unit.status !== 'collecting' || allAnswered(unit)) return close;
      const attempt = state.attempt + 1;
      const wait = collectionWait(program, attempt);
      if (!wait) return close;
      return {
        ...state,
        attempt,
        wait,
        next: 'remind',
        sent: 0,
        more: state.enterprises > 0,
        error: undefined,
      };
    },

    /** Ends the collection: sums the returns, lists who did not answer, prepares the acknowledgement. */
    async closeCollection(state: UnitReturnState): Promise<UnitReturnState> {
      const program = getProgram(state.programId);
      let unit = await requireUnit(state);
      if (unit.status === 'collecting') {
        const enterprises =
          unit.enterprises > 0
            ? await deps.store.enterpriseRange(program.id, state.year, state.unit, 1, unit.enterprises)
            : [];
        await deps.store.closeCollection(
          program.id,
          state.year,
          state.unit,
          unitResults(state.unit, enterprises),
        );
        unit = await requireUnit(state);
      }
      const wait = acknowledgementWait(program, 0);
      if (!wait) throw new Error('the annual return has no acknowledgement wait');
      return {
        ...state,
        next: undefined,
        attempt: 0,
        wait,
        removals: unit.results?.removals.length ?? 0,
        applied: 0,
        more: false,
        answered: undefined,
        error: undefined,
      };
    },

    /** Mails the unit's summary link (the city, or the province after escalation) and waits for the acknowledgement. */
    async openAcknowledgement(state: UnitReturnState, taskToken: string): Promise<void> {
      const program = getProgram(state.programId);
      const escalated = state.wait.kind === 'escalate';
      const unit = await deps.store.setUnitWait(state.programId, state.year, state.unit, {
        taskToken,
        escalated,
      });
      if (unit.status !== 'reviewing') {
        // Acknowledged while the wait was being re-opened: deliver it now.
        await deps.tasks.succeed(taskToken, { acknowledgedAt: now().toISOString() }).catch((error: Error) => {
          logger.info('acknowledgement wait resumed by the city', { unit: state.unit, error: error.name });
        });
        return;
      }
      if (!unit.results) throw named('InvalidWorkflowState', `unit ${state.unit} has no results`);
      const reportingUnit = findUnit(program, state.unit);
      const recipients = escalated
        ? program.provinceReviewers
        : (reportingUnit?.reviewer.contacts ?? program.provinceReviewers);
      const role = escalated ? ('province' as const) : ('city' as const);
      const expiresAt = inSeconds(acknowledgementRemainingSeconds(program, state.attempt));
      const links: string[] = [];
      for (const recipient of recipients) {
        const { token, hash } = newLinkToken();
        await deps.store.putLink({
          tokenHash: hash,
          programId: program.id,
          year: state.year,
          unit: state.unit,
          kind: 'city',
          reviewer: { role, id: recipient.email, ...(role === 'city' ? { unit: state.unit } : {}) },
          createdAt: now().toISOString(),
          expiresAt,
        });
        links.push(`${deps.apiBaseUrl}/return/${token}`);
      }
      await deps.notifier.summary({
        program,
        year: state.year,
        unit: state.unit,
        kind: escalated ? 'escalate' : 'notify',
        recipients,
        links,
        deadline: expiresAt,
        results: unit.results,
      });
    },

    /** After an acknowledgement wait timed out: escalate to the province, or the unit has expired. */
    async nextAcknowledgementWait(state: UnitReturnState): Promise<UnitReturnState> {
      const program = getProgram(state.programId);
      const unit = await requireUnit(state);
      // Acknowledged just as the wait ended: the re-opened wait delivers it at once.
      const acknowledged = { ...state, wait: { ...state.wait, timeoutSeconds: 60 }, error: undefined };
      if (unit.status !== 'reviewing') return acknowledged;
      const attempt = state.attempt + 1;
      const wait = acknowledgementWait(program, attempt);
      if (wait) return { ...state, attempt, wait, error: undefined };
      const expired = await deps.store.finishUnit(
        state.programId,
        state.year,
        state.unit,
        { status: 'failed', at: now().toISOString(), error: 'AcknowledgementExpired' },
        true,
      );
      if (!expired && (await requireUnit(state)).status !== 'failed') return acknowledged;
      throw named(
        'AcknowledgementExpired',
        `unit ${state.unit} did not acknowledge its ${state.year} returns`,
      );
    },

    /** Applies one batch of the acknowledged removals, each at most once. */
    async applyRemovals(state: UnitReturnState): Promise<UnitReturnState> {
      const unit = await requireUnit(state);
      const by = unit.acknowledgedBy;
      if (unit.status !== 'applying' || !by || !unit.results) {
        throw named('InvalidWorkflowState', `unit ${state.unit} is not acknowledged`);
      }
      const batch = unit.results.removals.slice(state.applied, state.applied + deps.batchSize);
      const at = now().toISOString();
      const outcomes = await mapLimit(
        batch,
        limit,
        async (removal): Promise<[string, RemovalOutcome]> => [
          removal.filingId,
          await applyRemoval(state.year, removal, by, at),
        ],
      );
      if (outcomes.length > 0) {
        await deps.store.recordOutcomes(
          state.programId,
          state.year,
          state.unit,
          Object.fromEntries(outcomes),
        );
      }
      const applied = state.applied + batch.length;
      return { ...state, applied, more: applied < state.removals, acknowledged: undefined, error: undefined };
    },

    /** The unit is done; then the programme is told. */
    async recordUnit(state: UnitReturnState): Promise<UnitReturnState> {
      const unit = await requireUnit(state);
      if (unit.status !== 'done' && unit.status !== 'failed') {
        // A unit without pool members never collected: its collection closes empty here.
        if (unit.status === 'collecting') {
          await deps.store.closeCollection(
            state.programId,
            state.year,
            state.unit,
            unitResults(state.unit, []),
          );
        }
        await deps.store.finishUnit(state.programId, state.year, state.unit, {
          status: 'done',
          at: now().toISOString(),
        });
        const removed = Object.values(unit.outcomes ?? {}).filter((o) => o === 'removed').length;
        logger.info('unit return recorded', {
          programId: state.programId,
          year: state.year,
          unit: state.unit,
          removed,
        });
      }
      await settleProgram(state.programId, state.year);
      return { ...state, error: undefined };
    },

    /** Records a failure (or expiry) of a unit's return, alerts, and tells the programme. */
    async recordUnitFailure(state: UnitReturnState): Promise<UnitReturnState> {
      const error = state.error?.Error ?? 'unknown';
      logger.error('unit return failed', {
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

export type ReturnSteps = ReturnType<typeof returnSteps>;
