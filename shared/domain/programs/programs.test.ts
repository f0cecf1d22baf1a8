import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validFiling } from '../../../test/support/fixtures.ts';
import { assessFiling, requireEligible } from '../eligibility.ts';
import { ConfigurationError, NotFoundError, ValidationError } from '../errors.ts';
import { parseFiling } from '../filing.ts';
import { anhuiStdDirector } from './anhui-std-director.ts';
import { reviewInbox } from './contacts.ts';
import { getProgram, PROGRAMS } from './index.ts';
import { liaoningCso } from './liaoning-cso.ts';
import type { Program, ProgramInput } from './program.ts';
import { defineProgram, findRole, findUnit, hasStage, memberState, ProgramSchema } from './program.ts';

const TODAY = '2025-06-15';

/** A fictitious third province, written purely as configuration. */
function testlandConfig(): ProgramInput {
  return {
    id: 'testland-std',
    province: { code: '99', name: { zh: '测试省', en: 'Testland' } },
    authority: { zh: '测试省市场监督管理局', en: 'Testland Administration for Market Regulation' },
    provinceReviewers: [{ name: '省局', email: 'province@testland.example.cn' }],
    title: { zh: '测试省企业标准化负责人制度', en: 'Testland standards lead programme' },
    policy: { reference: '测市监标〔2025〕1号', issued: '2025-01-01' },
    roles: [
      {
        id: 'lead',
        name: { zh: '标准化负责人', en: 'Standards lead' },
        description: { zh: '企业标准化工作负责人', en: 'Leads the enterprise standardization work' },
        usualPerEnterprise: 1,
      },
    ],
    reportingUnits: ['990100', '990200'].map((code) => ({
      code,
      name: { zh: `测试${code}市`, en: `Test city ${code}` },
      official: true,
      kind: 'city' as const,
      reviewer: {
        authority: { zh: `测试${code}市场监督管理局`, en: `Test city ${code} AMR` },
        contacts: reviewInbox('testland-std', code),
      },
    })),
    eligibility: [
      {
        id: 'lead-experience',
        roles: ['lead'],
        severity: 'hard',
        condition: { standardsWorkYearsAtLeast: 5 },
        path: 'person.standardsWorkYears',
        message: { zh: '须从事标准化工作5年以上', en: 'At least 5 years of standards work' },
        source: '三、（一）',
      },
    ],
    reviewStages: [
      { id: 'city', name: { zh: '市局审核', en: 'City review' }, timeoutDays: 10, reminderDays: [3] },
    ],
    targets: [],
    assessment: { opensOn: { month: 10, day: 1 }, dueDays: 14, grades: ['qualified', 'unqualified'] },
    privacyNotice: { version: '2025-01', text: { zh: '测试告知书', en: 'Test notice' } },
    retentionDays: 365,
  };
}

/** The ConfigurationError message defineProgram throws for a broken configuration. */
function configError(input: ProgramInput): string {
  try {
    defineProgram(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    if (error instanceof ConfigurationError) {
      expect(error.code).toBe('invalid_configuration');
      return error.message;
    }
  }
  throw new Error('expected defineProgram to throw');
}

describe('the shipped programs', () => {
  it('are the programmes configured in this folder, each registered', async () => {
    const dir = fileURLToPath(new URL('./', import.meta.url));
    const configured: Program[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const exported: unknown[] = Object.values(await import(`${dir}${file}`));
      configured.push(...exported.filter((v): v is Program => ProgramSchema.safeParse(v).success));
    }
    expect(configured.length).toBeGreaterThan(0);
    expect(PROGRAMS.map((p) => p.id).sort()).toEqual(configured.map((p) => p.id).sort());
  });

  it('validate against the program schema', () => {
    expect(PROGRAMS.length).toBeGreaterThan(0);
    for (const program of PROGRAMS) {
      expect(ProgramSchema.safeParse(program).success).toBe(true);
      expect(defineProgram(program)).toEqual(program);
    }
  });

  it('have distinct ids and every unit at least one reviewer contact', () => {
    expect(new Set(PROGRAMS.map((p) => p.id)).size).toBe(PROGRAMS.length);
    for (const program of PROGRAMS) {
      for (const unit of program.reportingUnits) {
        expect(unit.reviewer.contacts.length).toBeGreaterThanOrEqual(1);
        for (const contact of unit.reviewer.contacts)
          expect(contact.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      }
    }
  });

  it('are found by id', () => {
    expect(getProgram('liaoning-cso')).toBe(liaoningCso);
    expect(getProgram('anhui-std-director')).toBe(anhuiStdDirector);
  });

  it('refuses an unknown program id with NotFoundError', () => {
    expect(() => getProgram('nope')).toThrow(NotFoundError);
    expect(() => getProgram('nope')).toThrow('program not found');
    expect(() => getProgram('liaoning-cso', [])).toThrow(NotFoundError);
  });
});

describe('Liaoning (liaoning-cso)', () => {
  it('has 14 cities with official codes plus 沈抚示范区 with an internal one', () => {
    const units = liaoningCso.reportingUnits;
    expect(units).toHaveLength(15);
    const official = units.filter((u) => u.official);
    expect(official).toHaveLength(14);
    for (const unit of official) expect(unit.code).toMatch(/^21\d{4}$/);
    expect(official.map((u) => u.code)).toEqual([
      '210100',
      '210200',
      '210300',
      '210400',
      '210500',
      '210600',
      '210700',
      '210800',
      '210900',
      '211000',
      '211100',
      '211200',
      '211300',
      '211400',
    ]);
    const shenfu = units.filter((u) => !u.official);
    expect(shenfu).toHaveLength(1);
    expect(shenfu[0]?.name.zh).toBe('沈抚示范区');
    expect(shenfu[0]?.official).toBe(false);
    expect(shenfu[0]?.code).not.toMatch(/^\d{6}$/);
    expect(findUnit(liaoningCso, '210100')?.name.zh).toBe('沈阳市');
    expect(findUnit(liaoningCso, '211400')?.name.zh).toBe('葫芦岛市');
  });

  it('has the three roles', () => {
    expect(liaoningCso.roles.map((r) => r.id)).toEqual(['cso', 'director', 'specialist']);
    expect(findRole(liaoningCso, 'cso')?.usualPerEnterprise).toBe(1);
    expect(findRole(liaoningCso, 'director')?.usualPerEnterprise).toBe(1);
    expect(findRole(liaoningCso, 'specialist')?.usualPerEnterprise).toBeUndefined();
    expect(findRole(liaoningCso, 'nope')).toBeUndefined();
  });

  it('targets at least 800 people in the pool by 2025-12-31', () => {
    const target = liaoningCso.targets.find((t) => t.id === 'pool-800-2025');
    expect(target?.minPoolSize).toBe(800);
    expect(target?.deadline).toBe('2025-12-31');
    expect(target?.roles).toEqual(['cso', 'director', 'specialist']);
  });

  it('makes training and appointment hard rules and the specialist qualification soft', () => {
    const severity = Object.fromEntries(liaoningCso.eligibility.map((r) => [r.id, r.severity]));
    expect(severity).toEqual({
      'training-passed': 'hard',
      appointed: 'hard',
      'specialist-qualification': 'soft',
    });
  });
});

describe('Anhui (anhui-std-director)', () => {
  it('has 16 cities and 2 county units', () => {
    const units = anhuiStdDirector.reportingUnits;
    expect(units).toHaveLength(18);
    expect(units.every((u) => u.official && /^34\d{4}$/.test(u.code))).toBe(true);
    expect(units.filter((u) => u.kind === 'city')).toHaveLength(16);
    expect(findUnit(anhuiStdDirector, '341882')).toMatchObject({ name: { zh: '广德市' }, kind: 'county' });
    expect(findUnit(anhuiStdDirector, '340826')).toMatchObject({ name: { zh: '宿松县' }, kind: 'county' });
    expect(findUnit(anhuiStdDirector, '341400')).toBeUndefined();
  });

  it('ends the review at the city: no province stage, its people are registered', () => {
    expect(anhuiStdDirector.reviewStages.map((s) => s.id)).toEqual(['city']);
    expect(hasStage(anhuiStdDirector, 'province')).toBe(false);
    expect(memberState(anhuiStdDirector)).toBe('registered');
  });

  it('has one role and hard qualification and experience rules', () => {
    expect(anhuiStdDirector.roles.map((r) => r.id)).toEqual(['director']);
    const rules = anhuiStdDirector.eligibility;
    expect(rules.every((r) => r.severity === 'hard')).toBe(true);
    expect(rules.find((r) => r.id === 'director-experience')?.condition).toEqual({
      standardsWorkYearsAtLeast: 3,
    });
  });
});

describe('a third province by configuration only', () => {
  const testland = defineProgram(testlandConfig());
  const filingFor = (years: number, unit = '990100') => {
    const input = structuredClone(validFiling({ role: 'lead', unit, region: unit }));
    input.person.standardsWorkYears = years;
    return parseFiling(input);
  };

  it('is found next to the shipped programs', () => {
    expect(getProgram('testland-std', [...PROGRAMS, testland])).toBe(testland);
    expect(() => getProgram('testland-std')).toThrow(NotFoundError);
  });

  it('enforces its own hard rule', () => {
    const result = assessFiling(testland, filingFor(4), { today: TODAY });
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['person.standardsWorkYears', 'rule_lead-experience'],
    ]);
    expect(result.errors[0]?.message.zh).toContain('5年');
    expect(() => requireEligible(testland, filingFor(4), { today: TODAY })).toThrow(ValidationError);
  });

  it('accepts a filing that meets it, in either of its units, without training', () => {
    const input = structuredClone(validFiling({ role: 'lead', unit: '990200', region: '990200' }));
    delete input.person.training;
    input.person.standardsWorkYears = 5;
    expect(assessFiling(testland, parseFiling(input), { today: TODAY })).toEqual({
      errors: [],
      warnings: [],
    });
    expect(assessFiling(testland, filingFor(5), { today: TODAY })).toEqual({ errors: [], warnings: [] });
  });

  it('knows nothing of the other provinces', () => {
    const result = assessFiling(testland, filingFor(10, '210100'), { today: TODAY });
    expect(result.errors.map((e) => e.code)).toEqual(['unknown_reporting_unit']);
    const cso = parseFiling(validFiling({ role: 'cso', unit: '990100' }));
    expect(assessFiling(testland, cso, { today: TODAY }).errors.map((e) => e.code)).toEqual(['unknown_role']);
  });

  it('evaluates a nested all/any condition written in its configuration', () => {
    const config = testlandConfig();
    config.eligibility.push({
      id: 'lead-profile',
      roles: ['lead'],
      severity: 'soft',
      condition: {
        all: [
          { any: [{ educationAtLeast: 'master' }, { titleAtLeast: 'associate_senior' }] },
          { all: [{ trainingPassed: true }, { appointed: true }] },
        ],
      },
      path: 'person.titleLevel',
      message: {
        zh: '一般应具备硕士学历或副高级职称并经培训',
        en: 'Usually a master or associate senior, trained',
      },
      source: '三、（二）',
    });
    const program = defineProgram(config);
    const input = structuredClone(validFiling({ role: 'lead', unit: '990100', region: '990100' }));
    input.person.standardsWorkYears = 8;
    expect(assessFiling(program, parseFiling(input), { today: TODAY })).toEqual({ errors: [], warnings: [] });
    input.person.titleLevel = 'intermediate';
    const result = assessFiling(program, parseFiling(input), { today: TODAY });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.path, w.code])).toEqual([
      ['person.titleLevel', 'rule_lead-profile'],
    ]);
    delete input.person.training;
    input.person.titleLevel = 'senior';
    expect(assessFiling(program, parseFiling(input), { today: TODAY }).warnings.map((w) => w.code)).toEqual([
      'rule_lead-profile',
    ]);
  });

  it('uses its usual-per-enterprise number', () => {
    const result = assessFiling(testland, filingFor(6), {
      today: TODAY,
      activeInEnterpriseByRole: { lead: 1 },
    });
    expect(result.warnings.map((w) => w.code)).toEqual(['role_count_unusual']);
  });
});

describe('Liaoning review stages', () => {
  it('go from the city to the province, whose inclusion puts people in the pool', () => {
    expect(liaoningCso.reviewStages.map((s) => s.id)).toEqual(['city', 'province']);
    expect(hasStage(liaoningCso, 'province')).toBe(true);
    expect(memberState(liaoningCso)).toBe('in_pool');
  });
});

describe('defineProgram refuses a review stage set the workflow cannot run', () => {
  type StageInput = ProgramInput['reviewStages'][number];
  const stage = (id: string): StageInput =>
    ({ id, name: { zh: id, en: id }, timeoutDays: 10, reminderDays: [3] }) as StageInput;
  const withStages = (...ids: string[]) => ({ ...testlandConfig(), reviewStages: ids.map(stage) });

  it('accepts the city alone, and the city then the province', () => {
    expect(memberState(defineProgram(withStages('city')))).toBe('registered');
    expect(memberState(defineProgram(withStages('city', 'province')))).toBe('in_pool');
  });

  it('with no stages', () => {
    const message = configError(withStages());
    expect(message).toContain('program testland-std is invalid');
    expect(message).toContain('reviewStages: no review stages');
  });

  it('with a stage listed twice, naming the stage and where', () => {
    const message = configError(withStages('city', 'city'));
    expect(message).toContain('program testland-std is invalid');
    expect(message).toContain('reviewStages.1.id: review stage city is listed twice');
    expect(configError(withStages('city', 'province', 'province'))).toContain(
      'reviewStages.2.id: review stage province is listed twice',
    );
  });

  it('with a province stage and no city stage before it', () => {
    expect(configError(withStages('province'))).toContain(
      'reviewStages.0.id: review stage province needs the city stage right before it',
    );
    const swapped = configError(withStages('province', 'city'));
    expect(swapped).toContain(
      'reviewStages.0.id: review stage province needs the city stage right before it',
    );
    expect(swapped).toContain('reviewStages.1.id: review stage city must come first');
  });

  it('with a stage kind the workflow does not know', () => {
    const message = configError(withStages('city', 'county'));
    expect(message).toContain('program testland-std is invalid');
    expect(message).toContain(
      'reviewStages.1.id: unknown review stage "county" (the workflow runs city, province)',
    );
  });
});

describe('defineProgram refuses a broken configuration', () => {
  it('with duplicate unit codes', () => {
    const config = testlandConfig();
    const [first] = config.reportingUnits;
    if (first) config.reportingUnits.push({ ...first });
    const message = configError(config);
    expect(message).toContain('testland-std');
    expect(message).toContain('reportingUnits.2.code');
    expect(message).toContain('duplicate unit 990100');
  });

  it('with an official code outside the province', () => {
    const config = testlandConfig();
    const [first] = config.reportingUnits;
    if (first) first.code = '210100';
    const message = configError(config);
    expect(message).toContain('reportingUnits.0.code');
    expect(message).toContain('outside the province');
  });

  it('with an official code that is not 6 digits', () => {
    const config = testlandConfig();
    const [first] = config.reportingUnits;
    if (first) first.code = '99-X';
    const message = configError(config);
    expect(message).toContain('reportingUnits.0.code');
    expect(message).toContain('6 digits');
  });

  it('accepts an internal code when it is not flagged official', () => {
    const config = testlandConfig();
    const [first] = config.reportingUnits;
    if (first) {
      first.code = '99-X';
      first.official = false;
    }
    expect(findUnit(defineProgram(config), '99-X')?.official).toBe(false);
  });

  it('with an eligibility rule naming an unknown role', () => {
    const config = testlandConfig();
    const [rule] = config.eligibility;
    if (rule) rule.roles = ['lead', 'ghost'];
    const message = configError(config);
    expect(message).toContain('eligibility.0.roles');
    expect(message).toContain('unknown role ghost');
  });

  it('with a target naming an unknown role', () => {
    const config = testlandConfig();
    config.targets = [
      {
        id: 'pool-10',
        deadline: '2026-12-31',
        minPoolSize: 10,
        roles: ['ghost'],
        description: { zh: '十', en: 'ten' },
      },
    ];
    const message = configError(config);
    expect(message).toContain('targets.0.roles');
    expect(message).toContain('unknown role ghost');
  });

  it('with coverage naming an unknown role or giving a figure for an unknown unit', () => {
    const config = testlandConfig();
    config.coverage = {
      roles: ['ghost'],
      base: { source: { zh: '名录', en: 'the list' }, units: { '999999': { aboveScale: 5 } } },
    };
    const message = configError(config);
    expect(message).toContain('coverage.roles: unknown role ghost');
    expect(message).toContain('coverage.base.units.999999: unknown unit 999999');
    config.coverage = { roles: ['lead'], base: { source: { zh: '名录', en: 'the list' }, units: {} } };
    expect(defineProgram(config).coverage?.roles).toEqual(['lead']);
  });

  it('with reminders that do not come before the timeout', () => {
    const config = testlandConfig();
    const [stage] = config.reviewStages;
    if (stage) stage.reminderDays = [3, 10];
    const message = configError(config);
    expect(message).toContain('reviewStages.0');
    expect(message).toContain('reminders must come before the timeout');
  });

  it('with a malformed field, naming its path', () => {
    const config = testlandConfig();
    config.province.code = '9';
    expect(configError(config)).toContain('province.code');
    const noUnits = testlandConfig();
    noUnits.reportingUnits = [];
    expect(configError(noUnits)).toContain('reportingUnits');
  });

  it('with an unknown condition', () => {
    const config = testlandConfig() as unknown as { eligibility: { condition: unknown }[] };
    const [rule] = config.eligibility;
    if (rule) rule.condition = { ageAtMost: 60 };
    expect(configError(config as unknown as ProgramInput)).toContain('eligibility.0.condition');
  });
});
