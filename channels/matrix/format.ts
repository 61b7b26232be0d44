/**
 * Lotse's Markdown subset as Matrix HTML (`org.matrix.custom.html`): **bold** → `<strong>`,
 * *italic* → `<em>`, `[title](url)` → a link for http(s) addresses only, "- " lines → a list,
 * blank lines → paragraphs; everything else is escaped, so text from the catalogue or a user can
 * never inject markup. Only tags from the spec's recommended set are used, so every client that
 * renders HTML shows them. Each call gets a complete chunk (the renderer splits before formatting),
 * so the output is always well-formed on its own.
 */
import { httpUrl } from '../../knowledge/html.js';
import { escapeHtml } from '../html-escape.js';

/**
 * Inline markup, in order of precedence: a backslash escape, a link, bold, italic. Italic needs
 * non-space just inside its stars, so "5 * 3 * 2" stays as written.
 */
const INLINE =
  /\\([\\`*_[\]()#+\-.!>])|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|\*(?![\s*])([^*\n]*?[^\s*])\*/g;

/** One line of Lotse Markdown as HTML. */
export function inlineHtml(markdown: string): string {
  let html = '';
  let last = 0;
  for (const match of markdown.matchAll(INLINE)) {
    html += escapeHtml(markdown.slice(last, match.index));
    last = match.index + match[0].length;
    const [, escaped, title, url, bold, italic] = match;
    if (escaped !== undefined) html += escapeHtml(escaped);
    else if (title !== undefined && url !== undefined) html += link(title, url);
    else if (bold !== undefined) html += `<strong>${inlineHtml(bold)}</strong>`;
    else if (italic !== undefined) html += `<em>${inlineHtml(italic)}</em>`;
  }
  return html + escapeHtml(markdown.slice(last));
}

/** A link for web addresses; anything else (`tel:`, `javascript:`) stays visible text. */
function link(title: string, url: string): string {
  const href = httpUrl(url);
  if (!href) return `${inlineHtml(title)} (${escapeHtml(url)})`;
  return `<a href="${escapeHtml(href)}">${inlineHtml(title)}</a>`;
}

const LIST_ITEM = /^\s*[-*]\s+(.*)$/;

/** One paragraph: runs of list lines become `<ul>`, other lines are joined with `<br>`. */
function blocksOf(paragraph: string): string[] {
  const blocks: string[] = [];
  let items: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (items.length) blocks.push(`<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`);
    if (lines.length) blocks.push(lines.join('<br>'));
    items = [];
    lines = [];
  };
  for (const line of paragraph.split('\n')) {
    const item = LIST_ITEM.exec(line);
    if (item) {
      if (lines.length) flush();
      items.push(inlineHtml(item[1] ?? ''));
    } else {
      if (items.length) flush();
      lines.push(inlineHtml(line));
    }
  }
  flush();
  return blocks;
}

/**
 * Formats one chunk of Lotse Markdown. A single text block comes back bare (as Element sends
 * one-line messages); several blocks are wrapped in `<p>` so clients space them as paragraphs.
 */
export function matrixHtml(markdown: string): string {
  const paragraphs = markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '');
  const blocks = paragraphs.flatMap(blocksOf);
  if (blocks.length === 1) return blocks[0] ?? '';
  return blocks.map((b) => (b.startsWith('<ul>') ? b : `<p>${b}</p>`)).join('');
}
