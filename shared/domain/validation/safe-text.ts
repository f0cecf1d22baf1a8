// Free text people type (names, the achievements, a reviewer's reason, a document's name) is
// shown to other people: on the review pages, in mail, in staff answers and spreadsheets.
// Control characters and invisible format characters let such a value display as something it
// is not: a right-to-left override turns `\u202E司公限有械机阳沈` into 「沈阳机械有限公司」 on the
// page, and `营业执照\u202Efdp.bat` into a name ending in `.pdf`; zero-width characters make two
// names that look alike differ. Every free-text field refuses them; prose keeps its newlines.
// No zod here: the site bundles this file to tidy a file's name before it is sent.
import type { CheckResult, Finding } from './result.ts';

/**
 * Controls (Cc), format characters (Cf: the bidi embeddings, overrides, isolates and marks,
 * U+061C, zero-width space and joiners, the word joiner, the BOM, the soft hyphen, tag
 * characters), lone surrogates (Cs) and the line and paragraph separators (Zl, Zp).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
/** The same, except the newline: prose may hold paragraphs. */
const UNSAFE_IN_PROSE = /(?!\n)[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const EVERY_UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

export interface TextRule {
  /** Prose (achievements, reasons): the newline `\n` is allowed. */
  prose?: boolean;
}

export const UNSAFE_TEXT_CODE = 'invisible_characters';

/** The first character the text may not hold, as `U+202E`; undefined when there is none. */
export function unsafeCharacter(value: string, rule: TextRule = {}): string | undefined {
  const match = (rule.prose ? UNSAFE_IN_PROSE : UNSAFE).exec(value);
  if (!match) return undefined;
  const cp = match[0].codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why the text is refused, naming the character (the reader cannot see it). */
export function unsafeTextFinding(character: string): Finding {
  return {
    code: UNSAFE_TEXT_CODE,
    message: {
      zh: `含有不可见或控制字符（${character}），请删除后重新填写`,
      en: `contains invisible or control characters (${character}); remove them and try again`,
    },
  };
}

/** Browsers send a textarea's line breaks as CRLF, spreadsheets sometimes as CR: all read as `\n`. */
export function normalizeNewlines(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

/** The text without any such character: for showing text that was stored before they were refused. */
export function stripUnsafe(value: string): string {
  return value.replace(EVERY_UNSAFE, '');
}

/**
 * A free-text answer outside a zod schema (the review and assessment forms), as the schemas
 * treat theirs: newlines normalized (prose) and trimmed, then none of the refused characters
 * and `min`–`max` characters. Blanks at either end are trimmed away (a tab pasted from a
 * spreadsheet, a BOM), never kept.
 */
export function checkText(raw: string, rule: TextRule & { min?: number; max: number }): CheckResult {
  const value = (rule.prose ? normalizeNewlines(raw) : raw).trim();
  const unsafe = unsafeCharacter(value, rule);
  if (unsafe) return { ok: false, error: unsafeTextFinding(unsafe) };
  const min = rule.min ?? 0;
  if (value.length < min) {
    return {
      ok: false,
      error:
        value.length === 0
          ? { code: 'required', message: { zh: '必填', en: 'is required' } }
          : {
              code: 'too_short',
              message: { zh: `至少 ${min} 个字符`, en: `must have at least ${min} characters` },
            },
    };
  }
  if (value.length > rule.max) {
    return {
      ok: false,
      error: {
        code: 'too_long',
        message: {
          zh: `不得超过 ${rule.max} 个字符（现有 ${value.length} 个）`,
          en: `must have at most ${rule.max} characters (it has ${value.length})`,
        },
      },
    };
  }
  return { ok: true, value, warnings: [] };
}
