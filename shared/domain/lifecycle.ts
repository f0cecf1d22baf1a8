// The filing lifecycle (docs/domain.md §3) as one pure function: given the current state, an
// action and who acts, it returns the next state or throws InvalidTransitionError. The data
// layer, the API and the workflow all go through it, so no path can invent a transition.
import { InvalidTransitionError } from './errors.ts';

export const STATES = [
  'submitted',
  'city_review',
  'changes_requested',
  'province_review',
  'in_pool',
  // Registered (备案) with the city or county bureau: the end of the review where the
  // programme has no provincial stage (Anhui); the person holds a place as in the pool.
  'registered',
  'rejected',
  'declined',
  'withdrawn',
  'removed',
  // Replaced by a later filing of the same person (a role change or a move to another
  // enterprise), on that filing's inclusion.
  'superseded',
] as const;
export type FilingState = (typeof STATES)[number];

export const ACTORS = ['applicant', 'city', 'province', 'system', 'auditor'] as const;
export type Actor = (typeof ACTORS)[number];

export const ACTIONS = [
  'submit',
  'start_city_review',
  'approve',
  'reject',
  'request_changes',
  'resubmit',
  'include',
  // The city's approval where the programme has no provincial stage: the filing is registered.
  'register',
  'decline',
  'assess',
  'remove',
  'withdraw',
  'expire',
  'supersede',
  // The city's review time ran out and the workflow handed the review to the province: the
  // filing stays in city review, and its history shows the hand-over.
  'escalate',
] as const;
export type Action = (typeof ACTIONS)[number];

/** States a filing can still be withdrawn from by the applicant (not final). */
export const OPEN_STATES: readonly FilingState[] = [
  'submitted',
  'city_review',
  'changes_requested',
  'province_review',
];
/** States in which the person holds the program's one active filing (for de-duplication). */
export const ACTIVE_STATES: readonly FilingState[] = [...OPEN_STATES, 'in_pool', 'registered'];
export const FINAL_STATES: readonly FilingState[] = [
  'rejected',
  'declined',
  'withdrawn',
  'removed',
  'superseded',
];
/** States in which the person counts as a member of the programme (the pool). */
export const MEMBER_STATES: readonly FilingState[] = ['in_pool', 'registered'];

/**
 * Why a member left: the enterprise reports the person left the post or withdrew consent
 * (PIPL Art. 15), the province removes with a reason, or the yearly assessment failed.
 * Kept in the removal event's detail (`removal`), counted and shown as such.
 */
export const REMOVAL_KINDS = ['left_post', 'consent_withdrawn', 'province', 'assessment'] as const;
export type RemovalKind = (typeof REMOVAL_KINDS)[number];

/** A transition without a from-state is the creation of the filing. */
interface Rule {
  from: FilingState | null;
  action: Action;
  actors: readonly Actor[];
  to: FilingState;
}

// The province sees all of its program, so it may also decide a city-stage review that was
// escalated to it (design: escalation after the city's reminders go unanswered).
const LISTED_RULES: readonly Rule[] = [
  { from: null, action: 'submit', actors: ['applicant', 'system'], to: 'submitted' },
  { from: 'submitted', action: 'start_city_review', actors: ['system'], to: 'city_review' },
  { from: 'city_review', action: 'approve', actors: ['city', 'province'], to: 'province_review' },
  { from: 'city_review', action: 'reject', actors: ['city', 'province'], to: 'rejected' },
  { from: 'city_review', action: 'request_changes', actors: ['city', 'province'], to: 'changes_requested' },
  { from: 'city_review', action: 'escalate', actors: ['system'], to: 'city_review' },
  { from: 'changes_requested', action: 'resubmit', actors: ['applicant'], to: 'city_review' },
  { from: 'province_review', action: 'include', actors: ['province'], to: 'in_pool' },
  { from: 'province_review', action: 'decline', actors: ['province'], to: 'declined' },
  // A programme without a provincial stage ends the review at the city's approval.
  { from: 'city_review', action: 'register', actors: ['city', 'province'], to: 'registered' },
  // The yearly assessment keeps the person in the pool (优秀 / 合格 / 基本合格); 不合格 is
  // removal, confirmed by the city, and goes through `remove`.
  { from: 'in_pool', action: 'assess', actors: ['city', 'province'], to: 'in_pool' },
  // Removal: failed assessment (city confirms), left the post or changed role, consent withdrawn.
  { from: 'in_pool', action: 'remove', actors: ['applicant', 'city', 'province', 'system'], to: 'removed' },
  // The inclusion of the same person's later filing (new role or enterprise) replaces this one.
  { from: 'in_pool', action: 'supersede', actors: ['system'], to: 'superseded' },
  ...OPEN_STATES.map((from) => ({
    from,
    action: 'withdraw' as const,
    actors: ['applicant'] as const,
    to: 'withdrawn' as const,
  })),
  // An amendment the applicant never sent: the workflow closes the filing after the wait.
  { from: 'changes_requested', action: 'expire', actors: ['system'], to: 'withdrawn' },
];

// A registered person holds a place as a pool member does, so every path out of the pool
// (the yearly return, removal, replacement by a later filing) is a path out of `registered`.
const RULES: readonly Rule[] = [
  ...LISTED_RULES,
  ...LISTED_RULES.filter((r) => r.from === 'in_pool').map((r) => ({
    ...r,
    from: 'registered' as const,
    to: r.to === 'in_pool' ? ('registered' as const) : r.to,
  })),
];

/** Actions that need a stated reason (reject, request changes, decline, remove). */
export const REASON_REQUIRED: readonly Action[] = [
  'reject',
  'request_changes',
  'decline',
  'remove',
  'expire',
];

/** The next state, or InvalidTransitionError if the action is not allowed from here or not for this actor. */
export function transition(from: FilingState | null, action: Action, actor: Actor): FilingState {
  const rule = RULES.find((r) => r.from === from && r.action === action);
  if (!rule?.actors.includes(actor)) {
    throw new InvalidTransitionError(from ?? 'none', action, actor);
  }
  return rule.to;
}

/** Whether a transition is allowed, without throwing. */
export function canTransition(from: FilingState | null, action: Action, actor: Actor): boolean {
  return RULES.some((r) => r.from === from && r.action === action && r.actors.includes(actor));
}

/** The actions an actor may take from a state (for pages that show buttons). */
export function allowedActions(from: FilingState | null, actor: Actor): Action[] {
  return RULES.filter((r) => r.from === from && r.actors.includes(actor)).map((r) => r.action);
}

export function isActive(state: FilingState): boolean {
  return ACTIVE_STATES.includes(state);
}
