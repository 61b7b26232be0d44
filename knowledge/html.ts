/**
 * Turns catalogue HTML into safe Markdown and plain text. Source descriptions are editorial HTML
 * with paragraphs, emphasis, lists and links; we keep exactly that structure and drop everything
 * else, so no raw HTML (scripts, styles, attributes, iframes) can ever reach a user. Headed parts
 * ("Gültigkeitsdauer", "Erforderliche Unterlagen") are kept as sections so answers can quote them.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import type { Link, Section } from './schema.js';

/** Result of converting one HTML fragment. */
export interface ConvertedHtml {
  markdown: string;
  text: string;
  sections: Section[];
  /** http(s) links found in the fragment, in document order. */
  links: Link[];
}

type Inline = { md: string; text: string };
type Block =
  | { kind: 'heading'; inline: Inline }
  | { kind: 'paragraph'; inline: Inline }
  | { kind: 'list'; ordered: boolean; items: Inline[] };

/* eslint-disable-next-line no-misleading-character-class -- zero-width characters are listed one by one on purpose */
const ZERO_WIDTH = /[\u200b\u200c\u200d\ufeff]/g;
const DROPPED = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'noscript',
  'template',
  'svg',
  'head',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const LISTS = new Set(['ul', 'ol']);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'blockquote',
  'table',
  'tr',
  'td',
  'th',
  'li',
  ...HEADINGS,
  ...LISTS,
]);

/** Characters with a meaning in Markdown; escaped in text so source text cannot inject markup. */
const MD_SPECIAL = /[\\`*_[\]{}<>#|~]/g;

function cleanSpace(s: string): string {
  return s.replace(ZERO_WIDTH, '').replace(/[\s\u00a0]+/g, ' ');
}

/** The URL normalised when it is http(s), otherwise undefined: the only links Lotse passes on. */
export function httpUrl(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

class Converter {
  readonly blocks: Block[] = [];
  readonly links: Link[] = [];
  private current: Inline = { md: '', text: '' };

  private flush(kind: 'paragraph' | 'heading' = 'paragraph'): void {
    const inline = trimInline(this.current);
    this.current = { md: '', text: '' };
    if (inline.text) this.blocks.push({ kind, inline });
  }

  walk(nodes: ChildNode[]): void {
    for (const node of nodes) this.node(node);
  }

  finish(): void {
    this.flush();
  }

  private node(node: ChildNode): void {
    if (node.type === 'text') {
      const t = cleanSpace(node.data);
      this.current.md += t.replace(MD_SPECIAL, (c) => `\\${c}`);
      this.current.text += t;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return;
    const el = node as Element;
    const name = el.name.toLowerCase();
    if (DROPPED.has(name)) return;
    if (name === 'br') {
      this.current.md += '\n';
      this.current.text += '\n';
      return;
    }
    if (LISTS.has(name)) {
      this.flush();
      const items = el.children
        .filter((c): c is Element => c.type === 'tag' && c.name.toLowerCase() === 'li')
        .map((li) => inlineOf(li.children, this.links))
        .filter((i) => i.text);
      if (items.length) this.blocks.push({ kind: 'list', ordered: name === 'ol', items });
      return;
    }
    if (HEADINGS.has(name)) {
      this.flush();
      this.current = inlineOf(el.children, this.links);
      this.flush('heading');
      return;
    }
    if (BLOCKS.has(name)) {
      this.flush();
      if (name === 'p' && isEmphasisOnly(el)) {
        this.current = inlineOf(el.children, this.links, true);
        this.flush('heading');
        return;
      }
      this.walk(el.children);
      this.flush();
      return;
    }
    const inner = inlineOf(el.children, this.links);
    this.appendInline(name, el, inner);
  }

  private appendInline(name: string, el: Element, inner: Inline): void {
    if (!inner.text.trim()) return;
    if (name === 'strong' || name === 'b') this.current.md += wrap(inner.md, '**');
    else if (name === 'em' || name === 'i') this.current.md += wrap(inner.md, '*');
    else if (name === 'a') {
      const url = httpUrl(el.attribs['href']);
      if (url) {
        this.links.push({ title: inner.text.trim(), url });
        this.current.md += `[${inner.md.trim()}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
      } else this.current.md += inner.md;
    } else this.current.md += inner.md;
    this.current.text += inner.text;
  }
}

function wrap(md: string, mark: string): string {
  const lead = md.match(/^\s*/)?.[0] ?? '';
  const trail = md.match(/\s*$/)?.[0] ?? '';
  return `${lead}${mark}${md.trim()}${mark}${trail}`;
}

/** A paragraph whose whole text is bold is used by editors as a heading. */
function isEmphasisOnly(p: Element): boolean {
  const meaningful = p.children.filter(
    (c) =>
      !(c.type === 'text' && !cleanSpace(c.data).trim()) && !(c.type === 'tag' && c.name === 'br'),
  );
  if (meaningful.length !== 1) return false;
  const only = meaningful[0];
  if (!only || only.type !== 'tag' || !['strong', 'b'].includes(only.name.toLowerCase()))
    return false;
  const text = cleanSpace(textOf(only.children)).trim();
  return text.length > 0 && text.length <= 80 && !/[.!?]$/.test(text);
}

function textOf(nodes: ChildNode[]): string {
  return nodes
    .map((n) =>
      n.type === 'text' ? n.data : 'children' in n ? textOf(n.children as ChildNode[]) : '',
    )
    .join('');
}

function inlineOf(nodes: ChildNode[], links: Link[], plain = false): Inline {
  const c = new Converter();
  c.walk(nodes);
  c.finish();
  links.push(...c.links);
  const parts = c.blocks.map((b) =>
    b.kind === 'list'
      ? {
          md: b.items.map((i) => `- ${i.md}`).join('\n'),
          text: b.items.map((i) => `- ${i.text}`).join('\n'),
        }
      : b.inline,
  );
  const md = parts.map((p) => p.md).join('\n');
  return { md: plain ? md.replace(/\*\*/g, '') : md, text: parts.map((p) => p.text).join('\n') };
}

function trimInline(i: Inline): Inline {
  const tidy = (s: string) =>
    s
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
  return { md: tidy(i.md), text: tidy(i.text) };
}

function renderBlock(b: Block, mode: 'md' | 'text'): string {
  if (b.kind === 'list') {
    return b.items
      .map((item, n) => {
        const bullet = b.ordered ? `${n + 1}. ` : '- ';
        return bullet + item[mode].split('\n').join('\n   ');
      })
      .join('\n');
  }
  const body = b.inline[mode];
  if (b.kind === 'heading') return mode === 'md' ? `### ${body.replace(/\n/g, ' ')}` : body;
  if (mode === 'text') return body;
  // Single newlines inside a paragraph are hard line breaks; a line that would read as a list
  // item or a quote ("- ", "1. ", "> ") is escaped, since it is paragraph text.
  return body
    .split('\n')
    .map((line) => line.replace(/^(\d+)\.(\s)/, '$1\\.$2').replace(/^([-+])(\s)/, '\\$1$2'))
    .join('  \n');
}

/** Converts an HTML fragment from a catalogue into safe Markdown, plain text and sections. */
export function convertHtml(html: string | null | undefined): ConvertedHtml {
  if (!html || !html.trim()) return { markdown: '', text: '', sections: [], links: [] };
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true });
  const c = new Converter();
  c.walk(doc.children);
  c.finish();
  const sections: Section[] = [];
  let heading = '';
  let body: Block[] = [];
  const closeSection = () => {
    if (heading && body.length) {
      sections.push({
        heading,
        markdown: body.map((b) => renderBlock(b, 'md')).join('\n\n'),
        text: body.map((b) => renderBlock(b, 'text')).join('\n\n'),
      });
    }
    body = [];
  };
  for (const b of c.blocks) {
    if (b.kind === 'heading') {
      closeSection();
      heading = b.inline.text.replace(/:$/, '').trim();
    } else body.push(b);
  }
  closeSection();
  return {
    markdown: c.blocks.map((b) => renderBlock(b, 'md')).join('\n\n'),
    text: c.blocks.map((b) => renderBlock(b, 'text')).join('\n\n'),
    sections,
    links: c.links,
  };
}
