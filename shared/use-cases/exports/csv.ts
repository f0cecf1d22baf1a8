// CSV for spreadsheets opened by people: UTF-8 with a byte-order mark (so Excel on a Chinese
// Windows reads it as UTF-8, not GBK), CRLF line ends and RFC 4180 quoting. Cells that a
// spreadsheet would run as a formula (leading = + - @, or tab and carriage return, which
// some programs strip before looking) get a leading apostrophe: an exported enterprise name
// like `=HYPERLINK(…)` must stay text on the reviewer's machine (CSV injection).

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell as it may be written: formula-looking text gets a leading apostrophe. */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One field, quoted when it holds a quote, comma or line break (quotes doubled). */
export function csvField(cell: string): string {
  const safe = neutralizeFormula(cell);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The whole file: BOM, one CRLF-terminated record per row. */
export function toCsv(rows: readonly (readonly string[])[]): Buffer {
  return Buffer.from(BOM + rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join(''), 'utf8');
}
