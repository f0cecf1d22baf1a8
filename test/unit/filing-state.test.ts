// The filing workflow's state at its task boundaries: strict for the steps, lenient for the
// failure handler, which must record a failure even when the state itself is what failed.
import { describe, expect, it } from 'vitest';
import { initialState, parseFailureState, parseState } from '#workflows/filing-state.ts';

const ID = 'F4GD0DGCHNSQ3B';
/** A state whose decision is not one (as a form post of `decision=toString` once made it). */
const invalid = {
  ...initialState(ID, 'liaoning-cso'),
  decision: { decision: 'toString', actor: { role: 'city', unit: '210200' }, at: '2026-12-06T18:45:01.766Z' },
  error: { Error: 'InvalidWorkflowState', Cause: 'invalid workflow state: decision.decision: Invalid input' },
};

describe('filing workflow state', () => {
  it('the steps refuse an invalid state, naming the path', () => {
    expect(() => parseState(invalid)).toThrowError(/decision\.decision/);
    expect(() => parseState(invalid)).toThrowError(expect.objectContaining({ name: 'InvalidWorkflowState' }));
  });

  it('the failure handler reads what it records from that same state', () => {
    expect(parseFailureState(invalid)).toEqual({
      filingId: ID,
      programId: 'liaoning-cso',
      stage: 'city',
      error: invalid.error,
    });
    expect(parseFailureState({ filingId: ID, programId: 'liaoning-cso' })).toEqual({
      filingId: ID,
      programId: 'liaoning-cso',
    });
  });

  it('but not a state that names no filing', () => {
    expect(() => parseFailureState({ programId: 'liaoning-cso' })).toThrowError(
      expect.objectContaining({ name: 'InvalidWorkflowState' }),
    );
    expect(() => parseFailureState({ ...invalid, filingId: 'not-an-id' })).toThrowError(/filingId/);
  });
});
