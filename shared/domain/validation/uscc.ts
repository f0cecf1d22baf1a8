// 统一社会信用代码 (unified social credit code), GB 32100-2015, with the embedded organization code of GB 11714.

import { normalizeCode } from './normalize.ts';
import type { CheckResult, Finding } from './result.ts';

/** The 31 characters of GB 32100; I, O, S, V and Z are not used. A character's value is its index. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights 3^i mod 31 for positions 1–17. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** GB 11714 values: digits 0–9, letters A=10 … Z=35. */
const ORG_CODE_VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Registering-department codes (position 1). */
const DEPARTMENTS = '123456789ANY';
/** Position 1–2 prefixes registered by market regulation: enterprise, individual business, cooperative. */
const ENTERPRISE_PREFIXES: readonly string[] = ['91', '92', '93'];
const EXCLUDED_LETTERS = 'IOSVZ';

function weightedSum(chars: string, alphabet: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((w, i) => {
    const v = alphabet.indexOf(chars.charAt(i));
    if (v < 0)
      throw new RangeError(`character ${JSON.stringify(chars.charAt(i))} at index ${i} is not allowed`);
    sum += v * w;
  });
  return sum;
}

// The GB 32100 check character (position 18) for the first 17 characters; used by the validator and data generators.
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs exactly 17 characters');
  const sum = weightedSum(first17, USCC_ALPHABET, USCC_WEIGHTS);
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

// The GB 11714 organization-code check character for its first 8 characters (position 17 of a credit code).
export function orgCodeCheckChar(first8: string): string {
  if (first8.length !== 8) throw new RangeError('orgCodeCheckChar needs exactly 8 characters');
  const check = 11 - (weightedSum(first8, ORG_CODE_VALUES, ORG_CODE_WEIGHTS) % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

function lengthError(length: number): Finding {
  return {
    code: 'uscc_length',
    message: {
      zh: `统一社会信用代码应为18位，实际为${length}位。`,
      en: `A unified social credit code has 18 characters; this one has ${length}.`,
    },
  };
}

function charsetError(ch: string, position: number): Finding {
  const excluded = EXCLUDED_LETTERS.includes(ch);
  return {
    code: 'uscc_charset',
    message: {
      zh: `第${position}位字符“${ch}”不能用于统一社会信用代码${excluded ? '（代码中不使用字母 I、O、S、V、Z）' : '（只能使用数字和大写字母，不含 I、O、S、V、Z）'}。`,
      en: `Character "${ch}" at position ${position} is not allowed in a unified social credit code${excluded ? ' (the letters I, O, S, V and Z are not used)' : ' (only digits and capital letters except I, O, S, V, Z)'}.`,
    },
  };
}

const DEPARTMENT_ERROR: Finding = {
  code: 'uscc_department',
  message: {
    zh: '统一社会信用代码第1位（登记管理部门代码）无效。',
    en: 'The first character (registering department) of the unified social credit code is not valid.',
  },
};

const REGION_ERROR: Finding = {
  code: 'uscc_region',
  message: {
    zh: '统一社会信用代码第3–8位（登记管理机关行政区划码）应为6位数字。',
    en: 'Positions 3–8 (administrative region code) of the unified social credit code must be 6 digits.',
  },
};

const CHECK_DIGIT_ERROR: Finding = {
  code: 'uscc_check_digit',
  message: {
    zh: '统一社会信用代码校验码不正确，请核对是否输错。',
    en: 'The check character of the unified social credit code is wrong; please check for a typing error.',
  },
};

const LEGACY_CHECK_WARNING: Finding = {
  code: 'uscc_legacy_check_digit',
  message: {
    zh: '该代码第18位校验码不符合GB 32100，但组织机构代码校验正确；部分地区早期（2016年前）赋码存在此情况，请与营业执照核对。',
    en: 'Position 18 fails the GB 32100 check but the organization-code check passes; some early codes (before 2016) are like this. Please compare with the business licence.',
  },
};

const NOT_ENTERPRISE_WARNING: Finding = {
  code: 'uscc_not_enterprise',
  message: {
    zh: '该代码不属于企业、个体工商户或农民专业合作社（如事业单位、社会组织），请确认申报主体。',
    en: 'This code does not belong to an enterprise, individual business or cooperative (e.g. a public institution or social organization); please confirm the applicant.',
  },
};

// The only codes known to be legally valid with a wrong 18th character were issued in Fujian (region 35…) before 2016
// with an organization segment assigned by the registration authority (ninth character M); anywhere else a wrong last
// character is most likely a typo, and a national organization code passing its own check does not make it less so.
function isLegacyFujianCode(code: string): boolean {
  return (
    code.startsWith('35', 2) &&
    code.charAt(8) === 'M' &&
    orgCodeCheckChar(code.slice(8, 16)) === code.charAt(16)
  );
}

// Checks a unified social credit code as typed by an applicant; returns the normalized code and what the reviewer must see.
export function validateUscc(raw: string): CheckResult {
  const code = normalizeCode(raw);
  if (code.length !== 18) return { ok: false, error: lengthError([...code].length) };
  let position = 0;
  for (const ch of code) {
    position += 1;
    if (!USCC_ALPHABET.includes(ch)) return { ok: false, error: charsetError(ch, position) };
  }
  if (!DEPARTMENTS.includes(code.charAt(0))) return { ok: false, error: DEPARTMENT_ERROR };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, error: REGION_ERROR };

  const warnings: Finding[] = [];
  if (usccCheckChar(code.slice(0, 17)) !== code.charAt(17)) {
    if (!isLegacyFujianCode(code)) return { ok: false, error: CHECK_DIGIT_ERROR };
    warnings.push(LEGACY_CHECK_WARNING);
  }
  if (!ENTERPRISE_PREFIXES.includes(code.slice(0, 2))) warnings.push(NOT_ENTERPRISE_WARNING);
  return { ok: true, value: code, warnings };
}
