import { describe, expect, it } from 'vitest';
import { matrixHtml } from '../../../channels/matrix/format.js';

describe('Matrix HTML formatting', () => {
  it('escapes everything that is not Lotse markup', () => {
    expect(matrixHtml('<script>alert("x")</script> & \'y\'')).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });

  it('writes bold and italic as strong and em', () => {
    expect(matrixHtml('**Gebühr:** 37 € *ab 24 Jahren*')).toBe(
      '<strong>Gebühr:</strong> 37 € <em>ab 24 Jahren</em>',
    );
  });

  it('leaves stars that are not emphasis as they are', () => {
    expect(matrixHtml('5 * 3 * 2')).toBe('5 * 3 * 2');
    expect(matrixHtml('\\*nicht kursiv\\*')).toBe('*nicht kursiv*');
  });

  it('links web addresses only, escaping the address', () => {
    expect(matrixHtml('[Termin](https://example.org/a?x=1&y="2")')).toBe(
      '<a href="https://example.org/a?x=1&amp;y=%222%22">Termin</a>',
    );
    expect(matrixHtml('[klick](javascript:alert(1)')).not.toContain('<a');
    expect(matrixHtml('[Anrufen](tel:115)')).toBe('Anrufen (tel:115)');
  });

  it('escapes markup inside link titles and bold text', () => {
    expect(matrixHtml('[<b>x</b>](https://example.org)')).toBe(
      '<a href="https://example.org/">&lt;b&gt;x&lt;/b&gt;</a>',
    );
    expect(matrixHtml('**<i>**')).toBe('<strong>&lt;i&gt;</strong>');
  });

  it('makes "- " lines a list and keeps other lines apart with <br>', () => {
    expect(matrixHtml('Unterlagen:\n- Ausweis\n- **Foto**')).toBe(
      '<p>Unterlagen:</p><ul><li>Ausweis</li><li><strong>Foto</strong></li></ul>',
    );
    expect(matrixHtml('1. Ja\n2. Nein')).toBe('1. Ja<br>2. Nein');
  });

  it('wraps paragraphs in <p> when there are several', () => {
    expect(matrixHtml('Erster Absatz.\n\nZweiter Absatz.')).toBe(
      '<p>Erster Absatz.</p><p>Zweiter Absatz.</p>',
    );
    expect(matrixHtml('Nur einer.')).toBe('Nur einer.');
  });
});
