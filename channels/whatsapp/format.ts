/**
 * Lotse's Markdown subset in WhatsApp's own markup. WhatsApp reads `*bold*`, `_italic_`,
 * `~strike~`, `` `code` `` and "> " quotes, and has no escape character. So plain text that
 * happens to contain those characters where WhatsApp would read them as markup (an asterisk
 * before a word, underscores around one) gets a look-alike character instead; word-internal ones
 * (`max_muster@…`, `a*b`) and bare URLs stay untouched, because WhatsApp ignores markers inside
 * words and the link must keep working.
 */
import { httpUrl } from '../../knowledge/html.js';

/** What a WhatsApp formatting character is replaced by when it must stay literal. */
const LOOKALIKE: Record<string, string> = {
  '*': '\u2217', // ∗ ASTERISK OPERATOR
  _: '\u02cd', // ˍ MODIFIER LETTER LOW MACRON
  '~': '\u223c', // ∼ TILDE OPERATOR
  '`': '\u02cb', // ˋ MODIFIER LETTER GRAVE ACCENT
};

/** A bare web address: kept verbatim so that WhatsApp can link it. */
const BARE_URL = /https?:\/\/[^\s<>]+/g;

/**
 * The inline syntax, tried left to right: a backslash escape, a link, bold, italics, a bare URL.
 * Emphasis never spans lines, as in WhatsApp.
 */
const INLINE =
  /\\([\\`*_{}[\]()#+\-.!>~|])|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*(?=\S)([^\n]+?)(?<=\S)\*\*|\*([^\s*](?:[^*\n]*[^\s*])?)\*|(https?:\/\/[^\s<>]+)/g;

/** Either text still to be made safe, or output that is already WhatsApp markup. */
type Piece = { plain: string } | { markup: string };

const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Plain text with every formatting character that WhatsApp could read as markup replaced by its
 * look-alike. A marker counts when it could open a span (nothing or a non-letter before it, a
 * non-space after) or close one (a non-space before, nothing or a non-letter after); the edges of
 * the text count as "nothing", which errs on the safe side next to Lotse's own markers.
 */
export function neutralise(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    out += neutraliseWords(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + neutraliseWords(text.slice(last));
}

function neutraliseWords(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const lookalike = LOOKALIKE[ch];
    if (!lookalike) {
      out += ch;
      continue;
    }
    const prev = text[i - 1];
    const next = text[i + 1];
    const opens = !isWordChar(prev) && next !== undefined && !isSpace(next);
    const closes = prev !== undefined && !isSpace(prev) && !isWordChar(next);
    out += opens || closes ? lookalike : ch;
  }
  return out;
}

/** One line's or paragraph's inline Markdown as pieces of plain text and finished markup. */
function inlinePieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) pieces.push({ plain: text.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, escaped, linkTitle, linkUrl, bold, italic, url] = m;
    if (escaped !== undefined) {
      pieces.push({ plain: escaped });
    } else if (linkTitle !== undefined && linkUrl !== undefined) {
      pieces.push(...linkPieces(linkTitle, linkUrl));
    } else if (bold !== undefined || italic !== undefined) {
      const inner = formatInline((bold ?? italic) as string);
      // WhatsApp renders a span only between word boundaries; inside a word the marks would
      // show as they are, so the emphasis is dropped there.
      const inWord = isWordChar(text[m.index - 1]) || isWordChar(text[last]);
      const mark = bold !== undefined ? '*' : '_';
      pieces.push({ markup: inWord ? inner : `${mark}${inner}${mark}` });
    } else if (url !== undefined) {
      pieces.push({ markup: url });
    }
  }
  if (last < text.length) pieces.push({ plain: text.slice(last) });
  return pieces;
}

/** `[title](url)`: "title: url" for web addresses; the title alone for anything else. */
function linkPieces(title: string, url: string): Piece[] {
  const shown = formatInline(title);
  if (!httpUrl(url)) return [{ markup: shown }];
  if (title.trim() === url) return [{ markup: url }];
  return [{ markup: `${shown}: ${url}` }];
}

function formatInline(text: string): string {
  const merged: Piece[] = [];
  for (const piece of inlinePieces(text)) {
    const prev = merged[merged.length - 1];
    if ('plain' in piece && prev && 'plain' in prev) prev.plain += piece.plain;
    else merged.push(piece);
  }
  return merged.map((p) => ('plain' in p ? neutralise(p.plain) : p.markup)).join('');
}

/**
 * Turns one block of Lotse Markdown (bold, italics, links, "- " lists, paragraphs) into WhatsApp
 * markup: `**b**` → `*b*`, `*i*` → `_i_`, `[t](https://…)` → `t: https://…`, `[t](tel:115)` → `t`;
 * lists and paragraphs stay as they are; everything else is made literal.
 */
export function formatWhatsApp(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => formatInline(line).replace(/^(\s*)>(?=\s|$)/, '$1\u203a'))
    .join('\n');
}
