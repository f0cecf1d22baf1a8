// The steps of the filing workflow (workflows/filing.asl.json). Each takes the typed state
// and returns it; every change of the filing goes through the lifecycle function and the
// data layer's transaction, and a retried step never applies a transition twice (it finds
// the filing already moved by the same action and goes on).

import type { FailureState, FilingWorkflowState } from '#workflows/filing-state.ts';
import { type Action, FINAL_STATES, type FilingState } from '../../domain/lifecycle.ts';
import { redactText } from '../../domain/masking.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { findUnit, hasStage, type Program } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { FilingRecord, FilingRepository } from '../../ports/filings.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { ReviewStore, ReviewTask } from '../../ports/reviews.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { newLinkToken } from './links.ts';
import { amendmentWait, cityRemainingSeconds, cityWait, provinceWait, reviewDueSeconds } from './plan.ts';

export interface WorkflowDeps {
  repo: FilingRepository;
  reviews: ReviewStore;
  notifier: Notifier;
  tasks: TaskCallbacks;
  /** Base URL of the API (review links) and of the site (status links). */
  apiBaseUrl: string;
  siteBaseUrl: string;
  /** The applicant's status link (with the receipt token in the fragment). */
  statusLink(filingId: string): Promise<string>;
  now?: () => Date;
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const clock = (deps: WorkflowDeps) => (deps.now ?? (() => new Date()))();

/** Refuses to wait on a filing that is final: its workflow ends as withdrawn. */
function requireOpen(record: FilingRecord) {
  if (FINAL_STATES.includes(record.state)) {
    throw named('FilingWithdrawn', `filing ${record.filingId} is ${record.state}`);
  }
}

/** Applies a transition unless the filing already went there by the same action (a retried step). */
async function move(
  deps: WorkflowDeps,
  record: FilingRecord,
  action: Action,
  expectedTo: FilingState,
  actor: FilingRecord['lastEvent']['actor'],
  reason?: string,
): Promise<void> {
  if (record.state === expectedTo && record.lastEvent.action === action) return;
  await deps.repo.transition({
    filingId: record.filingId,
    expected: { state: record.state, version: record.version },
    action,
    actor,
    at: clock(deps).toISOString(),
    ...(reason ? { reason } : {}),
  });
}

function deadlineIn(deps: WorkflowDeps, seconds: number): string {
  return new Date(clock(deps).getTime() + seconds * 1000).toISOString();
}

/** Re-delivers a decision that arrived while the wait was being re-opened (after a reminder). */
async function deliverIfDecided(deps: WorkflowDeps, task: ReviewTask, token: string): Promise<boolean> {
  if (!task.decided) return false;
  await deps.tasks.succeed(token, task.decided);
  return true;
}

export function workflowSteps(deps: WorkflowDeps) {
  async function load(state: FilingWorkflowState): Promise<{ record: FilingRecord; program: Program }> {
    const record = await deps.repo.get(state.filingId);
    return { record, program: getProgram(record.programId) };
  }

  /** Opens a wait that sends nothing (the amendment, the province's batch decision). */
  async function openWait(state: FilingWorkflowState, taskToken: string, stage: 'amend' | 'province') {
    const { record } = await load(state);
    requireOpen(record);
    const task = await deps.reviews.openTask({
      filingId: record.filingId,
      programId: record.programId,
      unit: record.filing.enterprise.reportingUnit,
      stage,
      seq: `${stage}#${state.round}`,
      taskToken,
      escalated: false,
      deadline: deadlineIn(deps, state.wait.timeoutSeconds),
    });
    if (await deliverIfDecided(deps, task, taskToken)) return;
    // The applicant amended before this wait opened (the workflow port found no amend task
    // then): the filing is already back in city review, so the wait is over.
    if (stage === 'amend' && record.state === 'city_review') {
      const amended = {
        decision: 'amended' as const,
        actor: { role: 'applicant' as const },
        at: clock(deps).toISOString(),
      };
      const decided = await deps.reviews.decide(record.filingId, task.seq, amended);
      await deps.tasks.succeed(decided.taskToken, amended);
    }
  }

  return {
    /** Start (or restart after an amendment) the city review. */
    async startReview(state: FilingWorkflowState): Promise<FilingWorkflowState> {
      const { record, program } = await load(state);
      requireOpen(record);
      if (record.state === 'submitted') {
        // The filing is taken in: the applicant is told, before the move, so that a failed send
        // is retried with the step, and a review restarted later (the filing already in city
        // review) or one after an amendment does not tell them again.
        await deps.notifier.applicant({
          mailId: `${record.filingId}#received`,
          program,
          record,
          outcome: 'received',
          cityDeadline: deadlineIn(deps, reviewDueSeconds(program, 0)),
          statusLink: await deps.statusLink(record.filingId),
        });
        await move(deps, record, 'start_city_review', 'city_review', { role: 'system' });
      }
      const round = state.decision?.decision === 'amended' ? state.round + 1 : state.round;
      const wait = cityWait(program, 0);
      if (!wait) throw new Error('the city stage has no wait');
      return { filingId: state.filingId, programId: state.programId, round, stage: 'city', attempt: 0, wait };
    },

    /** Notify (or remind, or escalate to) the reviewers and wait for their decision. */
    async openReview(state: FilingWorkflowState, taskToken: string): Promise<void> {
      const { record, program } = await load(state);
      requireOpen(record);
      const unitCode = record.filing.enterprise.reportingUnit;
      const unit = findUnit(program, unitCode);
      const escalated = state.wait.kind === 'escalate';
      const seq = `city#${state.round}`;
      const task = await deps.reviews.openTask({
        filingId: record.filingId,
        programId: program.id,
        unit: unitCode,
        stage: 'city',
        seq,
        taskToken,
        escalated,
        deadline: deadlineIn(deps, state.wait.timeoutSeconds),
      });
      if (await deliverIfDecided(deps, task, taskToken)) return;
      const recipients = escalated
        ? program.provinceReviewers
        : (unit?.reviewer.contacts ?? program.provinceReviewers);
      const role = escalated ? ('province' as const) : ('city' as const);
      const expiresAt = deadlineIn(deps, cityRemainingSeconds(program, state.attempt));
      // The mail states the city's own deadline; the link's expiry is later and said apart.
      const due = deadlineIn(deps, reviewDueSeconds(program, state.attempt));
      const links: string[] = [];
      for (const recipient of recipients) {
        const { token, hash } = newLinkToken();
        await deps.reviews.putLink({
          tokenHash: hash,
          programId: program.id,
          stage: 'city',
          seq,
          target: { filingId: record.filingId },
          reviewer: { role, id: recipient.email, ...(role === 'city' ? { unit: unitCode } : {}) },
          createdAt: clock(deps).toISOString(),
          expiresAt,
        });
        links.push(`${deps.apiBaseUrl}/review/${token}`);
      }
      await deps.notifier.review({
        // One notice per wait opened: the same wait opened again (its function invoked again
        // with the same token, as after a restart) is still that notice; a restarted review's
        // new wait is a new one.
        mailId: `${record.filingId}#${seq}#${state.attempt}#${state.wait.kind}#${taskToken}`,
        program,
        record,
        kind: state.wait.kind,
        recipients,
        links,
        deadline: due,
        linkExpiresAt: expiresAt,
        at: clock(deps).toISOString(),
      });
    },

    /** After a wait timed out: the next reminder or the escalation, or the review has expired. */
    async nextWait(state: FilingWorkflowState): Promise<FilingWorkflowState> {
      const { record, program } = await load(state);
      const attempt = state.attempt + 1;
      const wait = cityWait(program, attempt);
      if (!wait) {
        await deps.reviews.expire(state.filingId, `city#${state.round}`);
        throw named('ReviewExpired', `no decision on ${state.filingId} after escalation`);
      }
      // The hand-over to the province is an event of the filing's history (staff and the
      // applicant see it), written as every transition is; a retried step finds it written. A
      // filing no longer in city review (withdrawn meanwhile) has nothing to hand over: the wait
      // that follows ends its workflow.
      if (wait.kind === 'escalate' && record.state === 'city_review') {
        await move(deps, record, 'escalate', 'city_review', { role: 'system' });
      }
      return { ...state, attempt, wait, error: undefined };
    },

    /** Applies the decision the wait returned, tells the applicant, and plans the next wait. */
    async applyDecision(state: FilingWorkflowState): Promise<FilingWorkflowState> {
      const decision = state.decision;
      if (!decision) throw named('InvalidWorkflowState', 'no decision to apply');
      const { record, program } = await load(state);
      const actor = {
        role: decision.actor.role,
        ...(decision.actor.id ? { id: decision.actor.id } : {}),
        ...(decision.actor.unit ? { unit: decision.actor.unit } : {}),
      };
      const statusLink = () => deps.statusLink(record.filingId);
      switch (decision.decision) {
        case 'approve':
          // Without a province stage the city's approval ends the review: the filing is
          // registered, the applicant told, and the workflow ends on the flag.
          if (!hasStage(program, 'province')) {
            await move(deps, record, 'register', 'registered', actor);
            await deps.notifier.applicant({
              mailId: `${record.filingId}#registered#${state.round}`,
              program,
              record,
              outcome: 'registered',
              statusLink: await statusLink(),
            });
            return { ...state, registered: true, error: undefined };
          }
          await move(deps, record, 'approve', 'province_review', actor);
          await deps.notifier.applicant({
            mailId: `${record.filingId}#city_approved#${state.round}`,
            program,
            record,
            outcome: 'city_approved',
            statusLink: await statusLink(),
          });
          return {
            ...state,
            stage: 'province',
            attempt: 0,
            wait: provinceWait(program),
            registered: false,
            error: undefined,
          };
        case 'request_changes':
          await move(deps, record, 'request_changes', 'changes_requested', actor, decision.reason);
          await deps.notifier.applicant({
            mailId: `${record.filingId}#changes_requested#${state.round}`,
            program,
            record,
            outcome: 'changes_requested',
            ...(decision.reason ? { reason: decision.reason } : {}),
            statusLink: await statusLink(),
          });
          return { ...state, stage: 'amend', attempt: 0, wait: amendmentWait(program), error: undefined };
        case 'reject':
        case 'include':
        case 'decline': {
          const to = { reject: 'rejected', include: 'in_pool', decline: 'declined' } as const;
          await move(deps, record, decision.decision, to[decision.decision], actor, decision.reason);
          const outcome = { reject: 'rejected', include: 'included', decline: 'declined' } as const;
          await deps.notifier.applicant({
            mailId: `${record.filingId}#${outcome[decision.decision]}#${state.round}`,
            program,
            record,
            outcome: outcome[decision.decision],
            ...(decision.reason ? { reason: decision.reason } : {}),
            statusLink: await statusLink(),
          });
          return { ...state, error: undefined };
        }
        default:
          throw named('InvalidWorkflowState', `decision ${decision.decision} does not belong here`);
      }
    },

    /** Waits for the amendment the city asked for. */
    async awaitAmendment(state: FilingWorkflowState, taskToken: string): Promise<void> {
      await openWait(state, taskToken, 'amend');
    },

    /** The applicant never sent the amendment: the filing is closed. */
    async expireAmendment(state: FilingWorkflowState): Promise<FilingWorkflowState> {
      const { record, program } = await load(state);
      if (record.state === 'changes_requested') {
        await move(deps, record, 'expire', 'withdrawn', { role: 'system' }, '逾期未按要求修改');
        await deps.notifier.applicant({
          mailId: `${record.filingId}#expired#${state.round}`,
          program,
          record,
          outcome: 'expired',
          reason: '逾期未按要求修改',
          statusLink: await deps.statusLink(record.filingId),
        });
      }
      return { ...state, error: undefined };
    },

    /** Waits for the province's decision; the filing joins the unit's next summary batch. */
    async awaitProvince(state: FilingWorkflowState, taskToken: string): Promise<void> {
      await openWait(state, taskToken, 'province');
    },

    /** Records a failure on the filing and alerts the operators; never silent. */
    async recordFailure<S extends FailureState>(state: S): Promise<S> {
      const error = state.error?.Error ?? 'unknown';
      const stage = state.stage ?? 'unknown';
      const record = await deps.repo.get(state.filingId).catch(() => undefined);
      logger.error('filing workflow failed', { filingId: state.filingId, error, stage });
      await deps.repo.recordFailure(state.filingId, {
        at: clock(deps).toISOString(),
        stage,
        error,
        // The cause quotes the failed task's error, which may name an address or a number.
        cause: redactText(state.error?.Cause ?? '').slice(0, 500),
      });
      await deps.notifier.failure({
        filingId: state.filingId,
        programId: state.programId,
        state: record?.state ?? 'unknown',
        error,
      });
      return state;
    },
  };
}

export type WorkflowSteps = ReturnType<typeof workflowSteps>;
