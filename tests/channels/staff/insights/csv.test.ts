import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOM, csvCell, toCsv } from '../../../../channels/staff/insights/csv.js';

/**
 * A minimal RFC 4180 reader with the semicolon as separator (as German Excel reads a file it
 * opens by double click), to check that what we write reads back as the same cells.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a;b', '"a;b"'],
    ['a,b', '"a,b"'],
    ['er sagte "hallo"', '"er sagte ""hallo"""'],
    ['zwei\nZeilen', '"zwei\nZeilen"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('quotes %j as %j (RFC 4180)', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    [
      '=HYPERLINK("http://evil.example","klick")',
      `"'=HYPERLINK(""http://evil.example"",""klick"")"`,
    ],
    ['+49 89 123', "'+49 89 123"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('neutralises the formula %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as German Excel reads them (decimal comma), negative ones unprefixed, and absent values as empty cells', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(40.5)).toBe('40,5');
    expect(csvCell(-0.25)).toBe('-0,25');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });
});

describe('toCsv', () => {
  it('starts with a byte order mark, separates cells with semicolons and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [['1', 2]])).toBe(`${BOM}a;b\r\n1;2\r\n`);
    expect(toCsv(['Anteil', 'Text'], [[12.5, 'a;b, c']])).toBe(
      `${BOM}Anteil;Text\r\n12,5;"a;b, c"\r\n`,
    );
  });

  it('reads back as the same cells, formulas prefixed with an apostrophe', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    fc.assert(
      fc.property(
        fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { maxLength: 5 }),
        (rows) => {
          const parsed = parseCsv(toCsv(['x', 'y', 'z'], rows).slice(BOM.length));
          expect(parsed).toEqual([
            ['x', 'y', 'z'],
            ...rows.map((r) => r.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))),
          ]);
        },
      ),
    );
  });
});
