/**
 * The one rendering layer between the channel-neutral bot and the messengers: a bot activity
 * (Markdown text plus suggested actions) becomes what a channel can show — buttons, a list, or
 * numbered text — by that channel's capabilities, formatted in the channel's own markup and split
 * to its length limit. The flow engine and the bot never learn which channel they talk to.
 */
import type { Activity, CardAction } from 'botbuilder';
import { httpUrl } from '../../knowledge/html.js';
import type { ChannelFormat, RenderedLink, RenderedMessage } from './types.js';
import { messagingTexts } from './texts.js';

/** A choice as the bot offered it, and what pressing it sends back to the bot. */
export interface OfferedChoice {
  title: string;
  /** `messageBack`: text and value come back; `imBack`: the text comes back as if typed. */
  reply: { text: string; value?: unknown };
}

/** The choices and links of an activity's suggested actions. */
export function offeredChoices(activity: Partial<Activity>): {
  choices: OfferedChoice[];
  links: RenderedLink[];
} {
  const choices: OfferedChoice[] = [];
  const links: RenderedLink[] = [];
  for (const action of activity.suggestedActions?.actions ?? []) {
    const title = (action.title ?? action.text ?? '').trim();
    if (!title) continue;
    if (action.type === 'openUrl') {
      if (typeof action.value === 'string') links.push({ title, url: action.value });
      continue;
    }
    choices.push({ title, reply: replyOf(action, title) });
  }
  return { choices, links };
}

function replyOf(action: CardAction, title: string): OfferedChoice['reply'] {
  if (action.type === 'imBack') {
    return { text: typeof action.value === 'string' ? action.value : title };
  }
  const text = action.displayText ?? action.text ?? title;
  return action.value === undefined ? { text } : { text, value: action.value };
}

/** How the choices are shown on a channel with these capabilities. */
export function presentationFor(
  titles: readonly string[],
  format: ChannelFormat,
): RenderedMessage['presentation'] {
  const c = format.capabilities;
  if (titles.length === 0) return 'none';
  const longest = Math.max(...titles.map((t) => t.length));
  if (titles.length <= c.maxButtons && longest <= c.maxButtonTitle) return 'buttons';
  if (titles.length <= c.maxListRows && longest <= c.maxListRowTitle) return 'list';
  return 'numbered';
}

/** Markdown reduced to plain text: emphasis marks dropped, links as "title (url)". */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/\*\*(?=\S)([^*]+?)(?<=\S)\*\*/g, '$1')
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])/g, '$1$2')
    .replace(/\\([\\`*_[\]()#+\-.!>])/g, '$1');
}

/** Units to split at, largest first: paragraphs, lines, words. */
const SPLIT_LEVELS: readonly [RegExp, string][] = [
  [/\n{2,}/, '\n\n'],
  [/\n/, '\n'],
  [/ /, ' '],
];

/**
 * Splits Markdown into chunks whose formatted length fits `max`: whole paragraphs where they fit,
 * else whole lines, else words, else characters — so a link or emphasis is cut only when a single
 * word is longer than the channel's limit.
 */
export function splitToFit(
  markdown: string,
  max: number,
  measure: (chunk: string) => number,
): string[] {
  const split = (text: string, level: number): string[] => {
    if (measure(text) <= max) return [text];
    const rule = SPLIT_LEVELS[level];
    if (!rule) return hardSplit(text, max, measure);
    const [separator, joiner] = rule;
    const out: string[] = [];
    let current = '';
    for (const unit of text.split(separator)) {
      const candidate = current ? `${current}${joiner}${unit}` : unit;
      if (measure(candidate) <= max) {
        current = candidate;
        continue;
      }
      if (current) out.push(current);
      current = '';
      if (measure(unit) <= max) current = unit;
      else out.push(...split(unit, level + 1));
    }
    if (current) out.push(current);
    return out;
  };
  const chunks = split(markdown, 0);
  return chunks.length ? chunks : [''];
}

function hardSplit(text: string, max: number, measure: (chunk: string) => number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest) {
    let size = Math.min(rest.length, max);
    while (size > 1 && measure(rest.slice(0, size)) > max) size = Math.floor(size * 0.9);
    out.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return out;
}

/**
 * Renders a bot message for a channel. `tokens` are the tokens the channel store issued for the
 * activity's choices, in order (see MessengerAdapter); numbered choices are added to the text.
 */
export function renderActivity(
  activity: Partial<Activity>,
  format: ChannelFormat,
  tokens: readonly string[],
): RenderedMessage {
  const { choices, links } = offeredChoices(activity);
  const presentation = presentationFor(
    choices.map((c) => c.title),
    format,
  );
  const t = messagingTexts(activity.locale);
  const blocks = [activity.text?.trim() ?? ''];
  // Links that are not web pages (tel:115) cannot be buttons anywhere: they go into the text.
  const webLinks = links.filter((l) => httpUrl(l.url));
  const otherLinks = links.filter((l) => !httpUrl(l.url));
  if (otherLinks.length) blocks.push(otherLinks.map((l) => `${l.title}: ${l.url}`).join('\n'));
  if (presentation === 'numbered') {
    blocks.push(
      `${choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}\n\n${t.chooseByNumber}`,
    );
  }
  const markdown = blocks.filter(Boolean).join('\n\n');
  const max = format.capabilities.maxTextLength;
  const chunks = splitToFit(markdown, max, (chunk) =>
    Math.max(format.format(chunk).length, plainText(chunk).length),
  );
  return {
    parts: chunks.map((chunk) => format.format(chunk)),
    plainParts: chunks.map(plainText),
    presentation,
    choices: choices.map((c, i) => ({ number: i + 1, title: c.title, token: tokens[i] ?? '' })),
    links: webLinks,
    ...(presentation === 'list' ? { listButton: t.listButton } : {}),
  };
}
