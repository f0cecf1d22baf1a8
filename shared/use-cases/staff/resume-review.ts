// Province staff restart the review of a filing whose workflow failed for good (the failure is
// recorded on the filing and the operators were alerted): a new execution `<filingId>-r<n>`
// enters the workflow at the wait of the stage the filing stands in, in the same review round,
// so links already decided stay spent and a decision recorded but never applied is applied now.
// One restart per recorded failure; a repeat (a double click, a retry after a lost answer)
// starts the same execution again, which changes nothing.
import type { FilingWorkflowState } from '#workflows/filing-state.ts';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../../domain/errors.ts';
import { type FilingState, OPEN_STATES } from '../../domain/lifecycle.ts';
import { getProgram } from '../../domain/programs/index.ts';
import { hasStage } from '../../domain/programs/program.ts';
import { authorize, type ResumeRequest, type StaffPrincipal } from '../../domain/staff.ts';
import type { FilingEvent, FilingRecord, FilingRepository, ReviewResume } from '../../ports/filings.ts';
import type { FilingWorkflow } from '../../ports/workflow.ts';
import { amendmentWait, provinceWait } from '../workflow/plan.ts';

export { ResumeRequestSchema } from '../../domain/staff.ts';

export interface ResumeDeps {
  repo: FilingRepository;
  workflow: FilingWorkflow;
  now: () => Date;
}

export interface ResumeAnswer {
  filingId: string;
  /** `resumed`: this request started it; `already_resumed`: an earlier one did. */
  status: 'resumed' | 'already_resumed';
  execution: string;
  stage: FilingWorkflowState['stage'];
  round: number;
}

const NOTHING_TO_RESUME = {
  zh: '该备案的审核流程没有待恢复的故障',
  en: 'the filing’s review has no recorded failure to resume',
};
const ENDED = {
  zh: '该备案已办结或已撤回，无需恢复审核',
  en: 'the filing is final (decided or withdrawn); there is no review to resume',
};

/**
 * Where a resumed workflow waits, from the filing's state: the city review (StartReview sends
 * the reviewers their links again), the applicant's amendment or the province's batch decision.
 * The round is the number of amendments already sent, as the workflow counts it.
 */
export function resumeState(record: FilingRecord, history: FilingEvent[]): FilingWorkflowState {
  const program = getProgram(record.programId);
  const round = history.filter((e) => e.action === 'resubmit').length;
  const base = { filingId: record.filingId, programId: record.programId, round, attempt: 0 };
  const stages: Partial<Record<FilingState, Pick<FilingWorkflowState, 'stage' | 'wait'>>> = {
    submitted: { stage: 'city', wait: { timeoutSeconds: 1, kind: 'notify' } },
    city_review: { stage: 'city', wait: { timeoutSeconds: 1, kind: 'notify' } },
    changes_requested: { stage: 'amend', wait: amendmentWait(program) },
    // Only a programme with a province stage has its wait to return to; a registered filing,
    // like one in the pool, has no review left.
    ...(hasStage(program, 'province')
      ? { province_review: { stage: 'province' as const, wait: provinceWait(program) } }
      : {}),
  };
  const at = stages[record.state];
  if (!at) throw new ConflictError('review_ended', ENDED);
  return { ...base, ...at };
}

function answer(filingId: string, resume: ReviewResume, status: ResumeAnswer['status']): ResumeAnswer {
  const state = JSON.parse(resume.input) as FilingWorkflowState;
  return { filingId, status, execution: resume.executionName, stage: state.stage, round: state.round };
}

/** Restarts the filing's failed review (province staff of its programme; the reason is audited). */
export async function resumeReview(
  deps: ResumeDeps,
  principal: StaffPrincipal,
  filingId: string,
  request: ResumeRequest,
): Promise<ResumeAnswer> {
  const record = await deps.repo.get(filingId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new NotFoundError('filing');
    throw error;
  });
  const unit = record.filing.enterprise.reportingUnit;
  const scope = authorize(principal, 'resume', { programId: record.programId, unit });
  const [failures, resumes] = await Promise.all([deps.repo.failures(filingId), deps.repo.resumes(filingId)]);
  const failure = failures
    .map((f) => f.at)
    .sort()
    .at(-1);
  const latest = resumes.at(-1);
  // A repeat of the restart that answered this failure: start the same execution again (its
  // start may be what was lost), never a second one.
  if (latest && (failure === undefined || latest.failureAt >= failure)) {
    await deps.workflow.reviewResumed({ name: latest.executionName, input: latest.input });
    return answer(filingId, latest, 'already_resumed');
  }
  if (failure === undefined) throw new ConflictError('no_failed_workflow', NOTHING_TO_RESUME);
  if (!OPEN_STATES.includes(record.state)) throw new ConflictError('review_ended', ENDED);

  const n = (latest?.n ?? 0) + 1;
  const at = deps.now().toISOString();
  const resume: ReviewResume = {
    n,
    at,
    failureAt: failure,
    executionName: `${filingId}-r${n}`,
    // The history only for a new restart (the round); a repeat reads the one it recorded.
    input: JSON.stringify(resumeState(record, await deps.repo.history(filingId))),
    subject: principal.subject,
  };
  try {
    await deps.repo.recordResume(filingId, resume, {
      at,
      filingId,
      programId: record.programId,
      unit,
      subject: principal.subject,
      role: scope.role,
      what: `resume:${resume.executionName}`,
      reason: request.reason,
    });
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    // Another member of staff restarted it at the same moment: theirs is the one that runs.
    const winner = (await deps.repo.resumes(filingId)).find((r) => r.n === n);
    if (!winner) throw error;
    await deps.workflow.reviewResumed({ name: winner.executionName, input: winner.input });
    return answer(filingId, winner, 'already_resumed');
  }
  await deps.workflow.reviewResumed({ name: resume.executionName, input: resume.input });
  return answer(filingId, resume, 'resumed');
}
