import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shanghaiDate, shanghaiYearMonth } from './time.ts';

describe('shanghaiDate', () => {
  it('turns over at 16:00 UTC', () => {
    expect(shanghaiDate('2025-01-31T15:59:59.999Z')).toBe('2025-01-31');
    expect(shanghaiDate('2025-01-31T16:00:00.000Z')).toBe('2025-02-01');
    expect(shanghaiDate('2025-01-31T17:00:00Z')).toBe('2025-02-01');
  });

  it('accepts a Date and an offset string', () => {
    expect(shanghaiDate(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(shanghaiDate('2025-03-01T00:30:00+08:00')).toBe('2025-03-01');
    expect(shanghaiDate('2025-03-01T23:30:00+08:00')).toBe('2025-03-01');
  });

  it('handles a leap day', () => {
    expect(shanghaiDate('2024-02-28T16:00:00Z')).toBe('2024-02-29');
  });

  // From 1992: China kept summer time (UTC+9) from 1986 to 1991, which the fixed UTC+8 of
  // shanghaiDate rightly ignores for the dates this product handles.
  it('agrees with Intl for Asia/Shanghai', () => {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1992-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (d) => {
          expect(shanghaiDate(d)).toBe(format.format(d));
        },
      ),
    );
  });
});

describe('shanghaiYearMonth', () => {
  it('splits the Shanghai date into year and month', () => {
    expect(shanghaiYearMonth('2025-01-31T17:00:00Z')).toEqual({ year: '2025', month: '02' });
    expect(shanghaiYearMonth(new Date('2024-12-31T16:00:00Z'))).toEqual({ year: '2025', month: '01' });
    expect(shanghaiYearMonth('2025-12-15T00:00:00Z')).toEqual({ year: '2025', month: '12' });
  });
});
