// The zod side of the free-text rule (validation/safe-text.ts): a check every free-text field of
// a request schema carries, and the two shapes of free text outside the filing (a line, prose).
import * as z from 'zod/mini';
import {
  normalizeNewlines,
  type TextRule,
  unsafeCharacter,
  unsafeTextFinding,
} from './validation/safe-text.ts';

/** Refuses controls and invisible format characters (prose: newlines kept), on the field's own path. */
export const safeText = (rule: TextRule = {}) =>
  z.check<string>((payload) => {
    const character = unsafeCharacter(payload.value, rule);
    if (!character) return;
    const { code, message } = unsafeTextFinding(character);
    payload.issues.push({
      code: 'custom',
      input: payload.value,
      message: message.en,
      params: { code, zh: message.zh, en: message.en },
    });
  });

/** One line of free text (a staff member's reason): trimmed, checked, `min`–`max` characters. */
export const lineText = (min: number, max: number) =>
  z.string().check(z.trim(), safeText(), z.minLength(min), z.maxLength(max));

/** Prose: line breaks read as `\n`, trimmed, checked, `min`–`max` characters. */
export const proseText = (min: number, max: number) =>
  z
    .string()
    .check(
      z.overwrite(normalizeNewlines),
      z.trim(),
      safeText({ prose: true }),
      z.minLength(min),
      z.maxLength(max),
    );
