// Checks a parsed filing against its program: the role and reporting unit exist, the ID number
// agrees with the declared sex and birth month, and the program's eligibility rules hold.
// Hard findings refuse the filing field by field; soft findings become warnings kept on the
// filing so the reviewer sees them.
import type { FieldIssue } from './errors.ts';
import { ValidationError } from './errors.ts';
import { fieldLabel } from './field-issues.ts';
import type { Filing } from './filing.ts';
import type { Condition, Program } from './programs/program.ts';
import { findRole, findUnit } from './programs/program.ts';
import { unitRegionMismatch } from './unit-region.ts';
import { crossCheckIdNumber, validateIdNumber } from './validation/id-number.ts';
import { educationAtLeast, titleAtLeast } from './validation/ranks.ts';
import type { Finding } from './validation/result.ts';
import { validateUscc } from './validation/uscc.ts';

export interface Assessment {
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

export interface AssessmentContext {
  /** Today in Asia/Shanghai, YYYY-MM-DD. */
  today: string;
  /** Active filings of the same enterprise, by role, not counting this one. */
  activeInEnterpriseByRole?: Record<string, number>;
  /**
   * The privacy-notice version the applicant must have accepted: the programme's current one
   * for filings from the site. Absent for paper filings brought in by import.
   */
  noticeVersion?: string;
}

const ID_KIND_FOR_TYPE = {
  resident_id: 'resident',
  hk_macao_taiwan_permit: 'hk_macao_taiwan_permit',
  foreign_permanent_residence: 'foreign_permanent_residence',
} as const;

function issue(path: string, finding: Finding): FieldIssue {
  const label = fieldLabel(path);
  return {
    path,
    code: finding.code,
    message: { zh: `${label.zh}：${finding.message.zh}`, en: `${label.en}: ${finding.message.en}` },
  };
}

/** Evaluates one eligibility condition against a filing. */
export function holds(condition: Condition, filing: Filing, today: string): boolean {
  if ('all' in condition) return condition.all.every((c) => holds(c, filing, today));
  if ('any' in condition) return condition.any.some((c) => holds(c, filing, today));
  if ('educationAtLeast' in condition)
    return educationAtLeast(filing.person.education, condition.educationAtLeast);
  if ('titleAtLeast' in condition) return titleAtLeast(filing.person.titleLevel, condition.titleAtLeast);
  if ('standardsWorkYearsAtLeast' in condition) {
    return filing.person.standardsWorkYears >= condition.standardsWorkYearsAtLeast;
  }
  if ('trainingPassed' in condition) {
    const training = filing.person.training;
    return training !== undefined && training.certificateNumber.length > 0 && training.date <= today;
  }
  return filing.person.appointment.date <= today;
}

/** All findings for a parsed filing under its program. */
export function assessFiling(program: Program, filing: Filing, context: AssessmentContext): Assessment {
  const errors: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const role = findRole(program, filing.role);
  if (!role) {
    errors.push(
      issue('role', {
        code: 'unknown_role',
        message: {
          zh: `本项目没有该岗位，可选：${program.roles.map((r) => r.name.zh).join('、')}`,
          en: `no such role in this program; choose one of ${program.roles.map((r) => r.id).join(', ')}`,
        },
      }),
    );
  }
  if (!findUnit(program, filing.enterprise.reportingUnit)) {
    errors.push(
      issue('enterprise.reportingUnit', {
        code: 'unknown_reporting_unit',
        message: { zh: '不是本省的备案单位', en: 'not a reporting unit of this province' },
      }),
    );
  }

  // Consent is to one notice text: a version the programme never showed (or an older one,
  // from a draft kept across a notice change) is no consent to what is processed now.
  if (context.noticeVersion !== undefined && filing.consent.noticeVersion !== context.noticeVersion) {
    errors.push(
      issue('consent.noticeVersion', {
        code: 'notice_version_outdated',
        message: {
          zh: `个人信息处理告知书已更新（当前版本 ${context.noticeVersion}），请阅读后重新勾选同意`,
          en: `the privacy notice has changed (now version ${context.noticeVersion}); read it and consent again`,
        },
      }),
    );
  }

  const id = validateIdNumber(filing.person.idNumber);
  if (id.ok) {
    if (id.value.kind !== ID_KIND_FOR_TYPE[filing.person.idType]) {
      errors.push(
        issue('person.idType', {
          code: 'id_type_mismatch',
          message: { zh: '证件类型与证件号码不符', en: 'does not match the ID number' },
        }),
      );
    }
    for (const f of crossCheckIdNumber(id.value, {
      sex: filing.person.sex,
      birthYearMonth: filing.person.birthYearMonth,
    })) {
      errors.push(issue(f.code === 'id_sex_mismatch' ? 'person.sex' : 'person.birthYearMonth', f));
    }
  }
  const uscc = validateUscc(filing.enterprise.uscc);
  if (uscc.ok) {
    for (const w of uscc.warnings) warnings.push(issue('enterprise.uscc', w));
    const mismatch = unitRegionMismatch(program, uscc.value, filing.enterprise.reportingUnit);
    if (mismatch) warnings.push(issue('enterprise.reportingUnit', mismatch));
  }

  for (const [path, date] of [
    ['person.appointment.date', filing.person.appointment.date],
    ['person.training.date', filing.person.training?.date],
  ] as const) {
    if (date !== undefined && date > context.today) {
      errors.push(
        issue(path, {
          code: 'date_in_future',
          message: { zh: '日期不能晚于今天', en: 'cannot be in the future' },
        }),
      );
    }
  }

  for (const rule of program.eligibility) {
    if (!rule.roles.includes(filing.role) || holds(rule.condition, filing, context.today)) continue;
    const finding = issue(rule.path, {
      code: `rule_${rule.id}`,
      message: { zh: rule.message.zh, en: rule.message.en },
    });
    if (rule.severity === 'hard') errors.push(finding);
    else warnings.push(finding);
  }

  const usual = role?.usualPerEnterprise;
  const already = context.activeInEnterpriseByRole?.[filing.role] ?? 0;
  if (role && usual !== undefined && already >= usual) {
    warnings.push(
      issue('role', {
        code: 'role_count_unusual',
        message: {
          zh: `该企业已有 ${already} 名在册${role.name.zh}（一般配备 ${usual} 名）`,
          en: `the enterprise already has ${already} active ${role.name.en} (usually ${usual})`,
        },
      }),
    );
  }
  return { errors, warnings };
}

/** Like assessFiling, but refuses the filing when any hard rule fails. Returns the warnings. */
export function requireEligible(program: Program, filing: Filing, context: AssessmentContext): FieldIssue[] {
  const { errors, warnings } = assessFiling(program, filing, context);
  if (errors.length > 0) throw new ValidationError(errors);
  return warnings;
}
