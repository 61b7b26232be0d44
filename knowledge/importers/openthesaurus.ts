/**
 * Derives a domain synonym file from OpenThesaurus. The full thesaurus (34,000 sets) would expand
 * queries with every sense of every word; Lotse keeps only sets that touch the catalogue's topic
 * vocabulary (service names and keywords), keeps sets of nouns only, drops members that are stop words or long phrases,
 * and skips sets anchored on words so common in the catalogue ("Antrag", "Termin") that
 * expanding them would only add noise.
 */
import type { Service } from '../schema.js';
import { analyseWords } from '../analysis/words.js';

export interface DeriveOptions {
  /** Most members a kept set may have; larger sets mix senses. Default 8. */
  maxSetSize?: number;
  /** Most words a member may have. Default 2. */
  maxWordsPerTerm?: number;
  /** Anchor words found in more than this share of searchable services are not expanded. Default 0.05. */
  maxAnchorShare?: number;
}

/** Header written above the derived sets, carrying the LGPL attribution. */
export const OPENTHESAURUS_HEADER = `# Synonym sets derived from OpenThesaurus (https://www.openthesaurus.de),
# Copyright (C) 2003-2014 Daniel Naber and the OpenThesaurus contributors, licensed under the
# GNU Lesser General Public License (LGPL). Source: Debian package openthesaurus-de-text 20160424.
# Derived by \`lotse synonyms derive\`: only sets that touch the catalogue's service names and
# keywords are kept. Regenerate it for your own catalogue; edit curated.txt for hand-made sets.
`;

function topicDocumentFrequency(services: Service[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const s of services.filter((x) => x.searchable)) {
    const stems = new Set(analyseWords([s.name, ...s.keywords].join(' ')).map((w) => w.stem));
    for (const stem of stems) df.set(stem, (df.get(stem) ?? 0) + 1);
  }
  return df;
}

function cleanTerm(raw: string): string {
  return raw
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Returns the derived file's text: header plus one `;`-separated set per line. */
export function deriveSynonyms(
  thesaurus: string,
  services: Service[],
  options: DeriveOptions = {},
): string {
  const maxSetSize = options.maxSetSize ?? 8;
  const maxWords = options.maxWordsPerTerm ?? 2;
  const maxAnchorShare = options.maxAnchorShare ?? 0.05;
  const df = topicDocumentFrequency(services);
  const searchable = services.filter((s) => s.searchable).length || 1;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const line of thesaurus.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const members = [...new Set(line.split(';').map(cleanTerm))].filter((t) => {
      const words = t.split(' ');
      return t && words.length <= maxWords && analyseWords(t).length === words.length;
    });
    // Only sets of nouns: verbs and adjectives have too many senses to expand safely.
    if (!members.every((m) => /^\p{Lu}/u.test(m))) continue;
    if (members.length < 2 || members.length > maxSetSize) continue;
    const anchors = members.filter((m) => {
      const stems = analyseWords(m).map((w) => w.stem);
      return (
        stems.every((s) => s.length >= 4 && df.has(s)) &&
        stems.every((s) => (df.get(s) ?? 0) / searchable <= maxAnchorShare)
      );
    });
    const tooCommon = members.some((m) =>
      analyseWords(m).some((w) => (df.get(w.stem) ?? 0) / searchable > maxAnchorShare),
    );
    if (!anchors.length || tooCommon || anchors.length === members.length) continue;
    const key = [...members].sort().join(';');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(members.join(';'));
  }
  return `${OPENTHESAURUS_HEADER}${out.join('\n')}\n`;
}
