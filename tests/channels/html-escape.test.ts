/**
 * The shared HTML escaping: the five characters with a meaning in HTML become entities that HTML,
 * Matrix clients and Telegram (named `&lt; &gt; &amp; &quot;`, any numeric one) all understand.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../channels/html-escape.js';

describe('escapeHtml', () => {
  it('escapes & < > " and \' and leaves everything else as it is', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a> äöü €`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt; äöü €',
    );
  });

  it('escapes an existing entity again, so text shows exactly as typed', () => {
    expect(escapeHtml('&amp; &#39;')).toBe('&amp;amp; &amp;#39;');
  });

  it('uses only the named entities Telegram knows, and numeric ones', () => {
    const entities = escapeHtml(`&<>"'`).match(/&[^;]+;/g);
    expect(entities).toEqual(['&amp;', '&lt;', '&gt;', '&quot;', '&#39;']);
  });
});
