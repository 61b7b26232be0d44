/**
 * Renders answer cards as HTML: a definition list of the facts, each value carrying its plain
 * text in `data-copy`, and the whole card's text on the card. assist.js adds the "Kopieren" and
 * "Alles kopieren" buttons for them, so a page without scripts shows no button that does nothing.
 * Long lists (locations, links) show their first entries and fold the rest into a <details>.
 */
import { html, SafeHtml } from '../html.js';
import type { Link, ListItem } from '../../../knowledge/schema.js';
import type { AnswerCard, CardFact, CardLocation } from './card.js';
import { ASSIST_TEXTS } from './texts.js';

const t = ASSIST_TEXTS.de;

/** Entries shown before a list folds into "… weitere anzeigen". */
const SHOWN_ENTRIES = 3;

/** An id fragment safe in attributes and selectors, derived from a catalogue id. */
export function domId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Only http(s) links become clickable; anything else is shown as text. */
function link(title: string, url: string): SafeHtml {
  return /^https?:\/\//i.test(url) ? html`<a href="${url}">${title}</a>` : html`${title} (${url})`;
}

/** Catalogue plain text: blank-line separated blocks, a block of "- " lines is a list. */
export function textBlocks(text: string): SafeHtml {
  const blocks = text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return html`${blocks.map((block) => {
    const lines = block.split('\n').map((l) => l.trim());
    if (lines.every((l) => l.startsWith('- '))) {
      return html`<ul>
        ${lines.map((l) => html`<li>${l.slice(2)}</li>`)}
      </ul>`;
    }
    return html`<p>${lines.map((l, i) => html`${i ? html`<br />` : ''}${l}`)}</p>`;
  })}`;
}

/** A list that shows its first entries and folds the rest. */
function folded<T>(items: readonly T[], item: (x: T) => SafeHtml): SafeHtml {
  const first = items.slice(0, SHOWN_ENTRIES);
  const rest = items.slice(SHOWN_ENTRIES);
  return html`<ul>
      ${first.map((x) => html`<li>${item(x)}</li>`)}
    </ul>
    ${
      rest.length
        ? html`<details>
            <summary>${t.moreItems(rest.length)}</summary>
            <ul>
              ${rest.map((x) => html`<li>${item(x)}</li>`)}
            </ul>
          </details>`
        : ''
    }`;
}

function listItem(i: ListItem): SafeHtml {
  return html`${i.url ? link(i.text, i.url) : i.text}${i.detail ? html` – ${i.detail}` : ''}`;
}

function location(l: CardLocation): SafeHtml {
  const contact = [
    l.phone ? html`${t.phone} <a href="tel:${l.phone.replace(/[^\d+]/g, '')}">${l.phone}</a>` : '',
    l.email ? html`${t.email} <a href="mailto:${l.email}">${l.email}</a>` : '',
    l.website ? link(t.website, l.website) : '',
  ].filter((x): x is SafeHtml => x instanceof SafeHtml);
  return html`<strong>${l.name}</strong>${l.address ? html`<br />${l.address}` : ''}
    ${contact.length ? html`<br />${contact.map((c, i) => html`${i ? ' · ' : ''}${c}`)}` : ''}`;
}

function links(items: Link[]): SafeHtml {
  return folded(items, (l) => link(l.title, l.url));
}

/** The value of one fact, as the catalogue holds it. */
function factValue(fact: CardFact): SafeHtml {
  if (!fact.available) return html`<p>${t.missing}</p>`;
  if (fact.key === 'source' && fact.links?.[0]) {
    const a = fact.attribution;
    const url = fact.links[0].url;
    return html`<p>${link(url, url)}</p>
      ${
        a
          ? html`<p>
              ${t.publisher}: ${a.publisher} · ${t.licence}:
              ${a.licence}${
                a.lastUpdate ? html` · ${t.lastUpdate}: ${a.lastUpdate.slice(0, 10)}` : ''
              }
            </p>`
          : ''
      }`;
  }
  return html`${fact.body ? textBlocks(fact.body) : ''}
  ${(fact.lists ?? []).map(
    (l) =>
      html`<p class="fact-sublabel">${l.label}</p>
        ${folded(l.items, listItem)}`,
  )}
  ${fact.locations ? folded(fact.locations, location) : ''}
  ${fact.links && fact.key !== 'source' ? links(fact.links) : ''}`;
}

function fact(card: AnswerCard, f: CardFact): SafeHtml {
  const id = `card-${domId(card.id)}-${f.key}`;
  const classes = [f.available ? '' : 'fact-missing', f.asked ? 'fact-asked' : '']
    .filter(Boolean)
    .join(' ');
  // assist.js adds a copy button after each value that carries `data-copy`.
  const copy = f.available ? html`data-copy="${f.text}" data-copy-label="${f.label}"` : '';
  return html`<dt class="${classes}">
      ${f.label}${f.asked ? html` <span class="fact-asked-badge">(${t.askedFact})</span>` : ''}
    </dt>
    <dd class="${classes}">
      <div class="fact-value" id="${id}" ${copy}>${factValue(f)}</div>
    </dd>`;
}

/** Confidence as words and percent, e.g. "Treffersicherheit: hoch (92 %)". */
export function confidenceLabel(card: { confidence: number; confidenceLevel: string }): string {
  const level = t.confidenceLevels[card.confidenceLevel as keyof typeof t.confidenceLevels];
  return `${t.confidence}: ${level} (${Math.round(card.confidence * 100)} %)`;
}

/**
 * One answer card. `level` is the heading level of the service name within the page; without
 * one (the service's own page, whose title is the name) the card is labelled by the name.
 * `offerApply` false leaves out the link to enter the service's application for a caller, for
 * roles that may not (editors): a link that only leads to "forbidden" helps no one.
 */
export function renderCard(card: AnswerCard, level?: 2 | 3, offerApply = true): SafeHtml {
  const base = `card-${domId(card.id)}`;
  const title = html`<a href="/staff/services/${encodeURIComponent(card.id)}">${card.name}</a>`;
  const heading =
    level === 2
      ? html`<h2 id="${base}-title">${title}</h2>`
      : level === 3
        ? html`<h3 id="${base}-title">${title}</h3>`
        : '';
  const label = level ? html`aria-labelledby="${base}-title"` : html`aria-label="${card.name}"`;
  // The card's `data-copy` is the whole card as text: assist.js adds "Alles kopieren" for it.
  return html`<article
    class="card answer-card"
    id="${base}"
    ${label}
    data-copy="${card.text}"
    data-copy-label="${card.name}"
  >
    <div class="card-header">${heading}</div>
    <p class="card-meta">
      ${card.authority ? html`${t.responsible}: ${card.authority} · ` : ''}${confidenceLabel(card)}
    </p>
    ${card.summary ? html`<p class="card-summary">${card.summary}</p>` : ''}
    <dl class="card-facts">${card.facts.map((f) => fact(card, f))}</dl>
    ${
      card.flow && offerApply
        ? html`<p class="card-apply">
            <a href="/staff/apply?flow=${encodeURIComponent(card.flow.id)}"
              >${t.applyForCaller(card.flow.title)}</a
            >
          </p>`
        : ''
    }
  </article>`;
}
