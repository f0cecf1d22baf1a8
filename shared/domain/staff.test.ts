import { describe, expect, it } from 'vitest';
import { ForbiddenError } from './errors.ts';
import { toFieldIssue } from './field-issues.ts';
import {
  authorize,
  groupOf,
  groupsFromClaim,
  principalFromClaims,
  ResumeRequestSchema,
  RevealRequestSchema,
  STAFF_PERMISSIONS,
  type StaffPrincipal,
  scopeOfGroup,
  unitsFor,
} from './staff.ts';

const city: StaffPrincipal = {
  subject: 's',
  scopes: [{ role: 'city', programId: 'liaoning-cso', unit: '210100' }],
};
const province: StaffPrincipal = { subject: 'p', scopes: [{ role: 'province', programId: 'liaoning-cso' }] };
const auditor: StaffPrincipal = { subject: 'a', scopes: [{ role: 'auditor', programId: 'liaoning-cso' }] };

describe('groups', () => {
  it('name a scope and back, for cities (the 沈抚 demonstration zone and county units included), provinces and auditors', () => {
    for (const scope of [
      { role: 'city' as const, programId: 'liaoning-cso', unit: '21-SF' },
      { role: 'city' as const, programId: 'anhui-std-director', unit: '340826' },
      { role: 'province' as const, programId: 'anhui-std-director' },
      { role: 'auditor' as const, programId: 'liaoning-cso' },
    ]) {
      expect(scopeOfGroup(groupOf(scope))).toEqual(scope);
    }
  });

  it('ignore groups that name no real programme or unit, or a unit of another programme', () => {
    for (const g of [
      'city-liaoning-cso-340100',
      'province-liaoning-cso-210100',
      'city-nowhere-210100',
      'admin',
      'city-liaoning-cso',
    ]) {
      expect(scopeOfGroup(g), g).toBeUndefined();
    }
  });

  it('read the claim as an array or as API Gateway’s bracketed string', () => {
    expect(groupsFromClaim(['a', 'b'])).toEqual(['a', 'b']);
    expect(groupsFromClaim('[city-liaoning-cso-210100 auditor-liaoning-cso]')).toEqual([
      'city-liaoning-cso-210100',
      'auditor-liaoning-cso',
    ]);
    expect(groupsFromClaim(7)).toEqual([]);
    expect(principalFromClaims({ 'cognito:groups': '[province-liaoning-cso]' })).toBeUndefined(); // no subject
    expect(principalFromClaims({ sub: 'u1', 'cognito:groups': '[province-liaoning-cso bogus]' })).toEqual({
      subject: 'u1',
      scopes: [{ role: 'province', programId: 'liaoning-cso' }],
    });
  });

  const scopesOf = (groups: unknown, name = 'cognito:groups') =>
    principalFromClaims({ sub: 'u1', [name]: groups })?.scopes;

  it('take an array claim item by item, as it is', () => {
    expect(groupsFromClaim(['city-liaoning-cso-210100', 'auditor-liaoning-cso', 7])).toEqual([
      'city-liaoning-cso-210100',
      'auditor-liaoning-cso',
    ]);
    expect(scopesOf(['city-liaoning-cso-210100'])).toEqual([
      { role: 'city', programId: 'liaoning-cso', unit: '210100' },
    ]);
    // An item is never split, whatever it holds.
    expect(groupsFromClaim(['staff province-liaoning-cso'])).toEqual(['staff province-liaoning-cso']);
    expect(scopesOf(['staff province-liaoning-cso'])).toEqual([]);
    // An OIDC provider's `groups` claim when there is no `cognito:groups`.
    expect(scopesOf(['province-liaoning-cso'], 'groups')).toEqual([
      { role: 'province', programId: 'liaoning-cso' },
    ]);
  });

  it('split API Gateway’s string form on single spaces only', () => {
    expect(groupsFromClaim('[city-liaoning-cso-210100 staff]')).toEqual([
      'city-liaoning-cso-210100',
      'staff',
    ]);
    expect(scopesOf('[city-liaoning-cso-210100 staff]')).toEqual([
      { role: 'city', programId: 'liaoning-cso', unit: '210100' },
    ]);
    expect(groupsFromClaim('[province-liaoning-cso]')).toEqual(['province-liaoning-cso']);
    expect(groupsFromClaim('[]')).toEqual([]);
    expect(groupsFromClaim('[a  b]')).toEqual(['a', 'b']);
    // A bare string (one group, or several joined the same way).
    expect(scopesOf('province-liaoning-cso')).toEqual([{ role: 'province', programId: 'liaoning-cso' }]);
    expect(groupsFromClaim('auditor-liaoning-cso province-anhui-std-director')).toEqual([
      'auditor-liaoning-cso',
      'province-anhui-std-director',
    ]);
    // Other white space is part of a name, which then names no scope.
    expect(scopesOf('[province-liaoning-cso\tauditor-anhui-std-director]')).toEqual([]);
  });

  it('never split a group on a comma: a group holding one names no scope', () => {
    for (const claim of [
      ['staff,province-liaoning-cso'],
      '[staff,province-liaoning-cso]',
      'staff,province-liaoning-cso',
      '[city-liaoning-cso-210100,province-liaoning-cso]',
    ]) {
      expect(scopesOf(claim), JSON.stringify(claim)).not.toContainEqual(
        expect.objectContaining({ role: 'province' }),
      );
    }
    expect(groupsFromClaim('[staff,province-liaoning-cso]')).toEqual(['staff,province-liaoning-cso']);
    expect(scopesOf('[staff,province-liaoning-cso]')).toEqual([]);
    expect(scopesOf(['staff,province-liaoning-cso'])).toEqual([]);
  });
});

describe('authorize', () => {
  it('lets city staff act on their own unit only', () => {
    expect(authorize(city, 'read', { programId: 'liaoning-cso', unit: '210100' }).role).toBe('city');
    expect(() => authorize(city, 'read', { programId: 'liaoning-cso', unit: '210200' })).toThrow(
      ForbiddenError,
    );
    expect(() => authorize(city, 'list', { programId: 'liaoning-cso' })).toThrow(ForbiddenError);
    expect(() => authorize(city, 'audit', { programId: 'liaoning-cso', unit: '210100' })).toThrow(
      ForbiddenError,
    );
  });

  it('lets province staff act across their programme, never another', () => {
    expect(authorize(province, 'import', { programId: 'liaoning-cso' }).role).toBe('province');
    expect(() => authorize(province, 'read', { programId: 'anhui-std-director', unit: '340100' })).toThrow(
      ForbiddenError,
    );
  });

  it('keeps auditors read-only: no unmasking, export or import', () => {
    for (const action of ['reveal', 'export', 'import'] as const) {
      expect(STAFF_PERMISSIONS[action]).not.toContain('auditor');
      expect(() => authorize(auditor, action, { programId: 'liaoning-cso', unit: '210100' })).toThrow(
        ForbiddenError,
      );
    }
    expect(authorize(auditor, 'audit', { programId: 'liaoning-cso', unit: '210100' }).role).toBe('auditor');
  });

  it('lists the units a principal may reach', () => {
    expect(unitsFor(city, 'list', 'liaoning-cso')).toEqual(['210100']);
    expect(unitsFor(province, 'list', 'liaoning-cso')).toHaveLength(15);
    expect(unitsFor(province, 'list', 'anhui-std-director')).toEqual([]);
    expect(unitsFor(auditor, 'reveal', 'liaoning-cso')).toEqual([]);
  });
});

describe('staff reasons (unmask, resume)', () => {
  const issuesOf = (result: { success: boolean; error?: { issues: Parameters<typeof toFieldIssue>[0][] } }) =>
    (result.error?.issues ?? []).flatMap((i) => toFieldIssue(i)).map((i) => ({ path: i.path, code: i.code }));

  it('take one line of 4 to 200 characters, trimmed', () => {
    const parsers = [
      (reason: string) => ResumeRequestSchema.safeParse({ reason }),
      (reason: string) => RevealRequestSchema.safeParse({ fields: ['mobile'], reason }),
    ];
    for (const parse of parsers) {
      expect(parse(` ${'核'.repeat(200)} `).data?.reason).toBe('核'.repeat(200));
      expect(issuesOf(parse('核'.repeat(201)))).toEqual([{ path: 'reason', code: 'too_long' }]);
      expect(issuesOf(parse('x'.repeat(60_000)))).toEqual([{ path: 'reason', code: 'too_long' }]);
      expect(issuesOf(parse('核对'))).toEqual([{ path: 'reason', code: 'too_short' }]);
    }
  });

  it('refuse controls, newlines and invisible characters in the reason', () => {
    for (const reason of ['核对身份\u202E', '核对\n身份', '核对\u200B身份', '核对\u0000身份']) {
      const result = RevealRequestSchema.safeParse({ fields: ['idNumber'], reason });
      expect(issuesOf(result), JSON.stringify(reason)).toEqual([
        { path: 'reason', code: 'invisible_characters' },
      ]);
      const resume = ResumeRequestSchema.safeParse({ reason });
      expect(issuesOf(resume)).toEqual([{ path: 'reason', code: 'invisible_characters' }]);
    }
    const [issue] = (
      RevealRequestSchema.safeParse({ fields: ['idNumber'], reason: '核对\u202E身份' }).error?.issues ?? []
    ).flatMap((i) => toFieldIssue(i));
    expect(issue?.message.zh).toBe('理由：含有不可见或控制字符（U+202E），请删除后重新填写');
  });
});
