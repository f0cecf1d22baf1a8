import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCode, toHalfWidth } from './normalize.ts';

/** ASCII U+0021–U+007E → full width, the test's own inverse of toHalfWidth. */
const toFullWidth = (s: string): string =>
  [...s].map((c) => (c === ' ' ? '\u3000' : String.fromCodePoint((c.codePointAt(0) ?? 0) + 0xfee0))).join('');

describe('toHalfWidth', () => {
  it('maps full-width ASCII and the ideographic space', () => {
    expect(toHalfWidth('９１３５０２００７７６０４９６５３Ａ')).toBe('91350200776049653A');
    expect(toHalfWidth('ａｂｃ！～\u3000－（）')).toBe('abc!~ -()');
  });

  it('leaves other characters alone', () => {
    expect(toHalfWidth('厦门 abc 123')).toBe('厦门 abc 123');
  });

  it('inverts full-width conversion of any printable ASCII', () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(fc.property(printable, (s) => toHalfWidth(toFullWidth(s)) === s));
  });
});

describe('normalizeCode', () => {
  it('trims, converts to half width and upper case', () => {
    expect(normalizeCode('\u3000 ９１３５０２００７７６０４９６５３ａ ')).toBe('91350200776049653A');
    expect(normalizeCode('34052419800101001x')).toBe('34052419800101001X');
  });

  it('never turns look-alikes into digits nor drops inner characters', () => {
    expect(normalizeCode('o0 O-1')).toBe('O0 O-1');
  });
});
