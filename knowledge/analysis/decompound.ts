/**
 * Splits German compounds into parts that the catalogue itself uses ("Anwohnerparkausweis" →
 * anwohner + park + ausweis). No decompounder package exists, and general lexicons over-split
 * (Hundesteuer → hund + teuer), so parts must be stems of words that occur in the catalogue's own
 * vocabulary. Linking elements (Fugen-s, -es, -n, -en, -e) between parts are allowed.
 */
import { stem } from './stem.js';

const MIN_PART = 3;
const MIN_WORD = 7;
const LINKS = ['', 's', 'es', 'n', 'en', 'e'];

/** Splits compounds using a vocabulary of stems with their catalogue frequencies. */
export class Decompounder {
  private readonly cache = new Map<string, string[]>();

  /** @param vocabulary stem → number of occurrences in the catalogue */
  constructor(private readonly vocabulary: ReadonlyMap<string, number>) {}

  /** True when a stem occurs in the catalogue vocabulary. */
  has(stemmed: string): boolean {
    return this.vocabulary.has(stemmed);
  }

  /**
   * Returns the stems of the parts of a normalised word, or `[]` when it is not a compound of
   * known parts. Among splits, the one with fewest parts wins, then the one whose rarest part is
   * most frequent in the catalogue.
   */
  split(word: string): string[] {
    if (word.length < MIN_WORD || /\d/.test(word)) return [];
    const cached = this.cache.get(word);
    if (cached) return cached;
    const best = this.best(word, 0, new Map());
    const parts = best && best.parts.length > 1 ? best.parts : [];
    this.cache.set(word, parts);
    return parts;
  }

  private partStem(piece: string): string | undefined {
    if (piece.length < MIN_PART) return undefined;
    const s = stem(piece);
    return this.vocabulary.has(s) ? s : undefined;
  }

  private best(
    word: string,
    from: number,
    memo: Map<number, { parts: string[]; score: number } | null>,
  ): { parts: string[]; score: number } | null {
    if (memo.has(from)) return memo.get(from) ?? null;
    let winner: { parts: string[]; score: number } | null = null;
    const consider = (parts: string[], score: number) => {
      if (
        !winner ||
        parts.length < winner.parts.length ||
        (parts.length === winner.parts.length && score > winner.score)
      ) {
        winner = { parts, score };
      }
    };
    const whole = this.partStem(word.slice(from));
    if (whole && from > 0) consider([whole], this.vocabulary.get(whole) ?? 0);
    for (let end = from + MIN_PART; end <= word.length - MIN_PART; end++) {
      const head = this.partStem(word.slice(from, end));
      if (!head) continue;
      for (const link of LINKS) {
        if (link && !word.startsWith(link, end)) continue;
        const rest = this.best(word, end + link.length, memo);
        if (!rest) continue;
        consider([head, ...rest.parts], Math.min(this.vocabulary.get(head) ?? 0, rest.score));
      }
    }
    memo.set(from, winner);
    return winner;
  }
}
