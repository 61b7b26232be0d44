import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../channels/html-escape.js';
import { toTelegramHtml } from '../../../channels/telegram/format.js';
import { htmlProblem, visibleText } from './bot-api-peer.js';

describe('Telegram HTML formatting', () => {
  it('escapes the four characters Telegram HTML reserves', () => {
    expect(escapeHtml(`a & b < c > d "e"`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot;');
  });

  it("writes ' as the numeric entity &#39;, which Telegram parses and shows as '", () => {
    const html = toTelegramHtml("I can't **'wait'**");
    expect(html).toBe('I can&#39;t <b>&#39;wait&#39;</b>');
    expect(htmlProblem(html)).toBeUndefined();
    expect(visibleText(html)).toBe("I can't 'wait'");
  });

  it('shows a script tag as text, never as markup', () => {
    const html = toTelegramHtml('<script>alert("x")</script> & <b>fett</b>');
    expect(html).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;fett&lt;/b&gt;',
    );
    expect(html).not.toContain('<');
  });

  it('writes **bold** and *italic* as <b> and <i>, escaping inside', () => {
    expect(toTelegramHtml('Gebühr: **37,00 € <bar>** und *ca. 3 Wochen*')).toBe(
      'Gebühr: <b>37,00 € &lt;bar&gt;</b> und <i>ca. 3 Wochen</i>',
    );
  });

  it('leaves lone asterisks alone', () => {
    expect(toTelegramHtml('5 * 3 * 2 = 30 und a**')).toBe('5 * 3 * 2 = 30 und a**');
  });

  it('makes http(s) links <a href>, escaping the URL', () => {
    expect(toTelegramHtml('[Termin buchen](https://example.org/t?a=1&b="2")')).toBe(
      '<a href="https://example.org/t?a=1&amp;b=%222%22">Termin buchen</a>',
    );
  });

  it('shows other link targets as plain text, never as a link', () => {
    expect(toTelegramHtml('[Anrufen](tel:115) [x](javascript:alert(1))')).toBe(
      'Anrufen (tel:115) x (javascript:alert(1))',
    );
  });

  it('keeps emphasis inside link titles and links inside bold', () => {
    expect(toTelegramHtml('**[Quelle](https://a.example/)**')).toBe(
      '<b><a href="https://a.example/">Quelle</a></b>',
    );
  });

  it('turns "- " list lines into bullets and keeps paragraphs', () => {
    expect(toTelegramHtml('Sie brauchen:\n- Ausweis\n- **Foto**\n\nDanach: fertig')).toBe(
      'Sie brauchen:\n• Ausweis\n• <b>Foto</b>\n\nDanach: fertig',
    );
  });

  it('honours backslash escapes', () => {
    expect(toTelegramHtml('\\*kein kursiv\\*')).toBe('*kein kursiv*');
  });

  it('always produces HTML Telegram parses, with only <b>, <i> and http(s) links as tags', () => {
    const piece = fc.constantFrom(
      ...['a', 'ä', ' ', '<', '>', '&', '"', "'", '*', '**', '[', ']', '(', ')', '- ', '\n', '\\'],
      ...['https://x.example/?a=1&b=2', 'tel:115', 'javascript:x', '<script>', '&amp;'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const html = toTelegramHtml(pieces.join(''));
        expect(htmlProblem(html)).toBeUndefined();
        for (const tag of html.match(/<[^>]*>/g) ?? []) {
          expect(tag).toMatch(/^<(\/?[bi]|\/a|a href="https?:\/\/[^"<>]+")>$/);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
