import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMobile, validateMobile, validateOfficePhone } from './phone.ts';

describe('normalizeMobile', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['0086 13812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['(+86) 138.1234.5678', '13812345678'],
    ['＋８６\u3000１３８１２３４５６７８', '13812345678'],
    ['86138123456', '86138123456'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeMobile(raw)).toBe(expected);
  });
});

describe('validateMobile', () => {
  it('accepts and normalizes', () => {
    expect(validateMobile('+86 138-1234-5678')).toEqual({ ok: true, value: '13812345678', warnings: [] });
    expect(validateMobile('0086 13812345678')).toMatchObject({ ok: true, value: '13812345678' });
  });

  it.each(['12812345678', '1381234567', '138123456789', '024-23456789', '1381234567a', ''])(
    'refuses %s',
    (raw) => {
      const r = validateMobile(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('mobile_format');
        expect(r.error.message.zh).toMatch(/手机/);
      }
    },
  );

  it('accepts every 1[3-9] + 9 digits, with or without +86', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(([second, rest]) => `1${second}${String(rest).padStart(9, '0')}`);
    fc.assert(
      fc.property(mobile, (m) => {
        expect(validateMobile(m)).toEqual({ ok: true, value: m, warnings: [] });
        expect(validateMobile(`+86 ${m}`)).toEqual({ ok: true, value: m, warnings: [] });
      }),
    );
  });
});

describe('validateOfficePhone', () => {
  it.each(['024-23456789', '02423456789', '0411-8765432-123', '010-12345678'])('accepts %s', (raw) => {
    expect(validateOfficePhone(raw)).toEqual({ ok: true, value: raw, warnings: [] });
  });

  it('trims and converts full width', () => {
    expect(validateOfficePhone(' ０２４－２３４５６７８９ ')).toMatchObject({
      ok: true,
      value: '024-23456789',
    });
  });

  it.each([
    ['(024)23456789', '024-23456789'],
    ['（024）23456789', '024-23456789'],
    ['024 23456789', '024-23456789'],
    ['(0411) 8765432-123', '0411-8765432-123'],
    ['0411 - 87654321', '0411-87654321'],
  ])('accepts %s as %s', (raw, value) => {
    expect(validateOfficePhone(raw)).toEqual({ ok: true, value, warnings: [] });
  });

  it.each([
    '24-23456789',
    '13812345678',
    '024-123456',
    '0411-8765432-1234567',
    '',
    '(024 23456789',
    '024)23456789',
  ])('refuses %s', (raw) => {
    const r = validateOfficePhone(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('office_phone_format');
      expect(r.error.message.en).toContain('area code');
    }
  });
});
