import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ordinaryText, unsafeInProse } from '../../../test/support/unsafe-text.ts';
import { checkText, normalizeNewlines, stripUnsafe, unsafeCharacter } from './safe-text.ts';

describe('unsafeCharacter', () => {
  it('names the first control or invisible character, as U+XXXX', () => {
    expect(unsafeCharacter('\u202E司公限有械机阳沈')).toBe('U+202E');
    expect(unsafeCharacter('营业执照\u202Efdp.bat')).toBe('U+202E');
    expect(unsafeCharacter('a\u0007b\u200B')).toBe('U+0007');
    expect(unsafeCharacter('标签\u{E0041}')).toBe('U+E0041');
    expect(unsafeCharacter('沈阳机械有限公司')).toBeUndefined();
  });

  it('allows the newline only in prose', () => {
    expect(unsafeCharacter('第一段\n第二段')).toBe('U+000A');
    expect(unsafeCharacter('第一段\n第二段', { prose: true })).toBeUndefined();
    expect(unsafeCharacter('第一段\r\n第二段', { prose: true })).toBe('U+000D');
    expect(unsafeCharacter('第一段\t第二段', { prose: true })).toBe('U+0009');
  });

  it('finds any refused character wherever it stands in any text', () => {
    fc.assert(
      fc.property(fc.string(), unsafeInProse, fc.string(), (before, c, after) => {
        const text = `${before}${c}${after}`;
        return unsafeCharacter(text) !== undefined && unsafeCharacter(text, { prose: true }) !== undefined;
      }),
    );
  });

  it('passes ordinary Chinese text with the middle dot, and prose with its newlines', () => {
    fc.assert(fc.property(ordinaryText, (text) => unsafeCharacter(text) === undefined));
    fc.assert(
      fc.property(
        fc.array(ordinaryText, { maxLength: 5 }),
        (lines) => unsafeCharacter(lines.join('\n'), { prose: true }) === undefined,
      ),
    );
  });
});

describe('normalizeNewlines and stripUnsafe', () => {
  it('reads CRLF and CR as the newline', () => {
    expect(normalizeNewlines('一\r\n二\r三\n四')).toBe('一\n二\n三\n四');
  });

  it('strips every refused character, and nothing else', () => {
    expect(stripUnsafe('营业执照\u202Efdp.bat')).toBe('营业执照fdp.bat');
    fc.assert(
      fc.property(ordinaryText, unsafeInProse, (text, c) => {
        const stripped = stripUnsafe(`${c}${text}${c}`);
        return stripped === text && unsafeCharacter(stripped) === undefined;
      }),
    );
  });
});

describe('checkText', () => {
  it('keeps prose trimmed, with CRLF as the newline, up to the limit', () => {
    expect(checkText('  请补充\r\n聘任文件  ', { prose: true, max: 500 })).toEqual({
      ok: true,
      value: '请补充\n聘任文件',
      warnings: [],
    });
    expect(checkText('', { max: 500 })).toEqual({ ok: true, value: '', warnings: [] });
    expect(checkText('\uFEFF请补充\t', { max: 500 })).toEqual({ ok: true, value: '请补充', warnings: [] });
    expect(checkText('理'.repeat(500), { prose: true, max: 500 }).ok).toBe(true);
  });

  it('refuses text over the limit, under the minimum, or with a refused character', () => {
    expect(checkText('理'.repeat(501), { prose: true, max: 500 })).toMatchObject({
      ok: false,
      error: { code: 'too_long', message: { zh: '不得超过 500 个字符（现有 501 个）' } },
    });
    expect(checkText('  ', { min: 1, max: 500 })).toMatchObject({ ok: false, error: { code: 'required' } });
    expect(checkText('abc', { min: 4, max: 200 })).toMatchObject({ ok: false, error: { code: 'too_short' } });
    expect(checkText('材料\u202E不全', { prose: true, max: 500 })).toEqual({
      ok: false,
      error: {
        code: 'invisible_characters',
        message: {
          zh: '含有不可见或控制字符（U+202E），请删除后重新填写',
          en: 'contains invisible or control characters (U+202E); remove them and try again',
        },
      },
    });
    expect(checkText('第一行\n第二行', { max: 500 })).toMatchObject({
      ok: false,
      error: { code: 'invisible_characters' },
    });
  });
});
