import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossCheckIdNumber, idCheckChar, PROVINCE_CODES, validateIdNumber } from './id-number.ts';

const TODAY = new Date('2025-06-15T12:00:00Z');

const withCheck = (first17: string): string => first17 + idCheckChar(first17);

const errorCode = (raw: string, today = TODAY): string | undefined => {
  const r = validateIdNumber(raw, today);
  return r.ok ? undefined : r.error.code;
};

describe('idCheckChar', () => {
  it('matches the vectors', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(idCheckChar('34052419800101001')).toBe('X');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => idCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => idCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('validateIdNumber', () => {
  it('accepts the standard example and extracts birth date and sex', () => {
    expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', kind: 'resident' },
      warnings: [],
    });
  });

  it('refuses a wrong check digit and accepts the corrected number', () => {
    expect(errorCode('340524198001010013')).toBe('id_check_digit');
    expect(validateIdNumber('34052419800101001X', TODAY)).toMatchObject({
      ok: true,
      value: { birthDate: '1980-01-01', sex: 'male' },
    });
  });

  it('accepts lower-case x, full width and surrounding blanks, and stores X', () => {
    expect(validateIdNumber(' 11010519491231002x ', TODAY)).toMatchObject({
      ok: true,
      value: { idNumber: '11010519491231002X' },
    });
    expect(validateIdNumber('１１０１０５１９４９１２３１００２ｘ', TODAY)).toMatchObject({
      ok: true,
      value: { idNumber: '11010519491231002X' },
    });
  });

  it('recognizes Hong Kong, Macao and Taiwan residence permits', () => {
    for (const prefix of ['81', '82', '83']) {
      expect(validateIdNumber(withCheck(`${prefix}000019900101001`), TODAY)).toMatchObject({
        ok: true,
        value: { kind: 'hk_macao_taiwan_permit', birthDate: '1990-01-01', sex: 'male' },
      });
    }
  });

  it('recognizes the 18-digit foreign permanent residence card', () => {
    expect(validateIdNumber(withCheck('93115619850705002'), TODAY)).toMatchObject({
      ok: true,
      value: { kind: 'foreign_permanent_residence', birthDate: '1985-07-05', sex: 'female' },
    });
  });

  it('does not require the address code to exist today', () => {
    expect(validateIdNumber(withCheck('35999919800101001'), TODAY).ok).toBe(true);
  });

  it('refuses the wrong length, including old 15-digit numbers', () => {
    expect(errorCode('110105491231002')).toBe('id_length');
    expect(errorCode('11010519491231002X0')).toBe('id_length');
    expect(errorCode('')).toBe('id_length');
  });

  it('refuses letters other than a final X', () => {
    expect(errorCode('1101051949123100X2')).toBe('id_charset');
    expect(errorCode('11010519491231002Y')).toBe('id_charset');
    expect(errorCode('11010519491231 02X')).toBe('id_charset');
  });

  it('refuses an unknown province code', () => {
    for (const prefix of ['00', '10', '16', '24', '38', '47', '55', '66', '71', '80', '84']) {
      expect(errorCode(withCheck(`${prefix}010519800101001`)), prefix).toBe('id_region');
    }
  });

  it('refuses dates that do not exist', () => {
    expect(errorCode(withCheck('11010519800230001'))).toBe('id_birth_date');
    expect(errorCode(withCheck('11010519001301001'))).toBe('id_birth_date');
    expect(errorCode(withCheck('11010519800100001'))).toBe('id_birth_date');
    expect(errorCode(withCheck('11010519000229001'))).toBe('id_birth_date');
    expect(validateIdNumber(withCheck('11010520000229001'), TODAY).ok).toBe(true);
  });

  it('refuses birth dates before 1900 or in the future', () => {
    expect(errorCode(withCheck('11010518991231001'))).toBe('id_birth_date');
    expect(validateIdNumber(withCheck('11010519000101001'), TODAY).ok).toBe(true);
    expect(validateIdNumber(withCheck('11010520250615001'), TODAY).ok).toBe(true);
    expect(errorCode(withCheck('11010520250616001'))).toBe('id_birth_date');
  });

  it('counts today in China Standard Time', () => {
    const lateEveningUtc = new Date('2025-06-15T17:00:00Z'); // already 16 June in Beijing
    expect(validateIdNumber(withCheck('11010520250616001'), lateEveningUtc).ok).toBe(true);
  });

  it('gives every message in Chinese and English', () => {
    for (const raw of [
      '1',
      '1101051949123100X2',
      withCheck('00010519800101001'),
      withCheck('11010519800230001'),
    ]) {
      const r = validateIdNumber(raw, TODAY);
      if (r.ok) throw new Error(`expected ${raw} to be refused`);
      expect(r.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.error.message.en).toMatch(/[a-z]/);
    }
  });
});

describe('crossCheckIdNumber', () => {
  const id = { birthDate: '1949-12-31', sex: 'female' } as const;

  it('finds nothing when the declaration matches', () => {
    expect(crossCheckIdNumber(id, { sex: 'female', birthYearMonth: '1949-12' })).toEqual([]);
  });

  it('reports a sex mismatch naming the declared field', () => {
    const findings = crossCheckIdNumber(id, { sex: 'male', birthYearMonth: '1949-12' });
    expect(findings.map((f) => f.code)).toEqual(['id_sex_mismatch']);
    expect(findings[0]?.message.zh).toContain('性别');
    expect(findings[0]?.message.en).toContain('sex');
  });

  it('reports a birth mismatch naming the declared field', () => {
    const findings = crossCheckIdNumber(id, { sex: 'female', birthYearMonth: '1950-01' });
    expect(findings.map((f) => f.code)).toEqual(['id_birth_mismatch']);
    expect(findings[0]?.message.zh).toContain('出生年月');
    expect(findings[0]?.message.en).toContain('birth year and month');
  });

  it('reports both', () => {
    const findings = crossCheckIdNumber(id, { sex: 'male', birthYearMonth: '1949-11' });
    expect(findings.map((f) => f.code)).toEqual(['id_sex_mismatch', 'id_birth_mismatch']);
  });
});

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const validId = fc
  .record({
    province: fc.constantFrom(...PROVINCE_CODES),
    area: fc.integer({ min: 0, max: 9999 }),
    birth: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2005-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ province, area, birth, sequence }) => {
    const birthDate = birth.toISOString().slice(0, 10);
    const idNumber = withCheck(
      `${province}${pad(area, 4)}${birthDate.replaceAll('-', '')}${pad(sequence, 3)}`,
    );
    return { idNumber, birthDate, sex: sequence % 2 === 1 ? 'male' : 'female' };
  });

describe('validateIdNumber properties', () => {
  it('accepts every generated valid number with the right birth date and sex', () => {
    fc.assert(
      fc.property(validId, ({ idNumber, birthDate, sex }) => {
        expect(validateIdNumber(idNumber, TODAY)).toEqual({
          ok: true,
          value: { idNumber, birthDate, sex, kind: 'resident' },
          warnings: [],
        });
      }),
    );
  });

  it('refuses every single-character change', () => {
    const chars = '0123456789X';
    const mutation = fc.tuple(validId, fc.nat({ max: 17 }), fc.nat({ max: 9 }));
    fc.assert(
      fc.property(mutation, ([{ idNumber }, position, shift]) => {
        const old = chars.indexOf(idNumber.charAt(position));
        const replacement = chars.charAt((old + 1 + shift) % chars.length);
        const changed = idNumber.slice(0, position) + replacement + idNumber.slice(position + 1);
        expect(changed).not.toBe(idNumber);
        expect(validateIdNumber(changed, TODAY).ok).toBe(false);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (s) => {
        validateIdNumber(s, TODAY);
      }),
    );
  });
});
