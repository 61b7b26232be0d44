/**
 * CSV for the insights exports, as editors open it: in German Excel or LibreOffice, by double
 * click. Hence a byte order mark (Excel reads UTF-8 only with one), the semicolon as separator and
 * the comma as decimal mark (German Excel splits a double-clicked file on `;` and would read
 * `12.5` as a date), CRLF line ends and RFC 4180 quoting, and protection against formula
 * injection: a question a citizen typed as `=HYPERLINK(…)` must arrive as text, not run as a
 * formula on an editor's machine (OWASP "CSV injection").
 */

/** The UTF-8 byte order mark that makes Excel read the file as UTF-8. */
export const BOM = '\uFEFF';

/** The cell separator German Excel expects (its list separator). */
export const SEPARATOR = ';';

/** Characters that make a spreadsheet treat a cell as a formula when they come first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell value; numbers are written as they are, absent values as empty cells. */
export type CsvValue = string | number | null | undefined;

/**
 * One cell: text starting like a formula gets a leading apostrophe (shown as text, and the value
 * stays recognisable); a cell with a quote, semicolon, comma or line break is quoted, inner
 * quotes doubled. Numbers are never prefixed, so "-3" stays a number, and carry a decimal comma.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[";,\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: BOM, a header row, then the rows; every line ends in CRLF (RFC 4180). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(SEPARATOR) + '\r\n');
  return BOM + lines.join('');
}
