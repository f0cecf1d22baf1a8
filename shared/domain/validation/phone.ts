// Chinese mainland mobile and landline (office) numbers as typed on application forms.

import { toHalfWidth } from './normalize.ts';
import type { CheckResult } from './result.ts';

const SEPARATORS = /[\s\-.()]/g;
/** +86 and 0086 are always the country code; a bare 86 only when an 11-digit mobile number follows. */
const COUNTRY_PREFIX = /^(?:\+86|0086|86(?=\d{11}$))/;
const MOBILE = /^1[3-9]\d{9}$/;
/** Area code 0 + 2–3 digits, optional hyphen, 7–8 digit local number, optional hyphen + extension. */
const OFFICE_PHONE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

// Reduces a typed mobile number to its 11 digits, so numbers typed with a country code or separators compare equal.
export function normalizeMobile(raw: string): string {
  return toHalfWidth(raw).replace(SEPARATORS, '').replace(COUNTRY_PREFIX, '');
}

// Checks a mainland mobile number (hard rule: 1[3-9] + 9 digits) and returns its 11-digit form.
export function validateMobile(raw: string): CheckResult {
  const value = normalizeMobile(raw);
  if (MOBILE.test(value)) return { ok: true, value, warnings: [] };
  return {
    ok: false,
    error: {
      code: 'mobile_format',
      message: {
        zh: '手机号码应为11位数字，以13–19开头（可带 +86）。',
        en: 'A mobile number has 11 digits starting with 13–19 (a +86 prefix is allowed).',
      },
    },
  };
}

/** An area code set apart by brackets or a blank, as offices write it: (024)23456789, 024 23456789. */
const SEPARATED_OFFICE_PHONE = /^(?:\((0\d{2,3})\) *|(0\d{2,3})(?: +| *- *))(\d{7,8})(?: *- *(\d{1,6}))?$/;

// Writes an office landline as area code-number(-extension) when the typed form shows where the area code ends;
// digits typed without a separator stay as typed, since 3- and 4-digit area codes cannot be told apart there.
export function normalizeOfficePhone(raw: string): string {
  const typed = toHalfWidth(raw).trim();
  const m = SEPARATED_OFFICE_PHONE.exec(typed);
  if (!m) return typed;
  return [m[1] ?? m[2], m[3], m[4]].filter((part) => part !== undefined).join('-');
}

// Checks an office landline (area code, number, optional extension) and returns it in its area code-number form.
export function validateOfficePhone(raw: string): CheckResult {
  const value = normalizeOfficePhone(raw);
  if (OFFICE_PHONE.test(value)) return { ok: true, value, warnings: [] };
  return {
    ok: false,
    error: {
      code: 'office_phone_format',
      message: {
        zh: '办公电话应为“区号-号码”格式，如 024-23456789 或 0411-8765432-123（分机号）。',
        en: 'An office phone is "area code-number", e.g. 024-23456789 or 0411-8765432-123 (with extension).',
      },
    },
  };
}
