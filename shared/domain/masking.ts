// Masking of personal data (docs/domain.md §8), applied on every read and export unless a role
// allows more, and the redaction the logger applies to everything it prints.

/** `110105********002X`: the region and the last four stay, the birth date goes. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** `138****1234`. */
export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`;
}

/** `024-****6789`: the area code and the last four digits stay. */
export function maskOfficePhone(phone: string): string {
  const match = /^(0\d{2,3}-?)(\d+)(.*)$/.exec(phone);
  if (!match) return maskMobile(phone);
  const [, area = '', number = ''] = match;
  return `${area}${'*'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`;
}

/** Either kind of phone number, as stored after normalization. */
export function maskPhone(phone: string): string {
  return phone.startsWith('0') ? maskOfficePhone(phone) : maskMobile(phone);
}

/** `z***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** Names on public lists: `张**`. */
export function maskName(name: string): string {
  const chars = [...name];
  return `${chars[0] ?? ''}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

// Patterns of personal data inside free text: 18-character ID numbers (and 15-digit legacy
// ones), mainland mobiles with or without +86, office numbers, e-mail addresses.
const ID_PATTERN = /(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g;
// Not inside an identifier (a filing number like F13812345678AB is not a phone).
const MOBILE_PATTERN = /(?<![0-9A-Za-z])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;
const OFFICE_PATTERN = /(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{7,8}(?!\d)/g;
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Replaces every ID number, phone number and e-mail address found in a text. */
export function redactText(text: string): string {
  return text
    .replace(EMAIL_PATTERN, '[email]')
    .replace(ID_PATTERN, '[id]')
    .replace(MOBILE_PATTERN, '[phone]')
    .replace(OFFICE_PATTERN, '[phone]');
}

/** Keys whose values are personal data whatever they look like. */
const SENSITIVE_KEYS =
  /^(id_?number|idNumber|mobile|phone|officePhone|office_phone|email|contactEmail|receiptToken|token)$/i;

/** Deep copy of a value with personal data removed, for logs and error bodies. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack && redactText(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] =
        SENSITIVE_KEYS.test(key) && v !== undefined && v !== null ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
