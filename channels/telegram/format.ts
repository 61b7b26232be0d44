/**
 * Lotse's Markdown subset written as Telegram HTML (`parse_mode: 'HTML'`). HTML rather than
 * MarkdownV2 because HTML needs only a few characters escaped (`& < > "`, and `'` as the numeric
 * `&#39;`, which Telegram resolves like every numeric entity), so a catalogue text with stray
 * asterisks, brackets or dots can never make Telegram reject a message as unparseable.
 * Everything that is not one of the known constructs is escaped and shows as typed.
 */
import { httpUrl } from '../../knowledge/html.js';
import { escapeHtml } from '../html-escape.js';

// One alternation, tried left to right: a backslash escape, a link, **bold**, *italic*.
// Emphasis may not start or end with a space ("5 * 3 * 2" is not italic) nor cross lines.
const INLINE =
  /\\([\\`*_[\]()#+\-.!>])|\[([^\]\n]+)\]\(([^)\s]+)\)|\*\*(?!\s)([^*\n]+?)(?<!\s)\*\*|\*(?!\s)([^*\n]+?)(?<!\s)\*/g;

/**
 * Turns one block of Lotse Markdown into Telegram HTML: `**b**` → `<b>`, `*i*` → `<i>`,
 * `[title](url)` → `<a href>` for http(s) URLs only (any other scheme is shown as plain text,
 * `title (url)`, so a `javascript:` or `tel:` target is never a link), `- ` list lines → `• `.
 */
export function toTelegramHtml(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      const item = /^(\s*)[-*] (.*)$/.exec(line);
      return item ? `${item[1]}• ${inline(item[2] ?? '')}` : inline(line);
    })
    .join('\n');
}

function inline(text: string, links = true): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const [whole, escaped, title, url, bold, italic] = match;
    out += escapeHtml(text.slice(last, match.index));
    last = match.index + whole.length;
    if (escaped !== undefined) out += escapeHtml(escaped);
    else if (title !== undefined && url !== undefined) out += link(title, url, links);
    else if (bold !== undefined) out += `<b>${inline(bold, links)}</b>`;
    else if (italic !== undefined) out += `<i>${inline(italic, links)}</i>`;
  }
  return out + escapeHtml(text.slice(last));
}

function link(title: string, url: string, allowed: boolean): string {
  const href = allowed ? httpUrl(url) : undefined;
  if (!href) return `${inline(title, false)} (${escapeHtml(url)})`;
  // Telegram does not allow a link inside a link: the title keeps its emphasis only.
  return `<a href="${escapeHtml(href)}">${inline(title, false)}</a>`;
}
