import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  ConfigurationError,
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from './errors.ts';

describe('domain errors', () => {
  it('ValidationError lists every issue', () => {
    const issues = [
      {
        path: 'person.idNumber',
        code: 'id_check_digit',
        message: { zh: '证件号码：错', en: 'ID number: wrong' },
      },
      { path: 'role', code: 'required', message: { zh: '岗位：必填', en: 'role: is required' } },
    ];
    const error = new ValidationError(issues);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ValidationError');
    expect(error.code).toBe('validation_failed');
    expect(error.issues).toEqual(issues);
    expect(error.message).toBe('validation failed: person.idNumber (id_check_digit), role (required)');
  });

  it('NotFoundError names the resource', () => {
    const error = new NotFoundError('filing');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('NotFoundError');
    expect(error.code).toBe('not_found');
    expect(error.resource).toBe('filing');
    expect(error.message).toBe('filing not found');
  });

  it('ConflictError carries its own code and a localized detail', () => {
    const detail = { zh: '该人员已有有效备案', en: 'the person already has an active filing' };
    const error = new ConflictError('duplicate_person', detail);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('ConflictError');
    expect(error.code).toBe('duplicate_person');
    expect(error.detail).toEqual(detail);
    expect(error.message).toBe('duplicate_person: the person already has an active filing');
  });

  it('ConcurrentModificationError names what changed', () => {
    const error = new ConcurrentModificationError('filing f-1');
    expect(error.name).toBe('ConcurrentModificationError');
    expect(error.code).toBe('concurrent_modification');
    expect(error.message).toBe('filing f-1 was changed concurrently');
  });

  it('InvalidTransitionError carries from, action and actor', () => {
    const error = new InvalidTransitionError('rejected', 'approve', 'city');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('InvalidTransitionError');
    expect(error.code).toBe('invalid_transition');
    expect({ from: error.from, action: error.action, actor: error.actor }).toEqual({
      from: 'rejected',
      action: 'approve',
      actor: 'city',
    });
    expect(error.message).toBe('action "approve" by city is not allowed from state "rejected"');
  });

  it('ForbiddenError and ConfigurationError have their codes', () => {
    const forbidden = new ForbiddenError('not your unit');
    expect(forbidden).toBeInstanceOf(DomainError);
    expect(forbidden.name).toBe('ForbiddenError');
    expect(forbidden.code).toBe('forbidden');
    expect(forbidden.message).toBe('not your unit');
    const config = new ConfigurationError('program x is invalid');
    expect(config).toBeInstanceOf(DomainError);
    expect(config.name).toBe('ConfigurationError');
    expect(config.code).toBe('invalid_configuration');
    expect(config.message).toBe('program x is invalid');
  });

  it('have a stack and a distinct class each', () => {
    const errors = [
      new ValidationError([]),
      new NotFoundError('x'),
      new ConflictError('c', { zh: '冲突', en: 'conflict' }),
      new ConcurrentModificationError('x'),
      new InvalidTransitionError('a', 'b', 'c'),
      new ForbiddenError(),
      new ConfigurationError(),
    ];
    expect(new Set(errors.map((e) => e.name)).size).toBe(errors.length);
    for (const error of errors) expect(error.stack).toContain(error.name);
  });
});
