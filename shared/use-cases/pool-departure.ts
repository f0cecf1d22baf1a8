// After inclusion the pool must stay true: the enterprise, with the filing's receipt, reports
// that a member left the post, or the person withdraws consent (PIPL Art. 15: the notice
// promises 「撤回将退出人才库」); province staff remove a member with a reason. Each is one
// audited transition (`remove`, why in the event's detail), the city bureau is told, and a
// withdrawn consent marks the record for erasure: the retention job's next run anonymizes it
// and deletes its documents, whatever the retention period. A consent withdrawn while the
// filing is still under review withdraws it, as the applicant's withdrawal does, so an open
// review link then decides nothing.

import { filingPrefix } from '../domain/attachments.ts';
import {
  type DepartureRequest,
  departuresAllowed,
  LEAVE_REASONS,
  type RemovalRequest,
} from '../domain/departure.ts';
import { ConflictError, ValidationError } from '../domain/errors.ts';
import { MEMBER_STATES, type RemovalKind } from '../domain/lifecycle.ts';
import { authorize, type StaffPrincipal } from '../domain/staff.ts';
import { shanghaiDate } from '../domain/time.ts';
import { logger } from '../observability/logger.ts';
import type { AttachmentStore } from '../ports/attachments.ts';
import type { KeyedHasher } from '../ports/crypto.ts';
import type { ActorRef, FilingEvent, FilingRecord, FilingRepository } from '../ports/filings.ts';
import type { DepartureNotifier } from '../ports/notifier.ts';
import type { FilingWorkflow } from '../ports/workflow.ts';
import { statusView } from './filing-status.ts';
import { requireReceipt } from './receipt.ts';
import { retryOnConcurrentChange } from './retry.ts';

export { DepartureRequestSchema, RemovalRequestSchema } from '../domain/departure.ts';

/** Marks the ending event of a record the retention job erases on its next run. */
export const ERASURE_REQUESTED = 'requested';

export interface DepartureDeps {
  repo: FilingRepository;
  hasher: KeyedHasher;
  workflow: FilingWorkflow;
  attachments: AttachmentStore;
  /** Tells the city bureau of every change to its pool; a failed mail does not undo the change. */
  notifier: DepartureNotifier;
  now?: () => Date;
}

const NOT_A_MEMBER = {
  zh: '该备案不在人才库中，无需报告离岗；审核中的备案可以撤回',
  en: 'this filing is not in the pool; a filing under review can be withdrawn instead',
};
const ENDED = {
  zh: '该备案已结束，无可撤回的同意',
  en: 'this filing has ended; there is no consent left to withdraw',
};

/** The removal this event records, if it is one of the given kind (a repeat answers with it). */
function removalOf(event: FilingEvent): string | undefined {
  return event.action === 'remove' || event.action === 'withdraw' ? event.detail?.removal : undefined;
}

export async function reportDeparture(
  deps: DepartureDeps,
  input: { filingId: string; receipt: string | undefined; request: DepartureRequest },
) {
  await requireReceipt(deps.hasher, input.filingId, input.receipt);
  const now = (deps.now ?? (() => new Date()))();
  const { request } = input;
  if (request.kind === 'left_post' && request.leftOn > shanghaiDate(now)) {
    throw new ValidationError([
      {
        path: 'leftOn',
        code: 'in_future',
        message: { zh: '离岗日期不能晚于今天', en: 'the date cannot be in the future' },
      },
    ]);
  }
  const actor: ActorRef = { role: 'applicant' };
  let changed: { record: FilingRecord; event: FilingEvent } | undefined;
  await retryOnConcurrentChange(async () => {
    const current = await deps.repo.get(input.filingId);
    // A double click, or a retry after a lost answer: the removal is already there.
    if (removalOf(current.lastEvent) === request.kind && current.lastEvent.actor.role === 'applicant') return;
    const allowed = departuresAllowed(current.state);
    if (request.kind === 'left_post' && !allowed.leftPost)
      throw new ConflictError('not_in_pool', NOT_A_MEMBER);
    if (request.kind === 'consent_withdrawn' && !allowed.consentWithdrawal)
      throw new ConflictError('filing_ended', ENDED);
    const member = MEMBER_STATES.includes(current.state);
    const event = await deps.repo.transition({
      filingId: input.filingId,
      expected: { state: current.state, version: current.version },
      action: member ? 'remove' : 'withdraw',
      actor,
      at: now.toISOString(),
      ...(request.kind === 'left_post'
        ? {
            reason: `已离岗（${LEAVE_REASONS[request.reason].zh}，${request.leftOn}）${request.note ? `：${request.note}` : ''}`,
            detail: {
              removal: 'left_post' satisfies RemovalKind,
              leftOn: request.leftOn,
              leaveReason: request.reason,
            },
          }
        : {
            reason: '本人撤回个人信息处理同意',
            detail: { removal: 'consent_withdrawn' satisfies RemovalKind, erasure: ERASURE_REQUESTED },
          }),
    });
    changed = { record: current, event };
  });
  if (changed && changed.event.action === 'withdraw') {
    // Still under review: what the workflow waits for is no longer needed, and the documents go now.
    await deps.attachments.deletePrefix(filingPrefix(input.filingId)).catch((error: Error) =>
      logger.error('attachments of a withdrawn filing not deleted', {
        filingId: input.filingId,
        error: error.name,
      }),
    );
    await deps.workflow.filingWithdrawn(input.filingId);
  }
  if (changed) await deps.notifier.departure(changed);
  const [record, history] = await Promise.all([
    deps.repo.get(input.filingId),
    deps.repo.history(input.filingId),
  ]);
  return statusView(record, history);
}

/** Province staff remove a member with a reason (audited as the removal event itself). */
export async function removeMember(
  deps: Pick<DepartureDeps, 'repo' | 'notifier' | 'now'>,
  principal: StaffPrincipal,
  filingId: string,
  request: RemovalRequest,
) {
  const now = (deps.now ?? (() => new Date()))();
  let changed: { record: FilingRecord; event: FilingEvent } | undefined;
  let record = await deps.repo.get(filingId);
  authorize(principal, 'remove', {
    programId: record.programId,
    unit: record.filing.enterprise.reportingUnit,
  });
  await retryOnConcurrentChange(async () => {
    record = await deps.repo.get(filingId);
    const last = record.lastEvent;
    if (removalOf(last) === 'province' && last.actor.id === principal.subject) return;
    if (!MEMBER_STATES.includes(record.state)) throw new ConflictError('not_in_pool', NOT_A_MEMBER);
    const event = await deps.repo.transition({
      filingId,
      expected: { state: record.state, version: record.version },
      action: 'remove',
      actor: { role: 'province', id: principal.subject },
      at: now.toISOString(),
      reason: request.reason,
      detail: { removal: 'province' satisfies RemovalKind },
    });
    changed = { record, event };
  });
  if (changed) await deps.notifier.departure(changed);
  const after = await deps.repo.get(filingId);
  return { filingId, status: after.state, version: after.version, removedAt: after.lastEvent.at };
}
