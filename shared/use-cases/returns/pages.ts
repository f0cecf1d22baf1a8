// The annual return's links. An enterprise's link opens its return form (its people, still in
// post?, its own result where the programme has a scale, a nomination for 优秀评选 with a short
// reason); a city's link opens the unit's summary, which the city acknowledges. Mail scanners
// open links first, so GET only shows a page; the POST decides, as a conditional write (the
// first one wins: a second return is refused, one after the deadline too). Each step answers
// an outcome; shared/views/return-pages.ts renders it as the page.

import { ConflictError } from '../../domain/errors.ts';
import { getProgram } from '../../domain/programs/index.ts';
import type { Program } from '../../domain/programs/program.ts';
import { logger } from '../../observability/logger.ts';
import type { EnterpriseReturn, ReturnLink, ReturnStore, UnitReturn } from '../../ports/returns.ts';
import type { TaskCallbacks } from '../../ports/workflow.ts';
import { hashLinkToken, LINK_TOKEN_PATTERN } from '../workflow/links.ts';
import { type AnswerIssue, readReturnForm } from './answers.ts';
import { allAnswered } from './steps.ts';

export interface ReturnPageDeps {
  store: ReturnStore;
  tasks: TaskCallbacks;
  now?: () => Date;
}

/** The enterprise's return form. */
export interface ReturnForm {
  kind: 'form';
  token: string;
  program: Program;
  unit: UnitReturn;
  enterprise: EnterpriseReturn;
}

/** The city's (escalated: the province's) summary of its unit's returns. */
export interface ReturnSummary {
  kind: 'summary';
  token: string;
  link: ReturnLink;
  program: Program;
  unit: UnitReturn;
}

/** A link that cannot be used: unknown, or past the deadline (`token` set where the page offers English). */
type Refused =
  | { kind: 'not_found' }
  | { kind: 'expired'; token?: string }
  | { kind: 'answered'; token: string };

export type ReturnPageOutcome = Refused | ReturnForm | ReturnSummary;

export type ReturnPostOutcome =
  | Refused
  /** The form refused (nothing recorded): shown again with its issues and what was posted. */
  | { kind: 'invalid'; form: ReturnForm; issues: AnswerIssue[]; posted: URLSearchParams }
  | { kind: 'sent'; members: number; left: number; nominated: number }
  /** The form named another unit than the link's own. */
  | { kind: 'refused' }
  | { kind: 'already_acknowledged' }
  | { kind: 'acknowledged'; removals: number };

const clock = (deps: ReturnPageDeps) => (deps.now ?? (() => new Date()))();

const NOT_FOUND = { kind: 'not_found' } as const;

const expired = (deps: ReturnPageDeps, link: ReturnLink) =>
  Date.parse(link.expiresAt) <= clock(deps).getTime();

async function resolveLink(deps: ReturnPageDeps, token: string): Promise<ReturnLink | undefined> {
  if (!LINK_TOKEN_PATTERN.test(token)) return undefined;
  const link = await deps.store.getLink(hashLinkToken(token));
  if (!link) return undefined;
  // A city link is bound to its own unit.
  if (link.kind === 'city' && link.reviewer?.role === 'city' && link.reviewer.unit !== link.unit)
    return undefined;
  return link;
}

/** GET /return/{token}: the enterprise's form or the city's summary. Never changes anything. */
export async function openReturn(deps: ReturnPageDeps, token: string): Promise<ReturnPageOutcome> {
  const link = await resolveLink(deps, token);
  if (!link) return NOT_FOUND;
  const program = getProgram(link.programId);
  const unit = await deps.store.getUnit(link.programId, link.year, link.unit);
  if (!unit) return NOT_FOUND;
  if (link.kind === 'city') {
    if (unit.status === 'failed' || expired(deps, link)) return { kind: 'expired' };
    if (!unit.results) return NOT_FOUND;
    return { kind: 'summary', token, link, program, unit };
  }
  const enterprise = await deps.store.getEnterprise(link.programId, link.year, link.unit, link.seq ?? 0);
  if (!enterprise) return NOT_FOUND;
  if (enterprise.answeredAt) return { kind: 'answered', token };
  if (unit.status !== 'collecting' || expired(deps, link)) return { kind: 'expired', token };
  return { kind: 'form', token, program, unit, enterprise };
}

/** POST /return/{token}: the enterprise's return, or the city's acknowledgement; the first one wins. */
export async function submitReturn(
  deps: ReturnPageDeps,
  token: string,
  form: URLSearchParams,
): Promise<ReturnPostOutcome> {
  const link = await resolveLink(deps, token);
  if (!link) return NOT_FOUND;
  const program = getProgram(link.programId);
  const unit = await deps.store.getUnit(link.programId, link.year, link.unit);
  if (!unit) return NOT_FOUND;
  return link.kind === 'city'
    ? acknowledge(deps, link, unit, form)
    : answer(deps, token, link, program, unit, form);
}

async function answer(
  deps: ReturnPageDeps,
  token: string,
  link: ReturnLink,
  program: Program,
  unit: UnitReturn,
  form: URLSearchParams,
): Promise<ReturnPostOutcome> {
  const enterprise = await deps.store.getEnterprise(link.programId, link.year, link.unit, link.seq ?? 0);
  if (!enterprise) return NOT_FOUND;
  if (enterprise.answeredAt) return { kind: 'answered', token };
  if (unit.status !== 'collecting' || expired(deps, link)) return { kind: 'expired', token };
  const read = readReturnForm(program, enterprise, form);
  if (!read.ok) {
    return {
      kind: 'invalid',
      form: { kind: 'form', token, program, unit, enterprise },
      issues: read.issues,
      posted: form,
    };
  }
  let after: UnitReturn;
  try {
    after = await deps.store.answer(link.programId, link.year, link.unit, enterprise.seq, {
      answers: read.answers,
      at: clock(deps).toISOString(),
    });
  } catch (error) {
    if (error instanceof ConflictError) {
      return error.code === 'already_answered' ? { kind: 'answered', token } : { kind: 'expired', token };
    }
    throw error;
  }
  if (allAnswered(after) && after.taskToken) {
    await deps.tasks
      .succeed(after.taskToken, { answeredAt: clock(deps).toISOString() })
      .catch((error: Error) => {
        // The wait was being re-opened (a reminder round) or had ended: it finds every answer and goes on.
        logger.warn('task callback failed; the return stays recorded', {
          programId: link.programId,
          unit: link.unit,
          error: error.name,
        });
      });
  }
  return {
    kind: 'sent',
    members: enterprise.members.length,
    left: Object.values(read.answers).filter((a) => !a.inPost).length,
    nominated: Object.values(read.answers).filter((a) => a.nomination).length,
  };
}

async function acknowledge(
  deps: ReturnPageDeps,
  link: ReturnLink,
  unit: UnitReturn,
  form: URLSearchParams,
): Promise<ReturnPostOutcome> {
  // The form names the unit it acknowledges: only the link's own.
  if (form.get('unit') !== link.unit || !link.reviewer) return { kind: 'refused' };
  if (unit.status === 'failed' || expired(deps, link)) return { kind: 'expired' };
  if (unit.status !== 'reviewing') return unit.results ? { kind: 'already_acknowledged' } : NOT_FOUND;
  let after: UnitReturn;
  try {
    after = await deps.store.acknowledge(link.programId, link.year, link.unit, {
      at: clock(deps).toISOString(),
      by: link.reviewer,
    });
  } catch (error) {
    if (error instanceof ConflictError) return { kind: 'already_acknowledged' };
    throw error;
  }
  if (after.taskToken) {
    await deps.tasks
      .succeed(after.taskToken, { acknowledgedAt: clock(deps).toISOString() })
      .catch((error: Error) => {
        logger.warn('task callback failed; the acknowledgement stays recorded', {
          programId: link.programId,
          unit: link.unit,
          error: error.name,
        });
      });
  }
  return { kind: 'acknowledged', removals: after.results?.removals.length ?? 0 };
}
