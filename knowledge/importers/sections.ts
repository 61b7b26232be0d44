/**
 * Finds required documents and prerequisites inside headed description sections, for sources
 * (such as Munich's DLDB export) that embed them in the text instead of listing them separately.
 */
import type { ListItem, Section } from '../schema.js';

const DOCUMENT_HEADING =
  /unterlagen|dokumente|mitbringen|mitzubringen|nachweise|benötigt|documents|bring/i;
const PREREQUISITE_HEADING = /voraussetzung|prerequisite|requirement|wer kann|anspruch/i;

function itemsOf(section: Section): ListItem[] {
  const bullets = section.text
    .split('\n')
    .map((l) => l.match(/^(?:-|\d+\.)\s+(.*)$/)?.[1]?.trim())
    .filter((l): l is string => !!l);
  if (bullets.length) return bullets.map((text) => ({ text }));
  const text = section.text.trim();
  return text ? [{ text }] : [];
}

/** Collects list items from sections whose headings name documents or prerequisites. */
export function extractLists(sections: Section[]): {
  documents: ListItem[];
  prerequisites: ListItem[];
} {
  const documents: ListItem[] = [];
  const prerequisites: ListItem[] = [];
  for (const section of sections) {
    if (PREREQUISITE_HEADING.test(section.heading)) prerequisites.push(...itemsOf(section));
    else if (DOCUMENT_HEADING.test(section.heading)) documents.push(...itemsOf(section));
  }
  return { documents, prerequisites };
}
