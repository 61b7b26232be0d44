/**
 * The answer card: what a call-centre agent needs at a glance while on the phone — fees,
 * documents, where, online, appointment, duration and source — taken from one catalogue service.
 * Every fact carries the catalogue's plain text as it is copied to the clipboard; a fact the
 * catalogue does not hold is marked missing and reads "Im Katalog keine Angabe", never a guess.
 * The same model feeds the HTML page and the JSON API, so both say exactly the same.
 */
import type { Facet } from '../../../knowledge/answers/facet.js';
import type { Link, ListItem, Location, Service } from '../../../knowledge/schema.js';
import { ASSIST_TEXTS } from './texts.js';

/** The facts of a card, in the order they are shown. */
export const FACT_KEYS = [
  'fees',
  'documents',
  'locations',
  'online',
  'appointment',
  'duration',
  'source',
] as const;
export type FactKey = (typeof FACT_KEYS)[number];

/** A location as the card shows it (the catalogue has no opening hours to show). */
export interface CardLocation {
  name: string;
  /** "Orleansstraße 50, 81667 München" */
  address?: string;
  phone?: string;
  email?: string;
  website?: string;
  appointmentUrl?: string;
}

/** One fact of a card. Structured parts are present only when the catalogue holds them. */
export interface CardFact {
  key: FactKey;
  label: string;
  /** False when the catalogue holds nothing for this fact. */
  available: boolean;
  /** True for the fact the caller asked about ("Was kostet …" → fees). */
  asked: boolean;
  /** The fact as plain text, as it is copied; "Im Katalog keine Angabe" when missing. */
  text: string;
  /** Catalogue text (fees, duration, responsibility): paragraphs with "- " list lines. */
  body?: string;
  /** Named lists (documents, prerequisites). */
  lists?: { label: string; items: ListItem[] }[];
  locations?: CardLocation[];
  links?: Link[];
  /** The source's publisher, licence and last update (source fact only). */
  attribution?: { publisher: string; licence: string; lastUpdate?: string };
}

/** How sure search is that this service is meant; staff judge the card by it. */
export type ConfidenceLevel = keyof (typeof ASSIST_TEXTS)['de']['confidenceLevels'];

export interface AnswerCard {
  id: string;
  name: string;
  summary: string;
  /** The responsible authority, when the catalogue names one. */
  authority?: string;
  /** 0–1 from search (1 when the card was opened directly). */
  confidence: number;
  confidenceLevel: ConfidenceLevel;
  facts: CardFact[];
  /** The whole card as plain text, for "Alles kopieren". */
  text: string;
  /** The flow staff can start for a caller for this service, if one exists. */
  flow?: { id: string; title: string };
}

/** Which fact a question facet points at. */
const FACET_FACT: Record<Facet, FactKey | undefined> = {
  fees: 'fees',
  documents: 'documents',
  locations: 'locations',
  online: 'online',
  duration: 'duration',
  general: undefined,
};

/** Confidence bands: search's abstention threshold is 0.6, so below it a card is a guess. */
export function confidenceLevel(confidence: number): ConfidenceLevel {
  if (confidence >= 0.85) return 'high';
  if (confidence >= 0.6) return 'medium';
  return 'low';
}

const t = ASSIST_TEXTS.de;

function listText(items: ListItem[]): string {
  return items
    .map((i) => `- ${i.text}${i.detail ? ` – ${i.detail}` : ''}${i.url ? ` (${i.url})` : ''}`)
    .join('\n');
}

function linkText(links: Link[]): string {
  return links.map((l) => `- ${l.title}: ${l.url}`).join('\n');
}

/** Links without repeats (the catalogue often lists the same page as form and as link). */
function uniqueLinks(links: Link[]): Link[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.url) && !!seen.add(l.url));
}

function cardLocation(l: Location): CardLocation {
  const a = l.address;
  const street = a ? `${a.street} ${a.houseNumber}`.trim() : '';
  const town = a ? `${a.postalCode} ${a.city}`.trim() : '';
  const address = [street, town].filter(Boolean).join(', ');
  return {
    name: l.name,
    ...(address ? { address } : {}),
    ...(l.phone ? { phone: l.phone } : {}),
    ...(l.email ? { email: l.email } : {}),
    ...(l.website ? { website: l.website } : {}),
    ...(l.appointmentUrl ? { appointmentUrl: l.appointmentUrl } : {}),
  };
}

function locationText(l: CardLocation): string {
  const parts = [
    l.address,
    l.phone ? `${t.phone} ${l.phone}` : undefined,
    l.email ? `${t.email} ${l.email}` : undefined,
    l.website ? `${t.website} ${l.website}` : undefined,
  ].filter(Boolean);
  return `- ${l.name}${parts.length ? `, ${parts.join(', ')}` : ''}`;
}

type Content = Omit<CardFact, 'key' | 'label' | 'available' | 'asked'>;

function fees(s: Service): Content | undefined {
  const text = s.fees?.text.trim();
  return text ? { text, body: text } : undefined;
}

function documents(s: Service): Content | undefined {
  const lists = [
    { label: t.documentsList, items: s.documents },
    { label: t.prerequisitesList, items: s.prerequisites },
  ].filter((l) => l.items.length);
  if (!lists.length) return undefined;
  return { text: lists.map((l) => `${l.label}:\n${listText(l.items)}`).join('\n\n'), lists };
}

function locations(s: Service): Content | undefined {
  if (s.locations.length) {
    const shown = s.locations.map(cardLocation);
    return { text: shown.map(locationText).join('\n'), locations: shown };
  }
  const responsibility = s.responsibility?.trim();
  if (responsibility) return { text: responsibility, body: responsibility };
  return undefined;
}

function online(s: Service): Content | undefined {
  const links = uniqueLinks([
    ...(s.onlineServiceUrl ? [{ title: t.onlineService, url: s.onlineServiceUrl }] : []),
    ...s.forms,
    ...s.links,
  ]);
  return links.length ? { text: linkText(links), links } : undefined;
}

function appointment(s: Service): Content | undefined {
  const links = uniqueLinks([
    ...(s.appointmentUrl ? [{ title: t.appointmentBooking, url: s.appointmentUrl }] : []),
    ...s.locations.flatMap((l) =>
      l.appointmentUrl ? [{ title: t.appointmentAt(l.name), url: l.appointmentUrl }] : [],
    ),
  ]);
  return links.length ? { text: linkText(links), links } : undefined;
}

function duration(s: Service): Content | undefined {
  const lines = [
    s.duration?.text?.trim(),
    s.duration?.minutes ? t.appointmentMinutes(s.duration.minutes) : undefined,
  ].filter((x): x is string => !!x);
  if (!lines.length) return undefined;
  const text = lines.join('\n\n');
  return { text, body: text };
}

function source(s: Service): Content | undefined {
  const { url, publisher, licence, lastUpdate } = s.source;
  if (!url) return undefined;
  const attribution = { publisher, licence, ...(lastUpdate ? { lastUpdate } : {}) };
  return {
    text: `${url}\n${t.publisher}: ${publisher}, ${t.licence}: ${licence}`,
    links: [{ title: s.name, url }],
    attribution,
  };
}

const CONTENT: Record<FactKey, (s: Service) => Content | undefined> = {
  fees,
  documents,
  locations,
  online,
  appointment,
  duration,
  source,
};

/** The whole card as plain text: name, then each fact under its label. */
function cardText(name: string, facts: CardFact[]): string {
  return [name, ...facts.map((f) => `${f.label}:\n${f.text}`)].join('\n\n');
}

export interface CardOptions {
  /** 0–1 from search; 1 when staff opened the service directly. */
  confidence: number;
  /** The facet the caller asked about; its fact is marked. */
  facet?: Facet;
  /** The flow for this service, when staff can start one for the caller. */
  flow?: { id: string; title: string };
}

/** Builds the answer card of one service from the catalogue's own text. */
export function buildCard(service: Service, options: CardOptions): AnswerCard {
  const asked = options.facet ? FACET_FACT[options.facet] : undefined;
  const facts = FACT_KEYS.map((key): CardFact => {
    const content = CONTENT[key](service);
    return {
      key,
      label: t.facts[key],
      available: !!content,
      asked: key === asked,
      ...(content ?? { text: t.missing }),
    };
  });
  return {
    id: service.id,
    name: service.name,
    summary: service.summary,
    ...(service.authority ? { authority: service.authority.name } : {}),
    confidence: options.confidence,
    confidenceLevel: confidenceLevel(options.confidence),
    facts,
    text: cardText(service.name, facts),
    ...(options.flow ? { flow: options.flow } : {}),
  };
}
