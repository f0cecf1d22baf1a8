// Characters the free-text rule refuses, and text it lets through, for the property tests of
// shared/domain/validation/safe-text.ts and of every schema that carries the rule.
import fc from 'fast-check';

/** The characters an outside probe used, and their relatives: each must be refused. */
export const NAMED_UNSAFE = [
  '\u202A', // LRE
  '\u202B', // RLE
  '\u202C', // PDF
  '\u202D', // LRO
  '\u202E', // RLO
  '\u2066', // LRI
  '\u2067', // RLI
  '\u2068', // FSI
  '\u2069', // PDI
  '\u200E', // LRM
  '\u200F', // RLM
  '\u061C', // ALM
  '\u200B', // zero-width space
  '\u200C', // ZWNJ
  '\u200D', // ZWJ
  '\u2060', // word joiner
  '\uFEFF', // BOM
  '\u00AD', // soft hyphen
  '\u2028', // line separator
  '\u2029', // paragraph separator
  '\u{E0041}', // tag latin capital A
  '\uD800', // a lone surrogate
];

/** Any character the rule refuses in prose: a named one, a C0 control but the newline, DEL, a C1 control. */
export const unsafeInProse = fc.oneof(
  fc.constantFrom(...NAMED_UNSAFE),
  fc
    .integer({ min: 0, max: 0x1f })
    .filter((c) => c !== 0x0a && c !== 0x0d) // CR reads as a newline in prose
    .map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
);

/** Text as Chinese applicants write it: Han characters, letters, digits, the middle dot, Chinese punctuation. */
const ordinaryUnit = fc.oneof(
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom(
    '·',
    ' ',
    '，',
    '。',
    '、',
    '（',
    '）',
    '《',
    '》',
    '“',
    '”',
    '-',
    'A',
    'z',
    '0',
    '9',
    '\u3000',
  ),
);

/** Ordinary text of any length (zero included). */
export const ordinaryText = fc.string({ unit: ordinaryUnit });

/** Ordinary text of `min`–`max` characters that does not start or end with a space. */
export const ordinaryLine = (min: number, max: number) =>
  fc
    .string({ unit: ordinaryUnit, minLength: min, maxLength: max })
    .filter((s) => s.trim() === s && s.length >= min);

/** Prose: a few lines of ordinary text joined by newlines. */
export const ordinaryProse = fc
  .array(fc.string({ unit: ordinaryUnit, maxLength: 80 }), { maxLength: 5 })
  .map((lines) => lines.join('\n').trim());
