import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32, FILING_ID_PATTERN, filingIdFrom, newFilingId } from '#shared/domain/ids.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Reference: the bytes as a bit string, cut into 5-bit groups from the left, incomplete tail dropped. */
function reference(bytes: Uint8Array, length: number): string {
  const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
  let out = '';
  for (let i = 0; i + 5 <= bits.length && out.length < length; i += 5) {
    out += CROCKFORD.charAt(Number.parseInt(bits.slice(i, i + 5), 2));
  }
  return out;
}

describe('base32 (Crockford)', () => {
  it('encodes the whole alphabet in order', () => {
    const bytes = Uint8Array.from([
      0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf, 0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75,
      0xbe, 0x77, 0xdf,
    ]);
    expect(base32(bytes, 32)).toBe(CROCKFORD);
  });

  it('encodes zeros and ones at the ends of the alphabet', () => {
    expect(base32(new Uint8Array(10), 13)).toBe('0000000000000');
    expect(base32(new Uint8Array(10).fill(0xff), 13)).toBe('ZZZZZZZZZZZZZ');
  });

  it('stops at the requested length and never pads', () => {
    expect(base32(Uint8Array.from([0xff]), 5)).toBe('Z');
    expect(base32(Uint8Array.from([0xff, 0xff]), 2)).toBe('ZZ');
    expect(base32(new Uint8Array(0), 4)).toBe('');
  });

  it('agrees with a bit-string reference for any bytes and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 70 }), (bytes, length) => {
        expect(base32(bytes, length)).toBe(reference(bytes, length));
      }),
    );
  });
});

describe('filing ids', () => {
  it('derive F + 13 characters (65 bits) from the same bytes every time', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const id = filingIdFrom(bytes);
    expect(id).toBe(`F${reference(bytes, 13)}`);
    expect(id).toHaveLength(14);
    expect(filingIdFrom(bytes)).toBe(id);
    expect(id).toMatch(FILING_ID_PATTERN);
  });

  it('differ when the 65 leading bits differ, and ignore the rest', () => {
    const a = new Uint8Array(10);
    const b = new Uint8Array(10);
    b[8] = 0x80; // bit 65
    expect(filingIdFrom(a)).not.toBe(filingIdFrom(b));
    const c = new Uint8Array(10);
    c[9] = 0xff; // bits 73–80
    expect(filingIdFrom(a)).toBe(filingIdFrom(c));
  });

  it('are random for plain submissions, and match the pattern', () => {
    const ids = Array.from({ length: 200 }, () => newFilingId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(FILING_ID_PATTERN);
      expect(id.slice(1)).not.toMatch(/[ILOU]/);
    }
  });

  it('pattern refuses look-alike letters, lower case and wrong lengths', () => {
    expect(FILING_ID_PATTERN.test('F0123456789ABC')).toBe(true);
    for (const bad of [
      'F0123456789ABI',
      'F0123456789ABL',
      'F0123456789ABO',
      'F0123456789ABU',
      'f0123456789ABC',
      'F0123456789ab',
      'F0123456789AB',
      'F0123456789ABCD',
      'G0123456789ABC',
    ]) {
      expect(FILING_ID_PATTERN.test(bad)).toBe(false);
    }
  });
});
