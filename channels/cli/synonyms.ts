/**
 * `lotse synonyms derive --thesaurus FILE [--out FILE]`: derives the domain synonym file from an
 * OpenThesaurus text export for the catalogue in the data directory (see
 * knowledge/importers/openthesaurus.ts for the rule).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { deriveSynonyms } from '../../knowledge/importers/openthesaurus.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { required } from './args.js';
import { EXIT, UsageError, type Io } from './io.js';

export async function synonymsCommand(
  args: string[],
  kb: () => Promise<KnowledgeBase>,
  io: Io,
): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'derive')
    throw new UsageError(
      `unknown synonyms action ${JSON.stringify(action ?? '')}; supported: derive`,
    );
  const { values } = parseArgs({
    args: rest,
    options: { thesaurus: { type: 'string' }, out: { type: 'string' } },
  });
  const thesaurusFile = required('--thesaurus', values.thesaurus);
  let thesaurus: string;
  try {
    thesaurus = readFileSync(thesaurusFile, 'utf8');
  } catch (e) {
    io.err(`lotse synonyms: cannot read ${thesaurusFile}: ${(e as Error).message}`);
    return EXIT.failure;
  }
  const text = deriveSynonyms(thesaurus, (await kb()).catalogue.services);
  const sets = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
  if (values.out) {
    writeFileSync(values.out, text);
    io.out(`Wrote ${sets} synonym sets to ${values.out}.`);
  } else io.out(text.trimEnd());
  return EXIT.ok;
}
