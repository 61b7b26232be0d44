/**
 * Builds a structured `Answer` from a service and the facet asked for. The text is always the
 * catalogue's own (fee text, document list, addresses, links); where the catalogue has nothing
 * for the facet, the answer says so (`available: false`) rather than guessing.
 */
import type { Language } from '../analysis/language.js';
import type { Link, ListItem, Location, Service } from '../schema.js';
import type { Facet } from './facet.js';
import { ANSWER_TEXTS } from './texts.js';

/** A service offered as an alternative or as the subject of the answer. */
export interface ServiceRef {
  id: string;
  name: string;
}

export interface Answer {
  service: ServiceRef;
  facet: Facet;
  /** False when the catalogue has nothing for the asked facet; `markdown` then says so. */
  available: boolean;
  /** Safe Markdown from the catalogue (plus labels). */
  markdown: string;
  links: Link[];
  source: { url?: string; publisher: string; licence: string; lastUpdate?: string };
  /** 0–1, from search. */
  confidence: number;
}

type Texts = (typeof ANSWER_TEXTS)[Language];

function list(items: ListItem[]): string {
  return items.map((i) => `- ${i.text}${i.detail ? ` — ${i.detail}` : ''}`).join('\n');
}

function locationLines(l: Location, t: Texts): string {
  const address = l.address
    ? `, ${l.address.street} ${l.address.houseNumber}, ${l.address.postalCode} ${l.address.city}`
    : '';
  const contact = [l.phone ? `${t.phone} ${l.phone}` : '', l.email ? `${t.email} ${l.email}` : '']
    .filter(Boolean)
    .join(', ');
  return `- **${l.name}**${address}${contact ? ` (${contact})` : ''}`;
}

const MAX_LOCATIONS = 5;

function facetContent(
  service: Service,
  facet: Facet,
  t: Texts,
): { markdown: string; links: Link[] } | undefined {
  switch (facet) {
    case 'fees':
      return service.fees ? { markdown: service.fees.markdown, links: [] } : undefined;
    case 'documents': {
      const parts: string[] = [];
      if (service.documents.length) parts.push(`**${t.documents}**\n${list(service.documents)}`);
      if (service.prerequisites.length)
        parts.push(`**${t.prerequisites}**\n${list(service.prerequisites)}`);
      if (service.forms.length)
        parts.push(
          `**${t.forms}**\n${service.forms.map((f) => `- [${f.title}](${f.url})`).join('\n')}`,
        );
      return parts.length ? { markdown: parts.join('\n\n'), links: service.forms } : undefined;
    }
    case 'locations': {
      if (!service.locations.length)
        return service.responsibility ? { markdown: service.responsibility, links: [] } : undefined;
      const shown = service.locations.slice(0, MAX_LOCATIONS);
      const links = shown.flatMap((l) => (l.website ? [{ title: l.name, url: l.website }] : []));
      return { markdown: shown.map((l) => locationLines(l, t)).join('\n'), links };
    }
    case 'online': {
      const links: Link[] = [];
      if (service.onlineServiceUrl)
        links.push({ title: t.onlineService, url: service.onlineServiceUrl });
      if (service.appointmentUrl) links.push({ title: t.appointment, url: service.appointmentUrl });
      return links.length
        ? { markdown: links.map((l) => `- [${l.title}](${l.url})`).join('\n'), links }
        : undefined;
    }
    case 'duration': {
      const lines = [
        service.duration?.text,
        service.duration?.minutes ? t.appointmentMinutes(service.duration.minutes) : undefined,
      ].filter((x): x is string => !!x);
      return lines.length ? { markdown: lines.join('\n\n'), links: [] } : undefined;
    }
    case 'general':
      return { markdown: service.description.markdown || service.summary, links: [] };
  }
}

const MISSING: Record<Exclude<Facet, 'general'>, keyof Texts> = {
  fees: 'noFees',
  documents: 'noDocuments',
  locations: 'noLocations',
  online: 'noOnline',
  duration: 'noDuration',
};

/** Composes the answer about one facet of a service, in the user's language. */
export function answerFacet(
  service: Service,
  facet: Facet,
  confidence: number,
  language: Language,
): Answer {
  const t = ANSWER_TEXTS[language];
  const content = facetContent(service, facet, t);
  const fallback = facet === 'general' ? '' : (t[MISSING[facet]] as string);
  return {
    service: { id: service.id, name: service.name },
    facet,
    available: !!content,
    markdown: content?.markdown ?? fallback,
    links: content?.links ?? [],
    source: { ...service.source },
    confidence,
  };
}
