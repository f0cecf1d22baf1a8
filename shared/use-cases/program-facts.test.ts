import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../domain/errors.ts';
import { filingJsonSchema } from '../domain/filing.ts';
import { getProgram, PROGRAMS } from '../domain/programs/index.ts';
import { listPrograms, programFacts, programSummary } from './program-facts.ts';

describe('listPrograms', () => {
  it('lists every program with its summary', () => {
    const { programs } = listPrograms();
    expect(programs.map((p) => p.id)).toEqual(PROGRAMS.map((p) => p.id));
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

  it('gives every role its duties from the policy, and the programme its document titles', () => {
    const liaoning = programFacts('liaoning-cso');
    const duty = (id: string, role: string) =>
      programFacts(id)
        .roles.find((r) => r.id === role)
        ?.duties.map((d) => d.zh) ?? [];
    expect(duty('liaoning-cso', 'cso')).toHaveLength(12);
    expect(duty('liaoning-cso', 'cso')).toContain('推动关键核心技术标准化');
    expect(duty('liaoning-cso', 'director')).toContain('开展标准化审查');
    expect(duty('liaoning-cso', 'specialist')).toContain('完成首席标准官和标准总监安排的其他标准化工作');
    expect(duty('anhui-std-director', 'director')).toContain('对企业内违反标准化工作要求的行为，有权制止');
    for (const id of PROGRAMS.map((p) => p.id)) {
      for (const role of programFacts(id).roles) {
        expect(role.duties.length, `${id} ${role.id}`).toBeGreaterThan(0);
        for (const d of role.duties) expect(d.en).toMatch(/[a-z]/);
      }
    }
    expect(liaoning.documents.filing).toEqual({
      title: expect.objectContaining({ zh: '首席标准官、标准总监、标准化专员信息备案表' }),
      annex: '附件1',
    });
    const anhui = programFacts('anhui-std-director').documents;
    expect(anhui.summary).not.toHaveProperty('annex');
    expect(anhui.unitLabel.zh).toBe('所在市、省直管县（市）');
    expect(anhui.yearsLabel.zh).toBe('从事标准管理工作年限');
  });

  it('throws NotFoundError for an unknown program', () => {
    expect(() => programFacts('nowhere')).toThrow(NotFoundError);
    expect(() => programFacts('')).toThrow(NotFoundError);
  });
});
