// Text normalization shared by the code validators: applicants type codes on Chinese IMEs, which
// often produce full-width characters and ideographic spaces.

const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_TO_HALF_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

// Maps full-width ASCII and the ideographic space to plain ASCII, so IME input compares equal to typed input.
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= FULL_WIDTH_FIRST && cp <= FULL_WIDTH_LAST)
      out += String.fromCodePoint(cp - FULL_TO_HALF_OFFSET);
    else if (cp === IDEOGRAPHIC_SPACE) out += ' ';
    else out += ch;
  }
  return out;
}

// Canonical form of a typed code (credit code, ID number): no surrounding blanks, ASCII, upper case.
// Deliberately conservative: never guesses at look-alikes (O vs 0), never drops inner characters.
export function normalizeCode(s: string): string {
  return toHalfWidth(s).trim().toUpperCase();
}
