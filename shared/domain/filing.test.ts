import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usccFor, validFiling } from '../../test/support/fixtures.ts';
import { ordinaryLine, ordinaryProse, unsafeInProse } from '../../test/support/unsafe-text.ts';
import { ValidationError } from './errors.ts';
import type { FilingInput } from './filing.ts';
import { FIELD_LABELS, fieldLabel, filingJsonSchema, parseFiling, toFieldIssue } from './filing.ts';

type RawIssue = Parameters<typeof toFieldIssue>[0];

/** The ValidationError parseFiling throws for an input (fails the test when it does not throw). */
function failure(input: unknown): ValidationError {
  try {
    parseFiling(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected parseFiling to throw a ValidationError');
}

function issueAt(input: unknown, path: string) {
  return failure(input).issues.find((i) => i.path === path);
}

/** A deep copy of the valid fixture that a test may break at will. */
function body(): FilingInput {
  return structuredClone(validFiling());
}

/** Same text in full-width ASCII, as typed on a Chinese IME. */
const fullWidth = (s: string) =>
  [...s].map((c) => String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0)).join('');

describe('parseFiling: valid input', () => {
  it('accepts the Liaoning CSO fixture and keeps its values', () => {
    const input = validFiling({ n: 3 });
    const filing = parseFiling(input);
    expect(filing).toEqual(input);
    expect(filing.role).toBe('cso');
    expect(filing.enterprise.reportingUnit).toBe('210100');
  });

  it('accepts a filing without the optional title name, office phone and training', () => {
    const input = body();
    delete input.person.titleName;
    delete input.person.officePhone;
    delete input.person.training;
    const filing = parseFiling(input);
    expect(filing.person.training).toBeUndefined();
    expect(filing.person.officePhone).toBeUndefined();
  });

  it('accepts achievements of exactly 2000 characters', () => {
    const input = body();
    input.person.achievements = '标'.repeat(2000);
    expect(parseFiling(input).person.achievements).toHaveLength(2000);
  });

  it('accepts a contact mobile as well as an office phone', () => {
    const input = body();
    input.enterprise.contact.phone = '13912345678';
    expect(parseFiling(input).enterprise.contact.phone).toBe('13912345678');
  });
});

describe('parseFiling: normalization', () => {
  it('turns a full-width credit code into its half-width form', () => {
    const input = body();
    const uscc = input.enterprise.uscc;
    input.enterprise.uscc = fullWidth(uscc);
    expect(input.enterprise.uscc.startsWith('９１')).toBe(true);
    expect(parseFiling(input).enterprise.uscc).toBe(uscc);
  });

  it('upper-cases a lower-case credit code', () => {
    const input = body();
    input.enterprise.uscc = ` ${'91350200776049653A'.toLowerCase()} `;
    expect(parseFiling(input).enterprise.uscc).toBe('91350200776049653A');
  });

  it('stores a lower-case x of an ID number as X', () => {
    const input = body();
    input.person.idNumber = '11010519491231002x';
    input.person.sex = 'female';
    input.person.birthYearMonth = '1949-12';
    expect(parseFiling(input).person.idNumber).toBe('11010519491231002X');
  });

  it('reduces a mobile with +86 and spaces to its 11 digits', () => {
    const input = body();
    input.person.mobile = '+86 138 0000 0001';
    expect(parseFiling(input).person.mobile).toBe('13800000001');
    input.person.mobile = '0086-138-0000-0001';
    expect(parseFiling(input).person.mobile).toBe('13800000001');
  });

  it('trims text fields and lower-cases the email', () => {
    const input = body();
    input.person.name = '  张伟  ';
    input.person.major = '\u3000机械工程 ';
    input.person.position = ' 副总经理\t';
    input.person.email = '  Officer1@Example.COM ';
    input.person.achievements = '  主持制定企业标准体系。 ';
    input.enterprise.name = ' 沈阳示例机械制造有限公司 ';
    input.person.birthYearMonth = ` ${input.person.birthYearMonth} `;
    input.person.appointment.date = ' 2024-03-01 ';
    const filing = parseFiling(input);
    expect(filing.person.name).toBe('张伟');
    expect(filing.person.major).toBe('机械工程');
    expect(filing.person.position).toBe('副总经理');
    expect(filing.person.email).toBe('officer1@example.com');
    expect(filing.person.achievements).toBe('主持制定企业标准体系。');
    expect(filing.enterprise.name).toBe('沈阳示例机械制造有限公司');
    expect(filing.person.birthYearMonth).toBe(validFiling().person.birthYearMonth);
    expect(filing.person.appointment.date).toBe('2024-03-01');
  });

  it('writes the middle dot of minority names one way', () => {
    const input = body();
    input.person.name = '买买提.艾力';
    expect(parseFiling(input).person.name).toBe('买买提·艾力');
    input.person.name = '买买提•艾力';
    expect(parseFiling(input).person.name).toBe('买买提·艾力');
  });

  it.each(["Sean O'Brien", 'Jean-Pierre Dupont', '阿依古丽·买买提-艾力'])(
    'accepts the name %s of a permanent-residence card holder or a minority',
    (name) => {
      const input = body();
      input.person.name = name;
      expect(parseFiling(input).person.name).toBe(name);
    },
  );

  it('refuses a name with other punctuation', () => {
    const input = body();
    input.person.name = 'Smith, John';
    expect(issueAt(input, 'person.name')?.code).toBe('invalid_format');
  });

  it('writes office phones with the area code in brackets or set apart by a blank as area code-number', () => {
    const input = body();
    input.person.officePhone = '(024)23456789';
    input.enterprise.contact.phone = '024 23456789';
    const filing = parseFiling(input);
    expect(filing.person.officePhone).toBe('024-23456789');
    expect(filing.enterprise.contact.phone).toBe('024-23456789');
  });

  it('normalizes the reporting unit code and a full-width office phone', () => {
    const input = body();
    input.enterprise.reportingUnit = ' 21-sf ';
    input.person.officePhone = fullWidth('024-23456789');
    const filing = parseFiling(input);
    expect(filing.enterprise.reportingUnit).toBe('21-SF');
    expect(filing.person.officePhone).toBe('024-23456789');
  });
});

describe('parseFiling: refusals', () => {
  it('reports every failing field of a badly broken body in one ValidationError', () => {
    const input = body() as unknown as {
      person: Record<string, unknown>;
      enterprise: Record<string, unknown> & { contact: Record<string, unknown> };
      consent: Record<string, unknown>;
      [key: string]: unknown;
    };
    input.person.name = 'x';
    input.person.sex = 'other';
    input.person.idNumber = '340524198001010013';
    input.person.standardsWorkYears = -1;
    input.person.mobile = '123';
    input.person.email = 'not-an-email';
    input.person.achievements = 'a'.repeat(2001);
    input.person.ethnicity = '汉族';
    delete input.person.major;
    input.enterprise.uscc = '91350200776049654A';
    input.enterprise.industry = 'Z';
    input.enterprise.contact.phone = '12';
    input.consent.accepted = false;
    input.extra = 1;

    const error = failure(input);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('validation_failed');
    const paths = error.issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'person.name',
        'person.sex',
        'person.idNumber',
        'person.standardsWorkYears',
        'person.mobile',
        'person.email',
        'person.achievements',
        'person.ethnicity',
        'person.major',
        'enterprise.uscc',
        'enterprise.industry',
        'enterprise.contact.phone',
        'consent.accepted',
        'extra',
      ].sort(),
    );
    for (const issue of error.issues) {
      expect(issue.code).not.toBe('');
      expect(issue.message.zh.length).toBeGreaterThan(0);
      expect(issue.message.en.length).toBeGreaterThan(0);
      const label = FIELD_LABELS[issue.path];
      if (label) {
        expect(issue.message.zh).toContain(label.zh);
        expect(issue.message.en).toContain(label.en);
      }
    }
    // Every labelled path above has its Chinese label in the message.
    expect(error.issues.filter((i) => FIELD_LABELS[i.path] !== undefined)).toHaveLength(12);
    expect(error.message).toContain('person.idNumber (id_check_digit)');
  });

  it('gives each broken field its own code', () => {
    const input = body() as unknown as { person: Record<string, unknown> };
    input.person.name = 'x';
    input.person.sex = 'other';
    input.person.standardsWorkYears = 61;
    input.person.email = 'nope';
    delete input.person.major;
    const byPath = Object.fromEntries(failure(input).issues.map((i) => [i.path, i.code]));
    expect(byPath).toEqual({
      'person.name': 'too_short',
      'person.sex': 'invalid_value',
      'person.standardsWorkYears': 'too_big',
      'person.email': 'invalid_format',
      'person.major': 'required',
    });
  });

  it('rejects an unknown person property with its path', () => {
    const input = body() as unknown as { person: Record<string, unknown> };
    input.person.ethnicity = '汉族';
    const error = failure(input);
    expect(error.issues).toEqual([
      {
        path: 'person.ethnicity',
        code: 'unknown_field',
        message: { zh: '不允许的字段：ethnicity', en: 'unknown field: ethnicity' },
      },
    ]);
  });

  it('rejects unknown top-level and nested properties, one issue per key', () => {
    const input = body() as unknown as Record<string, unknown> & {
      enterprise: { contact: Record<string, unknown> };
    };
    input.politicalStatus = '群众';
    input.idPhoto = 'data:image/png;base64,AAAA';
    input.enterprise.contact.fax = '024-1234567';
    const issues = failure(input).issues;
    expect(issues.map((i) => [i.path, i.code]).sort()).toEqual([
      ['enterprise.contact.fax', 'unknown_field'],
      ['idPhoto', 'unknown_field'],
      ['politicalStatus', 'unknown_field'],
    ]);
  });

  it('reports a missing required field as required', () => {
    const input = body() as unknown as {
      person: Record<string, unknown>;
      enterprise: Record<string, unknown>;
    };
    delete input.person.idNumber;
    delete input.enterprise.uscc;
    const issues = failure(input).issues;
    expect(issues).toEqual([
      {
        path: 'person.idNumber',
        code: 'required',
        message: { zh: '证件号码：必填', en: 'ID number: is required' },
      },
      {
        path: 'enterprise.uscc',
        code: 'required',
        message: { zh: '统一社会信用代码：必填', en: 'unified social credit code: is required' },
      },
    ]);
  });

  it('reports a missing whole section as required', () => {
    const input = body() as unknown as Record<string, unknown>;
    delete input.consent;
    expect(failure(input).issues).toEqual([
      {
        path: 'consent',
        code: 'required',
        message: { zh: '个人信息处理同意：必填', en: 'consent: is required' },
      },
    ]);
  });

  it('refuses something that is not an object at all', () => {
    expect(failure(null).issues).toHaveLength(1);
    expect(failure('filing').issues[0]?.path).toBe('');
  });

  // A value of the wrong type is present, so it must not be reported as missing.
  it('reports a value of the wrong type as invalid_type, not as required', () => {
    const input = body() as unknown as { person: Record<string, unknown> };
    input.person.standardsWorkYears = '5';
    const issue = issueAt(input, 'person.standardsWorkYears');
    expect(issue?.code).toBe('invalid_type');
    expect(issue?.message.zh).toContain('从事标准化工作年限');
    expect(issue?.message.en).toContain('number');
  });

  it('refuses achievements of 2001 characters', () => {
    const input = body();
    input.person.achievements = '标'.repeat(2001);
    const issue = issueAt(input, 'person.achievements');
    expect(issue?.code).toBe('too_long');
    expect(issue?.message.zh).toContain('主要标准化工作业绩');
    expect(issue?.message.zh).toContain('2000');
  });

  it('refuses a credit code with a wrong check character', () => {
    const input = body();
    input.enterprise.uscc = '91350200776049654A';
    const issue = issueAt(input, 'enterprise.uscc');
    expect(issue?.code).toBe('uscc_check_digit');
    expect(issue?.message.zh).toMatch(/^统一社会信用代码：/);
    expect(issue?.message.en).toMatch(/^unified social credit code: /);
  });

  it('refuses a typo in the last character of a code whose organization segment checks out, on the code', () => {
    const input = body();
    input.enterprise.uscc = '91350200776049653B';
    expect(issueAt(input, 'enterprise.uscc')?.code).toBe('uscc_check_digit');
  });

  it('refuses an ID number with a wrong check character', () => {
    const input = body();
    input.person.idNumber = '340524198001010013';
    const issue = issueAt(input, 'person.idNumber');
    expect(issue?.code).toBe('id_check_digit');
    expect(issue?.message.zh).toMatch(/^证件号码：/);
  });

  it('refuses a consent that was not accepted', () => {
    const input = body() as unknown as { consent: Record<string, unknown> };
    input.consent.accepted = false;
    const error = failure(input);
    expect(error.issues.map((i) => i.path)).toEqual(['consent.accepted']);
    expect(error.issues[0]?.message.zh).toContain('个人信息处理同意');
  });

  it('refuses a consent time without an offset and a malformed date', () => {
    const input = body();
    input.consent.acceptedAt = 'yesterday';
    input.person.appointment.date = '2024-13-01';
    const paths = failure(input).issues.map((i) => i.path);
    expect(paths.sort()).toEqual(['consent.acceptedAt', 'person.appointment.date']);
  });

  it('refuses a bad office phone and a bad contact phone with their own codes', () => {
    const input = body();
    input.person.officePhone = '23456789';
    input.enterprise.contact.phone = 'call me';
    const byPath = Object.fromEntries(failure(input).issues.map((i) => [i.path, i.code]));
    expect(byPath).toEqual({
      'person.officePhone': 'office_phone_format',
      'enterprise.contact.phone': 'contact_phone_format',
    });
  });

  it('refuses an unknown enterprise category with its array index in the path', () => {
    const input = body() as unknown as { enterprise: { categories: unknown[] } };
    input.enterprise.categories = ['good_behavior', 'famous'];
    const issue = issueAt(input, 'enterprise.categories.1');
    expect(issue?.code).toBe('invalid_value');
    expect(issue?.message.zh).toMatch(/^企业类别：/);
  });

  it('refuses a name with digits', () => {
    const input = body();
    input.person.name = '张伟2';
    expect(issueAt(input, 'person.name')?.code).toBe('invalid_format');
  });

  it('refuses a credit code from another enterprise only by its checks, not by region', () => {
    const input = body();
    input.enterprise.uscc = usccFor(5, '440300');
    expect(parseFiling(input).enterprise.uscc).toBe(usccFor(5, '440300'));
  });
});

/** Every string field of the filing, by its path. */
const FREE_TEXT = [
  'person.name',
  'person.major',
  'person.titleName',
  'person.position',
  'person.appointment.documentNumber',
  'person.training.course',
  'person.training.organizer',
  'person.training.certificateNumber',
  'person.email',
  'person.achievements',
  'enterprise.name',
  'enterprise.contact.name',
  'consent.noticeVersion',
] as const;
/** String fields with a fixed shape (codes, dates, choices): refused too, by their own checks. */
const SHAPED = [
  'role',
  'person.birthYearMonth',
  'person.idNumber',
  'person.appointment.date',
  'person.training.date',
  'person.mobile',
  'person.officePhone',
  'enterprise.uscc',
  'enterprise.reportingUnit',
  'enterprise.contact.phone',
] as const;

function setAt(input: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = input as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1) as string] = value;
}

function getAt(input: unknown, path: string): string {
  return path.split('.').reduce((node, key) => (node as Record<string, unknown>)[key], input) as string;
}

describe('parseFiling: invisible and control characters', () => {
  it('refuses a right-to-left override in the enterprise name on its path, naming the character', () => {
    const input = body();
    input.enterprise.name = '\u202E司公限有械机阳沈';
    const error = failure(input);
    expect(error.issues).toEqual([
      {
        path: 'enterprise.name',
        code: 'invisible_characters',
        message: {
          zh: '企业名称：含有不可见或控制字符（U+202E），请删除后重新填写',
          en: 'enterprise name: contains invisible or control characters (U+202E); remove them and try again',
        },
      },
    ]);
  });

  it('refuses any such character inside any free-text field, with the field at fault', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FREE_TEXT), unsafeInProse, fc.nat(), (path, character, at) => {
        const input = body();
        const value = getAt(input, path);
        const i = 1 + (at % (value.length - 1)); // inside: blanks at either end are trimmed
        setAt(input, path, `${value.slice(0, i)}${character}${value.slice(i)}`);
        const issues = failure(input).issues.filter((issue) => issue.path === path);
        return issues.some((issue) => issue.code === 'invisible_characters');
      }),
    );
  });

  it('refuses a newline in every field but the achievements, and a character hidden in a coded field', () => {
    for (const path of FREE_TEXT.filter((p) => p !== 'person.achievements')) {
      const input = body();
      const value = getAt(input, path);
      setAt(input, path, `${value.slice(0, 1)}\n${value.slice(1)}`);
      expect(issueAt(input, path)?.code, path).toBe('invisible_characters');
    }
    for (const path of SHAPED) {
      const input = body();
      const value = getAt(input, path);
      setAt(input, path, `${value.slice(0, 2)}\u200B${value.slice(2)}`);
      expect(issueAt(input, path), path).toBeDefined();
    }
  });

  it('trims blanks the paste of a cell leaves at either end (a tab, a BOM) as before, and keeps none', () => {
    const input = body();
    input.enterprise.name = '\uFEFF沈阳示例机械制造有限公司\t';
    input.person.achievements = '\r\n主持制定企业标准体系。\u2028';
    const filing = parseFiling(input);
    expect(filing.enterprise.name).toBe('沈阳示例机械制造有限公司');
    expect(filing.person.achievements).toBe('主持制定企业标准体系。');
  });

  it('keeps ordinary Chinese text with the middle dot, and the achievements with their paragraphs', () => {
    fc.assert(
      fc.property(
        ordinaryLine(2, 100),
        ordinaryLine(1, 50),
        ordinaryProse,
        (name, position, achievements) => {
          const input = body();
          input.enterprise.name = name;
          input.person.position = position;
          input.person.achievements = achievements;
          const filing = parseFiling(input);
          return filing.person.achievements === achievements && filing.enterprise.name.length >= 2;
        },
      ),
    );
    const input = body();
    input.person.name = '阿依古丽·买买提';
    input.person.achievements = '一、主持制定企业标准体系；\r\n二、参与两项行业标准起草。\n';
    const filing = parseFiling(input);
    expect(filing.person.name).toBe('阿依古丽·买买提');
    expect(filing.person.achievements).toBe('一、主持制定企业标准体系；\n二、参与两项行业标准起草。');
  });
});

describe('filingJsonSchema', () => {
  const schema = filingJsonSchema() as {
    type: string;
    additionalProperties: unknown;
    required: string[];
    properties: Record<
      string,
      { additionalProperties?: unknown; properties: Record<string, unknown>; required?: string[] }
    >;
  };

  it('is a closed object schema of the four sections and the optional attachments', () => {
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(['consent', 'enterprise', 'person', 'role']);
    expect(Object.keys(schema.properties).sort()).toEqual([
      'attachments',
      'consent',
      'enterprise',
      'person',
      'role',
    ]);
  });

  it('describes the person and the enterprise', () => {
    const person = schema.properties.person;
    const enterprise = schema.properties.enterprise;
    expect(person?.additionalProperties).toBe(false);
    expect(person?.properties.idNumber).toBeDefined();
    expect(person?.properties.mobile).toBeDefined();
    expect(person?.properties.ethnicity).toBeUndefined();
    expect(person?.required).toContain('idNumber');
    expect(person?.required).not.toContain('officePhone');
    expect(person?.required).not.toContain('training');
    expect(enterprise?.additionalProperties).toBe(false);
    expect(enterprise?.properties.uscc).toBeDefined();
    expect(enterprise?.properties.reportingUnit).toBeDefined();
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('fieldLabel', () => {
  it('finds the label of a known path', () => {
    expect(fieldLabel('person.idNumber')).toEqual({ zh: '证件号码', en: 'ID number' });
  });

  it('strips array indexes', () => {
    expect(fieldLabel('enterprise.categories.2')).toEqual({ zh: '企业类别', en: 'enterprise categories' });
    expect(fieldLabel('enterprise.categories.12')).toEqual(fieldLabel('enterprise.categories'));
  });

  it('falls back to the path itself', () => {
    expect(fieldLabel('person.unknown')).toEqual({ zh: 'person.unknown', en: 'person.unknown' });
  });

  it('has a Chinese and an English label for every field', () => {
    for (const label of Object.values(FIELD_LABELS)) {
      expect(label.zh).toMatch(/\p{Script=Han}/u);
      expect(label.en.length).toBeGreaterThan(0);
    }
  });
});

describe('toFieldIssue', () => {
  it('describes invalid_value with the allowed values', () => {
    const raw: RawIssue = {
      code: 'invalid_value',
      values: ['male', 'female'],
      path: ['person', 'sex'],
      message: 'Invalid option',
    };
    expect(toFieldIssue(raw)).toEqual([
      {
        path: 'person.sex',
        code: 'invalid_value',
        message: { zh: '性别：取值无效，可选：male、female', en: 'sex: must be one of male, female' },
      },
    ]);
  });

  it('describes a number that is too small or too big', () => {
    const small: RawIssue = {
      code: 'too_small',
      origin: 'number',
      minimum: 0,
      inclusive: true,
      path: ['person', 'standardsWorkYears'],
      message: 'Too small',
    };
    const big: RawIssue = {
      code: 'too_big',
      origin: 'number',
      maximum: 60,
      inclusive: true,
      path: ['person', 'standardsWorkYears'],
      message: 'Too big',
    };
    expect(toFieldIssue(small)).toEqual([
      {
        path: 'person.standardsWorkYears',
        code: 'too_small',
        message: { zh: '从事标准化工作年限：不得小于 0', en: 'years of standards work: must be at least 0' },
      },
    ]);
    expect(toFieldIssue(big)).toEqual([
      {
        path: 'person.standardsWorkYears',
        code: 'too_big',
        message: { zh: '从事标准化工作年限：不得大于 60', en: 'years of standards work: must be at most 60' },
      },
    ]);
  });

  it('describes a string that is too short or too long', () => {
    const short: RawIssue = {
      code: 'too_small',
      origin: 'string',
      minimum: 2,
      path: ['person', 'name'],
      message: '',
    };
    const long: RawIssue = {
      code: 'too_big',
      origin: 'string',
      maximum: 30,
      path: ['person', 'name'],
      message: '',
    };
    expect(toFieldIssue(short)[0]?.code).toBe('too_short');
    expect(toFieldIssue(short)[0]?.message.en).toBe('name: must have at least 2 characters');
    expect(toFieldIssue(long)[0]?.code).toBe('too_long');
    expect(toFieldIssue(long)[0]?.message.zh).toBe('姓名：不得超过 30 个字符');
  });

  it('describes invalid_format', () => {
    const raw: RawIssue = {
      code: 'invalid_format',
      format: 'regex',
      pattern: '^x$',
      path: ['person', 'email'],
      message: '',
    };
    expect(toFieldIssue(raw)).toEqual([
      {
        path: 'person.email',
        code: 'invalid_format',
        message: { zh: '电子邮箱：格式不正确', en: 'email: has the wrong format' },
      },
    ]);
  });

  it('tells required from wrong type by the input', () => {
    const missing: RawIssue = { code: 'invalid_type', expected: 'string', path: ['role'], message: '' };
    const wrong: RawIssue = {
      code: 'invalid_type',
      expected: 'string',
      input: 5,
      path: ['role'],
      message: '',
    };
    expect(toFieldIssue(missing)[0]?.code).toBe('required');
    expect(toFieldIssue(wrong)[0]).toEqual({
      path: 'role',
      code: 'invalid_type',
      message: { zh: '岗位：类型错误，应为文本', en: 'role: must be a string' },
    });
  });

  it('expands unrecognized keys into one unknown_field per key, under the prefix', () => {
    const raw: RawIssue = { code: 'unrecognized_keys', keys: ['a', 'b'], path: [], message: '' };
    expect(toFieldIssue(raw).map((i) => i.path)).toEqual(['a', 'b']);
    expect(toFieldIssue(raw, 'person').map((i) => i.path)).toEqual(['person.a', 'person.b']);
  });

  it('uses the texts a validator attached to a custom issue', () => {
    const raw: RawIssue = {
      code: 'custom',
      path: ['enterprise', 'uscc'],
      message: 'bad',
      params: { code: 'uscc_length', zh: '长度不对', en: 'wrong length' },
    };
    expect(toFieldIssue(raw)).toEqual([
      {
        path: 'enterprise.uscc',
        code: 'uscc_length',
        message: { zh: '统一社会信用代码：长度不对', en: 'unified social credit code: wrong length' },
      },
    ]);
  });

  it('falls back to a generic text for other issues', () => {
    const custom: RawIssue = { code: 'custom', path: ['person', 'name'], message: 'x' };
    const multiple: RawIssue = {
      code: 'not_multiple_of',
      divisor: 2,
      path: ['x'],
      message: '',
    };
    expect(toFieldIssue(custom)).toEqual([
      { path: 'person.name', code: 'custom', message: { zh: '姓名：无效', en: 'name: is invalid' } },
    ]);
    expect(toFieldIssue(multiple, 'p')[0]).toMatchObject({ path: 'p.x', code: 'not_multiple_of' });
  });
});
