/**
 * Synonym sets, read from plain data files that editors change without touching code. The format
 * is OpenThesaurus's: one set per line, terms separated by `;`, `#` starts a comment, and
 * parenthesised notes such as "(ugs.)" are ignored. A set may mix German and English terms, which
 * is how the English→German bridge works.
 */
import { readFileSync } from 'node:fs';
import { analyseWords } from './words.js';
import { KnowledgeError } from '../errors.js';

/** One set of interchangeable terms, each term as its sequence of stems. */
export type SynonymSet = string[][];

/** Parses synonym file text into sets of stemmed terms; blank and comment lines are skipped. */
export function parseSynonyms(text: string): SynonymSet[] {
  const sets: SynonymSet[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const terms = line
      .split(';')
      .map((t) => analyseWords(t.replace(/\([^)]*\)/g, ' ')).map((w) => w.stem))
      .filter((stems) => stems.length > 0);
    const unique = [...new Map(terms.map((t) => [t.join(' '), t])).values()];
    if (unique.length > 1) sets.push(unique);
  }
  return sets;
}

/** Reads and parses a synonym file. */
export function readSynonymFile(file: string): SynonymSet[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new KnowledgeError(
      'LOTSE_SYNONYMS_UNREADABLE',
      `cannot read synonym file ${file}: ${(cause as Error).message}`,
      { cause },
    );
  }
  return parseSynonyms(text);
}

/** Looks up alternatives for a term (a sequence of stems, joined by spaces as the key). */
export class SynonymTable {
  private readonly table = new Map<string, string[][]>();
  /** Longest term, in stems; bounds the n-grams a query is checked for. */
  readonly maxTermLength: number;

  constructor(sets: SynonymSet[]) {
    let max = 1;
    for (const set of sets) {
      for (const term of set) {
        max = Math.max(max, term.length);
        const key = term.join(' ');
        const alternatives = this.table.get(key) ?? [];
        for (const other of set) if (other.join(' ') !== key) alternatives.push(other);
        this.table.set(key, alternatives);
      }
    }
    this.maxTermLength = Math.min(max, 4);
  }

  /** Alternatives for the given stem sequence, or `[]`. */
  lookup(stems: string[]): string[][] {
    return this.table.get(stems.join(' ')) ?? [];
  }

  get size(): number {
    return this.table.size;
  }
}
