import { describe, expect, it } from 'vitest';
import type { FilingOptions } from '../../test/support/fixtures.ts';
import { validFiling } from '../../test/support/fixtures.ts';
import type { AssessmentContext } from './eligibility.ts';
import { assessFiling, holds, requireEligible } from './eligibility.ts';
import { ValidationError } from './errors.ts';
import type { Filing, FilingInput } from './filing.ts';
import { parseFiling } from './filing.ts';
import { getProgram, PROGRAMS } from './programs/index.ts';
import type { Condition } from './programs/program.ts';

const TODAY = '2025-06-15';
const ctx: AssessmentContext = { today: TODAY };
const liaoning = getProgram('liaoning-cso');
const anhui = getProgram('anhui-std-director');

/** A parsed filing from the fixture, changed by `edit` before parsing. */
function filing(options: FilingOptions = {}, edit: (input: FilingInput) => void = () => {}): Filing {
  const input = structuredClone(validFiling(options));
  edit(input);
  return parseFiling(input);
}

const anhuiDirector = (edit: (input: FilingInput) => void = () => {}) =>
  filing({ role: 'director', unit: '340100', region: '340100' }, edit);

const paths = (issues: { path: string }[]) => issues.map((i) => i.path).sort();
const codes = (issues: { code: string }[]) => issues.map((i) => i.code).sort();

describe('the shipped programs', () => {
  it('include Liaoning and Anhui, whose rules this file checks', () => {
    expect(PROGRAMS).toEqual(expect.arrayContaining([liaoning, anhui]));
  });
});

describe('assessFiling: Liaoning', () => {
  it('accepts the valid CSO fixture without findings', () => {
    expect(assessFiling(liaoning, filing(), ctx)).toEqual({ errors: [], warnings: [] });
  });

  it('accepts a specialist with secondary education and a junior title, with a warning', () => {
    const specialist = filing({ role: 'specialist' }, (f) => {
      f.person.education = 'secondary';
      f.person.titleLevel = 'junior';
    });
    const result = assessFiling(liaoning, specialist, ctx);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({
      path: 'person.education',
      code: 'rule_specialist-qualification',
    });
    expect(result.warnings[0]?.message.zh).toContain('学历');
    expect(result.warnings[0]?.message.zh).toContain('大专以上学历或中级以上职称');
  });

  it('does not warn a specialist with an associate degree', () => {
    const specialist = filing({ role: 'specialist' }, (f) => {
      f.person.education = 'associate';
      f.person.titleLevel = 'junior';
    });
    expect(assessFiling(liaoning, specialist, ctx)).toEqual({ errors: [], warnings: [] });
  });

  it('does not warn a specialist with secondary education but an intermediate title', () => {
    const specialist = filing({ role: 'specialist' }, (f) => {
      f.person.education = 'secondary';
      f.person.titleLevel = 'intermediate';
    });
    expect(assessFiling(liaoning, specialist, ctx).warnings).toEqual([]);
  });

  it('does not apply the specialist rule to a CSO', () => {
    const cso = filing({ role: 'cso' }, (f) => {
      f.person.education = 'secondary';
      f.person.titleLevel = 'none';
    });
    expect(assessFiling(liaoning, cso, ctx)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a filing without training at person.training', () => {
    const untrained = filing({}, (f) => {
      delete f.person.training;
    });
    const result = assessFiling(liaoning, untrained, ctx);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ path: 'person.training', code: 'rule_training-passed' });
    expect(result.errors[0]?.message.zh).toMatch(/^培训信息：/);
  });

  it('refuses a training that has not happened yet', () => {
    const future = filing({}, (f) => {
      if (f.person.training) f.person.training.date = '2025-06-16';
    });
    const result = assessFiling(liaoning, future, ctx);
    expect(result.errors.map((e) => [e.path, e.code]).sort()).toEqual([
      ['person.training', 'rule_training-passed'],
      ['person.training.date', 'date_in_future'],
    ]);
  });

  it('refuses an appointment date in the future', () => {
    const future = filing({}, (f) => {
      f.person.appointment.date = '2025-06-16';
    });
    const result = assessFiling(liaoning, future, ctx);
    expect(result.errors.map((e) => [e.path, e.code]).sort()).toEqual([
      ['person.appointment.date', 'date_in_future'],
      ['person.appointment.date', 'rule_appointed'],
    ]);
    expect(result.errors.every((e) => e.message.zh.startsWith('聘任时间：'))).toBe(true);
  });

  it('accepts an appointment dated today', () => {
    const today = filing({}, (f) => {
      f.person.appointment.date = TODAY;
    });
    expect(assessFiling(liaoning, today, ctx).errors).toEqual([]);
  });

  it('accepts the 沈抚示范区 internal unit code', () => {
    expect(assessFiling(liaoning, filing({ unit: '21-SF' }), ctx).errors).toEqual([]);
  });
});

describe('assessFiling: Anhui', () => {
  it('accepts a qualified director', () => {
    expect(assessFiling(anhui, anhuiDirector(), ctx)).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a director with only 2 years of standards work', () => {
    const result = assessFiling(
      anhui,
      anhuiDirector((f) => {
        f.person.standardsWorkYears = 2;
      }),
      ctx,
    );
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['person.standardsWorkYears', 'rule_director-experience'],
    ]);
    expect(result.errors[0]?.message.zh).toContain('3年');
  });

  it('accepts exactly 3 years', () => {
    const result = assessFiling(
      anhui,
      anhuiDirector((f) => {
        f.person.standardsWorkYears = 3;
      }),
      ctx,
    );
    expect(result.errors).toEqual([]);
  });

  it('refuses a director with secondary education and an assistant title', () => {
    const result = assessFiling(
      anhui,
      anhuiDirector((f) => {
        f.person.education = 'secondary';
        f.person.titleLevel = 'assistant';
      }),
      ctx,
    );
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['person.education', 'rule_director-qualification'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('accepts secondary education with an intermediate title and 3 years', () => {
    const result = assessFiling(
      anhui,
      anhuiDirector((f) => {
        f.person.education = 'secondary';
        f.person.titleLevel = 'intermediate';
        f.person.standardsWorkYears = 3;
      }),
      ctx,
    );
    expect(result).toEqual({ errors: [], warnings: [] });
  });

  it('does not require training', () => {
    const result = assessFiling(
      anhui,
      anhuiDirector((f) => {
        delete f.person.training;
      }),
      ctx,
    );
    expect(result.errors).toEqual([]);
  });

  it('accepts a county unit reporting straight to the province', () => {
    const susong = filing({ role: 'director', unit: '340826', region: '340826' });
    expect(assessFiling(anhui, susong, ctx).errors).toEqual([]);
  });
});

describe('assessFiling: role and reporting unit', () => {
  it('refuses a role the program does not have', () => {
    const result = assessFiling(anhui, filing({ role: 'cso', unit: '340100' }), ctx);
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([['role', 'unknown_role']]);
    expect(result.errors[0]?.message.zh).toContain('企业标准总监');
    expect(result.errors[0]?.message.en).toContain('director');
  });

  it('refuses a reporting unit that is not in the program', () => {
    const result = assessFiling(liaoning, filing({ unit: '340100' }), ctx);
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['enterprise.reportingUnit', 'unknown_reporting_unit'],
    ]);
    expect(result.errors[0]?.message.zh).toMatch(/^所在市：/);
  });

  it('refuses a Liaoning filing under Anhui on both counts', () => {
    const result = assessFiling(anhui, filing({ role: 'specialist' }), ctx);
    expect(codes(result.errors)).toEqual(['unknown_reporting_unit', 'unknown_role']);
  });
});

describe('assessFiling: ID number cross-checks', () => {
  it('refuses a declared sex that disagrees with the ID number', () => {
    const f = filing({}, (input) => {
      input.person.sex = input.person.sex === 'male' ? 'female' : 'male';
    });
    const result = assessFiling(liaoning, f, ctx);
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([['person.sex', 'id_sex_mismatch']]);
    expect(result.errors[0]?.message.zh).toMatch(/^性别：/);
  });

  it('refuses a declared birth month that disagrees with the ID number', () => {
    const f = filing({}, (input) => {
      input.person.birthYearMonth = '1980-02';
    });
    const result = assessFiling(liaoning, f, ctx);
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([
      ['person.birthYearMonth', 'id_birth_mismatch'],
    ]);
    expect(result.errors[0]?.message.zh).toContain('1980-02');
  });

  it('reports both mismatches at once', () => {
    const f = filing({}, (input) => {
      input.person.sex = input.person.sex === 'male' ? 'female' : 'male';
      input.person.birthYearMonth = '1990-12';
    });
    expect(paths(assessFiling(liaoning, f, ctx).errors)).toEqual(['person.birthYearMonth', 'person.sex']);
  });

  it('refuses a resident ID declared as a Hong Kong, Macao or Taiwan permit', () => {
    const f = filing({}, (input) => {
      input.person.idType = 'hk_macao_taiwan_permit';
    });
    const result = assessFiling(liaoning, f, ctx);
    expect(result.errors.map((e) => [e.path, e.code])).toEqual([['person.idType', 'id_type_mismatch']]);
  });

  it('refuses a resident ID declared as a foreign permanent residence card', () => {
    const f = filing({}, (input) => {
      input.person.idType = 'foreign_permanent_residence';
    });
    expect(codes(assessFiling(liaoning, f, ctx).errors)).toEqual(['id_type_mismatch']);
  });
});

describe('assessFiling: warnings', () => {
  it('accepts a legacy Xiamen credit code with a warning at enterprise.uscc', () => {
    const f = filing({}, (input) => {
      input.enterprise.uscc = '91350203M0001QKT19';
    });
    const result = assessFiling(liaoning, f, ctx);
    expect(result.errors).toEqual([]);
    // Registered in Xiamen and filed in Shenyang: the reviewer is told of that as well.
    expect(result.warnings.map((w) => [w.path, w.code])).toEqual([
      ['enterprise.uscc', 'uscc_legacy_check_digit'],
      ['enterprise.reportingUnit', 'unit_region_mismatch'],
    ]);
    expect(result.warnings[0]?.message.zh).toMatch(/^统一社会信用代码：/);
  });

  it('warns at the reporting unit when the credit code was registered in another city', () => {
    const result = assessFiling(liaoning, filing({ unit: '210100', region: '210204' }), ctx);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.path, w.code])).toEqual([
      ['enterprise.reportingUnit', 'unit_region_mismatch'],
    ]);
    expect(result.warnings[0]?.message.zh).toContain('大连市');
    expect(assessFiling(liaoning, filing({ unit: '210200', region: '210204' }), ctx).warnings).toEqual([]);
    expect(assessFiling(liaoning, filing({ unit: '21-SF', region: '210204' }), ctx).warnings).toEqual([]);
  });

  it('warns when the enterprise already has its usual number of CSOs', () => {
    const result = assessFiling(liaoning, filing(), { today: TODAY, activeInEnterpriseByRole: { cso: 1 } });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.path, w.code])).toEqual([['role', 'role_count_unusual']]);
    expect(result.warnings[0]?.message.zh).toContain('首席标准官');
    expect(result.warnings[0]?.message.zh).toContain('1');
  });

  it('does not warn below the usual number, nor for other roles', () => {
    expect(
      assessFiling(liaoning, filing(), { today: TODAY, activeInEnterpriseByRole: { cso: 0, director: 3 } })
        .warnings,
    ).toEqual([]);
  });

  it('never warns about the number of specialists, who have no usual number', () => {
    const result = assessFiling(liaoning, filing({ role: 'specialist' }), {
      today: TODAY,
      activeInEnterpriseByRole: { specialist: 40 },
    });
    expect(result.warnings).toEqual([]);
  });

  it('warns about a second Anhui director', () => {
    const result = assessFiling(anhui, anhuiDirector(), {
      today: TODAY,
      activeInEnterpriseByRole: { director: 2 },
    });
    expect(codes(result.warnings)).toEqual(['role_count_unusual']);
    expect(result.warnings[0]?.message.en).toContain('already has 2');
  });
});

describe('assessFiling: stored values that no longer validate', () => {
  it('skips the ID and credit-code cross-checks instead of failing', () => {
    const stored = filing();
    const broken: Filing = {
      ...stored,
      person: { ...stored.person, idNumber: '340524198001010013', sex: 'female', birthYearMonth: '2000-01' },
      enterprise: { ...stored.enterprise, uscc: '91350200776049654A' },
    };
    expect(assessFiling(liaoning, broken, ctx)).toEqual({ errors: [], warnings: [] });
  });
});

describe('requireEligible', () => {
  it('throws a ValidationError with the hard findings', () => {
    const f = anhuiDirector((input) => {
      input.person.standardsWorkYears = 1;
    });
    let thrown: unknown;
    try {
      requireEligible(anhui, f, ctx);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect(thrown instanceof ValidationError && paths(thrown.issues)).toEqual(['person.standardsWorkYears']);
  });

  it('returns the warnings when nothing hard fails', () => {
    const specialist = filing({ role: 'specialist' }, (input) => {
      input.person.education = 'secondary';
      input.person.titleLevel = 'none';
      input.enterprise.uscc = '91350203M0001QKT19';
    });
    expect(codes(requireEligible(liaoning, specialist, ctx))).toEqual([
      'rule_specialist-qualification',
      'unit_region_mismatch',
      'uscc_legacy_check_digit',
    ]);
    expect(requireEligible(liaoning, filing(), ctx)).toEqual([]);
  });
});

describe('holds', () => {
  const f = filing({}, (input) => {
    input.person.education = 'associate';
    input.person.titleLevel = 'assistant';
    input.person.standardsWorkYears = 4;
  });

  it('evaluates the leaf conditions', () => {
    expect(holds({ educationAtLeast: 'associate' }, f, TODAY)).toBe(true);
    expect(holds({ educationAtLeast: 'bachelor' }, f, TODAY)).toBe(false);
    expect(holds({ titleAtLeast: 'assistant' }, f, TODAY)).toBe(true);
    expect(holds({ titleAtLeast: 'intermediate' }, f, TODAY)).toBe(false);
    expect(holds({ standardsWorkYearsAtLeast: 4 }, f, TODAY)).toBe(true);
    expect(holds({ standardsWorkYearsAtLeast: 5 }, f, TODAY)).toBe(false);
    expect(holds({ trainingPassed: true }, f, TODAY)).toBe(true);
    expect(holds({ trainingPassed: true }, f, '2023-11-19')).toBe(false);
    expect(holds({ appointed: true }, f, TODAY)).toBe(true);
    expect(holds({ appointed: true }, f, '2024-02-29')).toBe(false);
  });

  it('evaluates nested all and any', () => {
    const yes: Condition = { educationAtLeast: 'associate' };
    const no: Condition = { titleAtLeast: 'senior' };
    expect(holds({ all: [yes, yes] }, f, TODAY)).toBe(true);
    expect(holds({ all: [yes, no] }, f, TODAY)).toBe(false);
    expect(holds({ any: [no, yes] }, f, TODAY)).toBe(true);
    expect(holds({ any: [no, no] }, f, TODAY)).toBe(false);
    expect(holds({ all: [{ any: [no, yes] }, { any: [yes] }] }, f, TODAY)).toBe(true);
    expect(holds({ any: [{ all: [yes, no] }, { all: [no] }] }, f, TODAY)).toBe(false);
    expect(
      holds({ any: [{ all: [yes, no] }, { all: [yes, { standardsWorkYearsAtLeast: 4 }] }] }, f, TODAY),
    ).toBe(true);
  });

  it('does not count a training without certificate number', () => {
    const noCertificate = { ...f, person: { ...f.person, training: undefined } };
    expect(holds({ trainingPassed: true }, noCertificate, TODAY)).toBe(false);
    const emptyCertificate = f.person.training
      ? { ...f, person: { ...f.person, training: { ...f.person.training, certificateNumber: '' } } }
      : f;
    expect(holds({ trainingPassed: true }, emptyCertificate, TODAY)).toBe(false);
  });
});

describe('assessFiling: consent to the current privacy notice', () => {
  const current = { ...ctx, noticeVersion: liaoning.privacyNotice.version };

  it('accepts consent to the notice the programme shows now', () => {
    expect(assessFiling(liaoning, filing(), current).errors).toEqual([]);
  });

  it('refuses consent to an older or unknown notice, at the version field, in both languages', () => {
    for (const version of ['2025-01', 'v999']) {
      const { errors } = assessFiling(
        liaoning,
        filing({}, (f) => {
          f.consent.noticeVersion = version;
        }),
        current,
      );
      expect(codes(errors)).toEqual(['notice_version_outdated']);
      expect(paths(errors)).toEqual(['consent.noticeVersion']);
      expect(errors[0]?.message.zh).toContain(liaoning.privacyNotice.version);
      expect(errors[0]?.message.en).toContain(liaoning.privacyNotice.version);
    }
  });

  it('does not check the version when none is required (paper filings brought in by import)', () => {
    const paper = filing({}, (f) => {
      f.consent.noticeVersion = '纸质备案';
    });
    expect(assessFiling(liaoning, paper, ctx).errors).toEqual([]);
  });

  it('mentions the uploaded documents in every programme’s notice', () => {
    for (const program of PROGRAMS) {
      expect(program.privacyNotice.text.zh).toContain('上传');
      expect(program.privacyNotice.text.en).toContain('upload');
    }
  });
});
