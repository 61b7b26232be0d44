/**
 * The console's start page "Auskunft": a search form for the caller's words that works without
 * scripts (GET ?q=), the answer cards, and — when the catalogue has no confident answer — an
 * honest statement saying so with the closest services to look at. Also the page of one service.
 */
import { can, type StaffPrincipal } from '../contract.js';
import { html, type SafeHtml } from '../html.js';
import { renderPage } from '../layout.js';
import type { AnswerCard } from './card.js';
import { confidenceLabel, renderCard } from './card-html.js';
import type { Candidate, Lookup } from './lookup.js';
import { ASSIST_TEXTS } from './texts.js';

const t = ASSIST_TEXTS.de;

/** The scripts of the assist pages (copy buttons, focus after a search). */
const SCRIPTS = ['assist.js'];

interface FormOptions {
  query: string;
  /** Put the focus in the box (the start page, where typing is the first thing to do). */
  autofocus: boolean;
  error?: string;
}

function searchForm({ query, autofocus, error }: FormOptions): SafeHtml {
  const describedBy = ['assist-q-hint', error ? 'assist-q-error' : ''].filter(Boolean).join(' ');
  return html`<form class="assist-search" method="get" action="/staff" role="search">
    <label for="assist-q">${t.searchLabel}</label>
    <p id="assist-q-hint" class="hint">${t.searchHint}</p>
    ${error ? html`<p id="assist-q-error" class="error">${error}</p>` : ''}
    <div class="search-row">
      <input
        id="assist-q"
        name="q"
        type="search"
        value="${query}"
        required
        autocomplete="off"
        aria-describedby="${describedBy}"
        ${error ? html`aria-invalid="true"` : ''}
        ${autofocus ? html`autofocus` : ''}
      />
      <button type="submit">${t.searchButton}</button>
    </div>
  </form>`;
}

/**
 * Where "Kopiert" is announced when the console frame offers no announcer of its own; it also
 * carries the copy buttons' words for assist.js.
 */
const STATUS = html`<p
  id="assist-status"
  class="visually-hidden"
  role="status"
  aria-live="polite"
  data-text-copy="${t.copy}"
  data-text-copy-all="${t.copyAll}"
  data-text-copied="${t.copied}"
  data-text-copy-failed="${t.copyFailed}"
></p>`;

function candidateList(candidates: Candidate[]): SafeHtml {
  return html`<ul class="candidates">
    ${candidates.map(
      (c) =>
        html`<li>
          <a href="/staff/services/${encodeURIComponent(c.id)}">${c.name}</a>
          <span class="candidate-confidence">– ${confidenceLabel(c)}</span>
        </li>`,
    )}
  </ul>`;
}

/** True when `staff` may enter applications for callers, so cards offer it. */
function mayApply(staff: StaffPrincipal | undefined): boolean {
  return can(staff?.role, 'apply');
}

function results(lookup: Lookup, offerApply: boolean): SafeHtml {
  const notice = lookup.abstained
    ? html`<p class="notice notice-abstained">${t.abstained}</p>`
    : lookup.closeCall
      ? html`<p class="notice">${t.closeCall}</p>`
      : '';
  const others = lookup.candidates.length
    ? html`<h3>${lookup.abstained ? t.candidatesHeading : t.moreHeading}</h3>
        ${candidateList(lookup.candidates)}`
    : lookup.abstained
      ? html`<p>${t.noCandidates}</p>`
      : '';
  return html`<section class="assist-results" aria-labelledby="results-heading">
    <h2 id="results-heading" tabindex="-1">${t.resultsHeading(lookup.query)}</h2>
    ${notice} ${lookup.cards.map((card) => renderCard(card, 3, offerApply))} ${others}
  </section>`;
}

export interface SearchPageOptions {
  staff: StaffPrincipal | undefined;
  query: string;
  /** The search's outcome; absent before the first search or when the query was refused. */
  lookup?: Lookup;
  error?: string;
}

/** GET /staff: the form, and the result when there was a search. */
export function renderSearchPage(options: SearchPageOptions): string {
  return renderPage({
    title: t.searchTitle,
    ...(options.staff ? { staff: options.staff } : {}),
    active: 'assist',
    scripts: SCRIPTS,
    main: html`${searchForm({
      query: options.query,
      autofocus: !options.lookup && !options.error,
      ...(options.error ? { error: options.error } : {}),
    })}
    ${options.lookup ? results(options.lookup, mayApply(options.staff)) : ''} ${STATUS}`,
  });
}

/** GET /staff/services/:id: one card, opened from a candidate or a card's title. */
export function renderServicePage(staff: StaffPrincipal | undefined, card: AnswerCard): string {
  return renderPage({
    title: card.name,
    ...(staff ? { staff } : {}),
    active: 'assist',
    scripts: SCRIPTS,
    main: html`<p><a href="/staff">${t.backToSearch}</a></p>
      ${renderCard(card, undefined, mayApply(staff))} ${STATUS}`,
  });
}

/** The page for an id the catalogue does not hold. */
export function renderServiceNotFound(staff: StaffPrincipal | undefined): string {
  return renderPage({
    title: t.searchTitle,
    ...(staff ? { staff } : {}),
    active: 'assist',
    main: html`<p>${t.serviceNotFound}</p>
      ${searchForm({ query: '', autofocus: false })}`,
  });
}
