import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertHtml } from '../../knowledge/html.js';

/** Targets of all inline Markdown links `[title](target)` in a Markdown string. */
function linkTargets(markdown: string): string[] {
  // An escaped `\]` closes no link text, so what follows it is no link target.
  return [...markdown.matchAll(/(?<!\\)\]\(([^)\s]*)\)/g)].map((m) => m[1] ?? '');
}

/** True when every `<` in the Markdown is escaped, so no renderer can see a tag. */
function hasNoRawTag(markdown: string): boolean {
  return [...markdown.matchAll(/</g)].every((m) => markdown[(m.index ?? 0) - 1] === '\\');
}

describe('convertHtml', () => {
  it('returns empty results for null, undefined and blank input', () => {
    const empty = { markdown: '', text: '', sections: [], links: [] };
    expect(convertHtml(null)).toEqual(empty);
    expect(convertHtml(undefined)).toEqual(empty);
    expect(convertHtml('  \n ')).toEqual(empty);
  });

  it('keeps paragraphs as blocks separated by a blank line', () => {
    const r = convertHtml('<p>Erster Absatz.</p><p>Zweiter Absatz.</p>');
    expect(r.markdown).toBe('Erster Absatz.\n\nZweiter Absatz.');
    expect(r.text).toBe('Erster Absatz.\n\nZweiter Absatz.');
  });

  it('drops scripts, styles and iframes together with their content', () => {
    const r = convertHtml(
      '<p>Hallo <script>alert(1)</script>Welt</p><style>p{color:red}</style><iframe src="https://evil.example/">x</iframe>',
    );
    expect(r.markdown).toBe('Hallo Welt');
    expect(r.text).toBe('Hallo Welt');
  });

  it('drops attributes such as event handlers and inline styles', () => {
    const r = convertHtml(
      '<p onclick="steal()" style="color:red">Text</p><img src=x onerror=alert(1)>',
    );
    expect(r.markdown).toBe('Text');
    expect(r.markdown).not.toMatch(/onclick|onerror|style|img/);
  });

  it('escapes Markdown special characters in the source text', () => {
    const r = convertHtml('<p>Gebühr *nicht* _fett_ [a](https://x.de) # | ~ `code`</p>');
    expect(r.markdown).toBe(
      'Gebühr \\*nicht\\* \\_fett\\_ \\[a\\](https://x.de) \\# \\| \\~ \\`code\\`',
    );
    expect(r.text).toBe('Gebühr *nicht* _fett_ [a](https://x.de) # | ~ `code`');
  });

  it('escapes encoded HTML so that it stays text and never becomes a tag', () => {
    const r = convertHtml('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.text).toBe('<script>alert(1)</script>');
    expect(r.markdown).toBe('\\<script\\>alert(1)\\</script\\>');
  });

  it('renders bold and italic text as Markdown emphasis', () => {
    const r = convertHtml(
      '<p>Bitte <strong>persönlich</strong> und <em>pünktlich</em> kommen.</p>',
    );
    expect(r.markdown).toBe('Bitte **persönlich** und *pünktlich* kommen.');
    expect(r.text).toBe('Bitte persönlich und pünktlich kommen.');
  });

  it('renders bulleted and numbered lists', () => {
    const r = convertHtml('<ul><li>Pass</li><li>Foto</li></ul><ol><li>eins</li><li>zwei</li></ol>');
    expect(r.markdown).toBe('- Pass\n- Foto\n\n1. eins\n2. zwei');
  });

  it('turns a line break into a Markdown hard break and a newline in the text', () => {
    const r = convertHtml('<p>Zeile eins<br>Zeile zwei</p>');
    expect(r.markdown).toBe('Zeile eins  \nZeile zwei');
    expect(r.text).toBe('Zeile eins\nZeile zwei');
  });

  it('keeps http and https links with their titles in document order', () => {
    const r = convertHtml(
      '<p><a href="https://muenchen.de/a">Seite A</a> und <a href=" http://x.de/b ">B</a></p>',
    );
    expect(r.links).toEqual([
      { title: 'Seite A', url: 'https://muenchen.de/a' },
      { title: 'B', url: 'http://x.de/b' },
    ]);
    expect(r.markdown).toBe('[Seite A](https://muenchen.de/a) und [B](http://x.de/b)');
  });

  it('drops javascript:, mailto:, relative and missing link targets but keeps the link text', () => {
    const r = convertHtml(
      '<p><a href="javascript:alert(1)">klick</a> <a href="mailto:a@b.de">Mail</a> <a href="/rel">rel</a> <a>leer</a></p>',
    );
    expect(r.links).toEqual([]);
    expect(r.markdown).toBe('klick Mail rel leer');
    expect(r.markdown).not.toContain('javascript');
  });

  it('never lets a link target break out of its Markdown link', () => {
    const r = convertHtml('<p><a href="https://x.de/)[klick](javascript:alert(1))">Seite</a></p>');
    expect(linkTargets(r.markdown)).toHaveLength(1);
    for (const target of linkTargets(r.markdown)) expect(target).toMatch(/^https?:\/\//);
    expect(r.markdown).not.toMatch(/\]\(javascript:/);
  });

  it('keeps parentheses in a link target percent-encoded so the link stays whole', () => {
    const r = convertHtml('<p><a href="https://muenchen.de/a?b=(c)">Seite</a></p>');
    expect(r.markdown).toBe('[Seite](https://muenchen.de/a?b=%28c%29)');
  });

  it('makes a section for each h1 to h6 heading that has content', () => {
    const r = convertHtml('<h2>Kosten</h2><p>37 €</p><h3>Leer</h3><h4>Dauer</h4><p>2 Wochen</p>');
    expect(r.sections).toEqual([
      { heading: 'Kosten', markdown: '37 €', text: '37 €' },
      { heading: 'Dauer', markdown: '2 Wochen', text: '2 Wochen' },
    ]);
    expect(r.markdown).toBe('### Kosten\n\n37 €\n\n### Leer\n\n### Dauer\n\n2 Wochen');
  });

  it('treats a paragraph that is entirely bold as a heading and drops its trailing colon', () => {
    const r = convertHtml(
      '<p><strong>Erforderliche Unterlagen:</strong></p><ul><li>Ausweis</li><li>Foto</li></ul>',
    );
    expect(r.sections).toEqual([
      {
        heading: 'Erforderliche Unterlagen',
        markdown: '- Ausweis\n- Foto',
        text: '- Ausweis\n- Foto',
      },
    ]);
    expect(r.markdown).toBe('### Erforderliche Unterlagen:\n\n- Ausweis\n- Foto');
  });

  it('keeps a bold full sentence as emphasis, not as a heading', () => {
    const r = convertHtml('<p><strong>Sie brauchen einen Termin.</strong></p>');
    expect(r.sections).toEqual([]);
    expect(r.markdown).toBe('**Sie brauchen einen Termin.**');
  });

  it('keeps a paragraph with bold words and other text as a paragraph', () => {
    const r = convertHtml('<p><b>Kosten</b>: 37 Euro</p><p>Mehr</p>');
    expect(r.sections).toEqual([]);
    expect(r.markdown).toBe('**Kosten**: 37 Euro\n\nMehr');
  });

  it('removes zero-width characters and collapses whitespace', () => {
    const r = convertHtml('<p>Per\u200bsonal\u00a0\u00a0ausweis \n\t beantragen</p>');
    expect(r.text).toBe('Personal ausweis beantragen');
  });

  it('escapes a bracket so that text like "]()" is no link', () => {
    const r = convertHtml('](' + ')');
    expect(r.markdown).toBe('\\]()');
    expect(r.links).toEqual([]);
    expect(linkTargets(r.markdown)).toEqual([]);
  });

  it('never lets a tag through, whatever the input (property)', () => {
    const fragment = fc.oneof(
      fc.constantFrom(
        '<script>alert(1)</script>',
        '<p>',
        '</p>',
        '<b>',
        '</b>',
        '<h2>',
        '</h2>',
        '<ul><li>',
        '</li></ul>',
        '<a href="javascript:alert(1)">',
        '<a href="https://a.de/x">',
        '</a>',
        '<iframe src="https://evil.example/">',
        '<img src=x onerror=alert(1)>',
        '<div onclick="x()">',
        '&lt;b&gt;',
        '<br>',
        '<',
        '>',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 20 }), (parts) => {
        const r = convertHtml(parts.join(''));
        expect(hasNoRawTag(r.markdown)).toBe(true);
        for (const section of r.sections) expect(hasNoRawTag(section.markdown)).toBe(true);
        for (const link of r.links) expect(link.url).toMatch(/^https?:\/\//);
        for (const target of linkTargets(r.markdown)) expect(target).toMatch(/^https?:\/\//);
      }),
      { numRuns: 300 },
    );
  });
});
