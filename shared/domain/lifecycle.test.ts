import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from './errors.ts';
import type { Action, Actor, FilingState } from './lifecycle.ts';
import {
  ACTIONS,
  ACTIVE_STATES,
  ACTORS,
  allowedActions,
  canTransition,
  FINAL_STATES,
  isActive,
  MEMBER_STATES,
  OPEN_STATES,
  REASON_REQUIRED,
  STATES,
  transition,
} from './lifecycle.ts';

type From = FilingState | 'none';

// The expected lifecycle (docs/domain.md §3), written out independently of the source's RULES:
// every allowed (from, action) pair with the actors who may take it and the resulting state.
// Any (from, action, actor) not listed here must throw InvalidTransitionError.
const EXPECTED: Record<string, { actors: Actor[]; to: FilingState }> = {
  'none|submit': { actors: ['applicant', 'system'], to: 'submitted' },
  'submitted|start_city_review': { actors: ['system'], to: 'city_review' },
  'city_review|approve': { actors: ['city', 'province'], to: 'province_review' },
  'city_review|reject': { actors: ['city', 'province'], to: 'rejected' },
  'city_review|request_changes': { actors: ['city', 'province'], to: 'changes_requested' },
  'city_review|escalate': { actors: ['system'], to: 'city_review' },
  'changes_requested|resubmit': { actors: ['applicant'], to: 'city_review' },
  'province_review|include': { actors: ['province'], to: 'in_pool' },
  'province_review|decline': { actors: ['province'], to: 'declined' },
  'in_pool|assess': { actors: ['city', 'province'], to: 'in_pool' },
  'in_pool|remove': { actors: ['applicant', 'city', 'province', 'system'], to: 'removed' },
  'in_pool|supersede': { actors: ['system'], to: 'superseded' },
  // A programme without a province stage: the city's approval registers the filing, and a
  // registered person leaves as a pool member does.
  'city_review|register': { actors: ['city', 'province'], to: 'registered' },
  'registered|assess': { actors: ['city', 'province'], to: 'registered' },
  'registered|remove': { actors: ['applicant', 'city', 'province', 'system'], to: 'removed' },
  'registered|supersede': { actors: ['system'], to: 'superseded' },
  'submitted|withdraw': { actors: ['applicant'], to: 'withdrawn' },
  'city_review|withdraw': { actors: ['applicant'], to: 'withdrawn' },
  'changes_requested|withdraw': { actors: ['applicant'], to: 'withdrawn' },
  'province_review|withdraw': { actors: ['applicant'], to: 'withdrawn' },
  'changes_requested|expire': { actors: ['system'], to: 'withdrawn' },
};

const FROMS: (FilingState | null)[] = [null, ...STATES];
const label = (from: FilingState | null): From => from ?? 'none';

function expected(from: FilingState | null, action: Action, actor: Actor): FilingState | undefined {
  const entry = EXPECTED[`${label(from)}|${action}`];
  return entry?.actors.includes(actor) ? entry.to : undefined;
}

const CASES = FROMS.flatMap((from) =>
  ACTIONS.flatMap((action) =>
    ACTORS.map((actor) => ({ from, action, actor, to: expected(from, action, actor) })),
  ),
);

describe('the state, action and actor lists', () => {
  it('name every state, action and actor of the lifecycle', () => {
    expect([...STATES].sort()).toEqual(
      [
        'submitted',
        'city_review',
        'changes_requested',
        'province_review',
        'in_pool',
        'registered',
        'rejected',
        'declined',
        'withdrawn',
        'removed',
        'superseded',
      ].sort(),
    );
    expect([...ACTIONS].sort()).toEqual(
      [
        'submit',
        'start_city_review',
        'approve',
        'reject',
        'request_changes',
        'resubmit',
        'include',
        'register',
        'decline',
        'assess',
        'remove',
        'withdraw',
        'expire',
        'supersede',
        'escalate',
      ].sort(),
    );
    expect([...ACTORS].sort()).toEqual(['applicant', 'auditor', 'city', 'province', 'system']);
  });

  it('covers all 12 × 15 × 5 combinations in the table-driven test', () => {
    expect(CASES).toHaveLength(12 * 15 * 5);
    expect(CASES.filter((c) => c.to !== undefined)).toHaveLength(34);
  });

  it('splits states into open, active and final', () => {
    expect([...OPEN_STATES].sort()).toEqual(
      ['changes_requested', 'city_review', 'province_review', 'submitted'].sort(),
    );
    expect([...ACTIVE_STATES].sort()).toEqual([...OPEN_STATES, 'in_pool', 'registered'].sort());
    expect([...FINAL_STATES].sort()).toEqual(['declined', 'rejected', 'removed', 'superseded', 'withdrawn']);
    expect([...MEMBER_STATES].sort()).toEqual(['in_pool', 'registered']);
    for (const state of STATES) {
      expect(ACTIVE_STATES.includes(state) !== FINAL_STATES.includes(state)).toBe(true);
    }
  });
});

describe('transition', () => {
  const allowed = CASES.filter((c) => c.to !== undefined);
  const refused = CASES.filter((c) => c.to === undefined);

  it.each(allowed)('$from --$action by $actor--> $to', ({ from, action, actor, to }) => {
    expect(transition(from, action, actor)).toBe(to);
  });

  it.each(refused)('$from --$action by $actor--> refused', ({ from, action, actor }) => {
    let thrown: unknown;
    try {
      transition(from, action, actor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTransitionError);
    expect(thrown).toMatchObject({
      name: 'InvalidTransitionError',
      code: 'invalid_transition',
      from: label(from),
      action,
      actor,
    });
  });

  it('reports the attempted transition in the message', () => {
    expect(() => transition('rejected', 'approve', 'city')).toThrow(
      'action "approve" by city is not allowed from state "rejected"',
    );
    expect(() => transition(null, 'approve', 'city')).toThrow('from state "none"');
  });

  it('lets the auditor do nothing at all', () => {
    for (const from of FROMS) {
      for (const action of ACTIONS) {
        expect(() => transition(from, action, 'auditor')).toThrow(InvalidTransitionError);
      }
    }
  });

  it('never leaves a final state', () => {
    for (const from of FINAL_STATES) {
      for (const action of ACTIONS) {
        for (const actor of ACTORS) expect(canTransition(from, action, actor)).toBe(false);
      }
    }
  });

  it('walks the happy path from creation into the pool and out', () => {
    let state = transition(null, 'submit', 'applicant');
    state = transition(state, 'start_city_review', 'system');
    state = transition(state, 'request_changes', 'city');
    state = transition(state, 'resubmit', 'applicant');
    state = transition(state, 'approve', 'city');
    state = transition(state, 'include', 'province');
    state = transition(state, 'assess', 'province');
    expect(state).toBe('in_pool');
    expect(transition(state, 'remove', 'system')).toBe('removed');
  });

  it('walks a programme without a province stage from creation to registered and out', () => {
    let state = transition(null, 'submit', 'applicant');
    state = transition(state, 'start_city_review', 'system');
    state = transition(state, 'register', 'city');
    expect(state).toBe('registered');
    expect(transition(state, 'assess', 'city')).toBe('registered');
    expect(transition(state, 'remove', 'applicant')).toBe('removed');
    expect(transition(state, 'supersede', 'system')).toBe('superseded');
    // Registration is the city's last word: nothing of the province's inclusion applies.
    expect(canTransition(state, 'include', 'province')).toBe(false);
    expect(canTransition('province_review', 'register', 'city')).toBe(false);
    expect(canTransition(state, 'withdraw', 'applicant')).toBe(false);
  });

  it('any random walk of allowed steps stays inside the expected table', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ACTIONS), fc.constantFrom(...ACTORS)), { maxLength: 30 }),
        (steps) => {
          let state: FilingState | null = null;
          for (const [action, actor] of steps) {
            const next = expected(state, action, actor);
            if (next === undefined) {
              expect(canTransition(state, action, actor)).toBe(false);
              continue;
            }
            state = transition(state, action, actor);
            expect(state).toBe(next);
          }
        },
      ),
    );
  });
});

describe('canTransition', () => {
  it.each(CASES)('$from --$action by $actor--> $to', ({ from, action, actor, to }) => {
    expect(canTransition(from, action, actor)).toBe(to !== undefined);
  });
});

describe('allowedActions', () => {
  const combos = FROMS.flatMap((from) => ACTORS.map((actor) => ({ from, actor })));

  it.each(combos)('from $from for $actor matches the table', ({ from, actor }) => {
    const want = ACTIONS.filter((action) => expected(from, action, actor) !== undefined);
    expect([...allowedActions(from, actor)].sort()).toEqual([...want].sort());
  });

  it('gives the buttons a page shows', () => {
    expect(allowedActions(null, 'applicant')).toEqual(['submit']);
    expect(allowedActions('city_review', 'city').sort()).toEqual([
      'approve',
      'register',
      'reject',
      'request_changes',
    ]);
    expect(allowedActions('city_review', 'applicant')).toEqual(['withdraw']);
    expect(allowedActions('province_review', 'province').sort()).toEqual(['decline', 'include']);
    expect(allowedActions('in_pool', 'applicant')).toEqual(['remove']);
    expect(allowedActions('in_pool', 'city').sort()).toEqual(['assess', 'remove']);
    expect(allowedActions('registered', 'city').sort()).toEqual(['assess', 'remove']);
    expect(allowedActions('rejected', 'province')).toEqual([]);
    expect(allowedActions('submitted', 'auditor')).toEqual([]);
  });
});

describe('isActive', () => {
  const ACTIVE: Record<FilingState, boolean> = {
    submitted: true,
    city_review: true,
    changes_requested: true,
    province_review: true,
    in_pool: true,
    registered: true,
    rejected: false,
    declined: false,
    withdrawn: false,
    removed: false,
    superseded: false,
  };

  it.each(STATES)('%s', (state) => {
    expect(isActive(state)).toBe(ACTIVE[state]);
  });
});

describe('REASON_REQUIRED', () => {
  it('lists exactly reject, request_changes, decline, remove and expire', () => {
    expect([...REASON_REQUIRED].sort()).toEqual(['decline', 'expire', 'reject', 'remove', 'request_changes']);
  });

  it('does not ask for a reason on approvals, inclusion or submission', () => {
    for (const action of ['submit', 'approve', 'include', 'assess', 'withdraw', 'resubmit'] as const) {
      expect(REASON_REQUIRED).not.toContain(action);
    }
  });
});
