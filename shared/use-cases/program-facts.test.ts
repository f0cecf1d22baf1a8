import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../domain/errors.ts';
import { filingJsonSchema } from '../domain/filing.ts';
import { getProgram, PROGRAMS } from '../domain/programs/index.ts';
import { listPrograms, programFacts, programSummary } from './program-facts.ts';

describe('listPrograms', () => {
  it('lists every program with its summary', () => {
    const { programs } = listPrograms();
    expect(programs.map((p) => p.id)).toEqual(PROGRAMS.map((p) => p.id));
    expect(programs.map((p) => p.id)).toEqual(['liaoning-cso', 'anhui-std-director']);
    for (const summary of programs) {
      expect(Object.keys(summary).sort()).toEqual(['authority', 'id', 'province', 'roles', 'title']);
      for (const role of summary.roles) expect(Object.keys(role).sort()).toEqual(['id', 'name']);
    }
  });

  it('summarizes a program by its title, province name, authority and roles', () => {
    const program = getProgram('liaoning-cso');
    expect(programSummary(program)).toEqual({
      id: 'liaoning-cso',
      title: program.title,
      province: program.province.name,
      authority: program.authority,
      roles: program.roles.map((r) => ({ id: r.id, name: r.name })),
    });
  });
});

describe('programFacts', () => {
  it.each(PROGRAMS.map((p) => p.id))('%s: keeps reviewer contacts internal', (id) => {
    const facts = programFacts(id);
    const text = JSON.stringify(facts);
    const program = getProgram(id);
    for (const unit of program.reportingUnits) {
      for (const contact of unit.reviewer.contacts) {
        expect(text).not.toContain(contact.email);
      }
    }
    expect(text).not.toContain('reviewer');
    expect(text).not.toMatch(/[\w.-]+@[\w.-]+\.\w+/);
    for (const unit of facts.reportingUnits) {
      expect(Object.keys(unit).sort()).toEqual(['code', 'kind', 'name', 'official']);
    }
  });

  it('gives the form what it needs: roles, units, rules, schema and notice', () => {
    const facts = programFacts('liaoning-cso');
    const program = getProgram('liaoning-cso');
    expect(facts.id).toBe('liaoning-cso');
    expect(facts.policy).toEqual(program.policy);
    expect(facts.roles.map((r) => r.id)).toEqual(program.roles.map((r) => r.id));
    expect(facts.roles.find((r) => r.id === 'cso')).toMatchObject({ usualPerEnterprise: 1 });
    expect(facts.roles.find((r) => r.id === 'specialist')).not.toHaveProperty('usualPerEnterprise');
    expect(facts.roles[0]?.description).toEqual(program.roles[0]?.description);
    expect(facts.reportingUnits).toHaveLength(15);
    expect(facts.reportingUnits.find((u) => u.code === '21-SF')).toMatchObject({
      official: false,
      kind: 'zone',
    });
    expect(facts.fieldRules.map((r) => r.id)).toEqual(program.eligibility.map((r) => r.id));
    for (const rule of facts.fieldRules) expect(rule).not.toHaveProperty('condition');
    expect(facts.filingSchema).toEqual(filingJsonSchema());
    expect((facts.filingSchema as { type: string }).type).toBe('object');
    expect(facts.privacyNotice).toEqual(program.privacyNotice);
  });

  it('throws NotFoundError for an unknown program', () => {
    expect(() => programFacts('nowhere')).toThrow(NotFoundError);
    expect(() => programFacts('')).toThrow(NotFoundError);
  });
});
