import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from './result.ts';
import { orgCodeCheckChar, USCC_ALPHABET, usccCheckChar, validateUscc } from './uscc.ts';

const codes = (r: CheckResult): string[] => (r.ok ? r.warnings.map((w) => w.code) : [r.error.code]);

const errorOf = (raw: string) => {
  const r = validateUscc(raw);
  if (r.ok) throw new Error(`expected ${raw} to be refused`);
  return r.error;
};

describe('check characters', () => {
  it('agree with every valid vector', () => {
    for (const code of [
      '91350200776049653A',
      '12440600MB2C07549J',
      '92141127MA0KD1Y64A',
      '91210100MA0XYW122Q',
      '91340100MA0XYW122U',
      '91341882MA0XYW1225',
    ]) {
      expect(usccCheckChar(code.slice(0, 17)), code).toBe(code.charAt(17));
      expect(orgCodeCheckChar(code.slice(8, 16)), code).toBe(code.charAt(16));
    }
  });

  it('map organization-code remainders 10 and 11 to X and 0', () => {
    expect(orgCodeCheckChar('M0001TGQ')).toBe('X');
    expect(orgCodeCheckChar('00000000')).toBe('0');
  });

  it('refuse input of the wrong length or alphabet', () => {
    expect(() => usccCheckChar('9135')).toThrow(RangeError);
    expect(() => usccCheckChar('9135020077604965I')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('7760496')).toThrow(RangeError);
  });
});

describe('validateUscc', () => {
  it.each([
    '91350200776049653A',
    '92141127MA0KD1Y64A',
    '91210100MA0XYW122Q',
    '91340100MA0XYW122U',
    '91341882MA0XYW1225',
  ])('accepts %s without warnings', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code, warnings: [] });
  });

  it('accepts a public institution code with the not-enterprise warning', () => {
    const r = validateUscc('12440600MB2C07549J');
    expect(r.ok).toBe(true);
    expect(codes(r)).toEqual(['uscc_not_enterprise']);
  });

  it('warns for social organizations too', () => {
    const first17 = '52350200MJ0000000';
    const r = validateUscc(first17 + usccCheckChar(first17));
    expect(codes(r)).toEqual(['uscc_not_enterprise']);
  });

  it.each(['91350203M0001QKT19', '91350100M0001TGQXM'])(
    'accepts legacy Xiamen code %s with a warning the reviewer must see',
    (code) => {
      const r = validateUscc(code);
      expect(r.ok).toBe(true);
      expect(codes(r)).toEqual(['uscc_legacy_check_digit']);
      if (r.ok) expect(r.warnings[0]?.message.zh).toMatch(/营业执照/);
    },
  );

  it('refuses a wrong final character outside the Fujian registration-authority segment', () => {
    // 77604965-3 is a valid national organization code, so only the narrowed exception refuses it.
    expect(orgCodeCheckChar('77604965')).toBe('3');
    expect(errorOf('91350200776049653B').code).toBe('uscc_check_digit');
    // An M segment outside Fujian, and a Fujian code whose M segment fails its own check, are typos too.
    expect(errorOf('91210100M0001QKT19').code).toBe('uscc_check_digit');
    expect(errorOf('91350203M0001QKT29').code).toBe('uscc_check_digit');
  });

  it('refuses a code failing both the final and the organization-code check', () => {
    expect(errorOf('91350200776049654A').code).toBe('uscc_check_digit');
  });

  it('normalizes full-width, lower-case and padded input', () => {
    expect(validateUscc('９１３５０２００７７６０４９６５３Ａ')).toEqual({
      ok: true,
      value: '91350200776049653A',
      warnings: [],
    });
    expect(validateUscc(' 91210100ma0xyw122q\u3000')).toMatchObject({
      ok: true,
      value: '91210100MA0XYW122Q',
    });
  });

  it('refuses the wrong length', () => {
    const e = errorOf('91350200776049653');
    expect(e.code).toBe('uscc_length');
    expect(e.message.en).toContain('17');
    expect(errorOf('').code).toBe('uscc_length');
    expect(errorOf('91350200776049653AA').code).toBe('uscc_length');
  });

  it('names a character that is not used and why', () => {
    const e = errorOf('9135020077604965IA');
    expect(e.code).toBe('uscc_charset');
    expect(e.message.zh).toContain('“I”');
    expect(e.message.zh).toContain('I、O、S、V、Z');
    expect(e.message.en).toContain('"I" at position 17');
    expect(errorOf('91350200-76049653A').message.en).toContain('"-" at position 9');
  });

  it('does not read O as 0', () => {
    expect(errorOf('9135020O776049653A').code).toBe('uscc_charset');
  });

  it('refuses an unknown registering department', () => {
    expect(errorOf('B1350200776049653A').code).toBe('uscc_department');
    expect(errorOf('01350200776049653A').code).toBe('uscc_department');
  });

  it('refuses a region code that is not 6 digits', () => {
    expect(errorOf('9135A200776049653A').code).toBe('uscc_region');
  });

  it('gives every message in Chinese and English', () => {
    for (const raw of [
      '1',
      '9135020077604965IA',
      'B1350200776049653A',
      '9135A200776049653A',
      '91350200776049654A',
    ]) {
      const e = errorOf(raw);
      expect(e.code).toMatch(/^[a-z_]+$/);
      expect(e.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.message.en).toMatch(/[a-z]/);
    }
  });
});

const allowed = fc.constantFrom(...USCC_ALPHABET);
const digit = fc.constantFrom(...'0123456789');

/** Valid codes with a valid organization-code check at position 17, as issued since 2016. */
const validUscc = fc
  .tuple(
    fc.constantFrom('91', '92', '93'),
    fc.array(digit, { minLength: 6, maxLength: 6 }),
    fc.array(allowed, { minLength: 8, maxLength: 8 }),
  )
  .map(([prefix, region, org]) => {
    const org8 = org.join('');
    const first17 = `${prefix}${region.join('')}${org8}${orgCodeCheckChar(org8)}`;
    return first17 + usccCheckChar(first17);
  });

describe('validateUscc properties', () => {
  it('accepts every generated valid code without warnings', () => {
    fc.assert(
      fc.property(validUscc, (code) => {
        expect(validateUscc(code)).toEqual({ ok: true, value: code, warnings: [] });
      }),
    );
  });

  it('never silently accepts a single-character change', () => {
    const mutation = fc.tuple(validUscc, fc.nat({ max: 17 }), fc.nat({ max: 29 }));
    fc.assert(
      fc.property(mutation, ([code, position, shift]) => {
        const old = USCC_ALPHABET.indexOf(code.charAt(position));
        const replacement = USCC_ALPHABET.charAt((old + 1 + shift) % USCC_ALPHABET.length);
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(changed).not.toBe(code);
        const r = validateUscc(changed);
        if (r.ok) expect(codes(r)).toContain('uscc_legacy_check_digit');
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (s) => {
        validateUscc(s);
      }),
    );
  });
});
