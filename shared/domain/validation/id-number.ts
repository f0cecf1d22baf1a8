// 居民身份证号码 (citizen identity number), GB 11643-1999, and the 18-digit residence permits built on it.

import { normalizeCode } from './normalize.ts';
import type { CheckResult, Finding } from './result.ts';

export type Sex = 'male' | 'female';
export type IdKind = 'resident' | 'hk_macao_taiwan_permit' | 'foreign_permanent_residence';

export interface IdNumberInfo {
  idNumber: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  kind: IdKind;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
/** Province-level codes (GB/T 2260), first two digits. */
export const PROVINCE_CODES: readonly string[] = [
  ...['11', '12', '13', '14', '15'],
  ...['21', '22', '23'],
  ...['31', '32', '33', '34', '35', '36', '37'],
  ...['41', '42', '43', '44', '45', '46'],
  ...['50', '51', '52', '53', '54'],
  ...['61', '62', '63', '64', '65'],
];
/** 港澳台居民居住证: 81 Hong Kong, 82 Macao, 83 Taiwan. */
const HK_MACAO_TAIWAN_CODES: readonly string[] = ['81', '82', '83'];
const EARLIEST_BIRTH_DATE = '1900-01-01';
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

// The GB 11643 check character for the first 17 digits; used by the validator and test-data generators.
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckChar needs exactly 17 digits');
  let sum = 0;
  WEIGHTS.forEach((w, i) => {
    sum += Number(first17.charAt(i)) * w;
  });
  return CHECK_CHARS.charAt(sum % 11);
}

function kindOf(code: string): IdKind | undefined {
  const prefix = code.slice(0, 2);
  if (PROVINCE_CODES.includes(prefix)) return 'resident';
  if (HK_MACAO_TAIWAN_CODES.includes(prefix)) return 'hk_macao_taiwan_permit';
  if (code.startsWith('9')) return 'foreign_permanent_residence';
  return undefined;
}

/** Today's date (YYYY-MM-DD) in China Standard Time, where the numbers are issued. */
function chinaDate(now: Date): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** YYYYMMDD → YYYY-MM-DD when it is a real calendar date, else undefined. */
function calendarDate(yyyymmdd: string): string | undefined {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > daysInMonth) return undefined;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function lengthError(length: number): Finding {
  return {
    code: 'id_length',
    message: {
      zh: `身份证号码应为18位，实际为${length}位（不接受15位旧号码）。`,
      en: `An identity number has 18 characters; this one has ${length} (old 15-digit numbers are not accepted).`,
    },
  };
}

const CHARSET_ERROR: Finding = {
  code: 'id_charset',
  message: {
    zh: '身份证号码前17位应为数字，最后一位为数字或 X。',
    en: 'The first 17 characters of an identity number are digits; the last is a digit or X.',
  },
};

const REGION_ERROR: Finding = {
  code: 'id_region',
  message: {
    zh: '身份证号码前两位不是有效的省级行政区划代码（或港澳台居民居住证81/82/83、外国人永久居留身份证9开头）。',
    en: 'The first two digits are not a valid province code (nor 81/82/83 for Hong Kong, Macao and Taiwan residence permits, nor 9 for a foreign permanent residence card).',
  },
};

function birthDateError(detail: { zh: string; en: string }): Finding {
  return {
    code: 'id_birth_date',
    message: {
      zh: `身份证号码中的出生日期${detail.zh}。`,
      en: `The birth date in the identity number ${detail.en}.`,
    },
  };
}

const CHECK_DIGIT_ERROR: Finding = {
  code: 'id_check_digit',
  message: {
    zh: '身份证号码校验位不正确，请核对是否输错。',
    en: 'The check character of the identity number is wrong; please check for a typing error.',
  },
};

// Checks an identity number as typed and extracts birth date, sex and document kind for cross-checks and display.
export function validateIdNumber(raw: string, today: Date = new Date()): CheckResult<IdNumberInfo> {
  const idNumber = normalizeCode(raw);
  if (idNumber.length !== 18) return { ok: false, error: lengthError([...idNumber].length) };
  if (!/^\d{17}[\dX]$/.test(idNumber)) return { ok: false, error: CHARSET_ERROR };
  const kind = kindOf(idNumber);
  if (kind === undefined) return { ok: false, error: REGION_ERROR };

  const birthDate = calendarDate(idNumber.slice(6, 14));
  if (birthDate === undefined) {
    return { ok: false, error: birthDateError({ zh: '不是有效日期', en: 'is not a real calendar date' }) };
  }
  if (birthDate < EARLIEST_BIRTH_DATE) {
    return { ok: false, error: birthDateError({ zh: '早于1900年', en: 'is before 1900' }) };
  }
  if (birthDate > chinaDate(today)) {
    return { ok: false, error: birthDateError({ zh: '晚于今天', en: 'is in the future' }) };
  }
  if (idCheckChar(idNumber.slice(0, 17)) !== idNumber.charAt(17))
    return { ok: false, error: CHECK_DIGIT_ERROR };

  const sex: Sex = Number(idNumber.charAt(16)) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { idNumber, birthDate, sex, kind }, warnings: [] };
}

// Compares what the identity number says with what the applicant declared, so a mistyped number or form is caught.
export function crossCheckIdNumber(
  id: { birthDate: string; sex: Sex },
  declared: { sex: Sex; birthYearMonth: string },
): Finding[] {
  const findings: Finding[] = [];
  if (id.sex !== declared.sex) {
    findings.push({
      code: 'id_sex_mismatch',
      message: {
        zh: '填写的“性别”与身份证号码不一致。',
        en: 'The declared "sex" does not match the identity number.',
      },
    });
  }
  if (id.birthDate.slice(0, 7) !== declared.birthYearMonth) {
    findings.push({
      code: 'id_birth_mismatch',
      message: {
        zh: `填写的“出生年月”（${declared.birthYearMonth}）与身份证号码（${id.birthDate.slice(0, 7)}）不一致。`,
        en: `The declared "birth year and month" (${declared.birthYearMonth}) does not match the identity number (${id.birthDate.slice(0, 7)}).`,
      },
    });
  }
  return findings;
}
