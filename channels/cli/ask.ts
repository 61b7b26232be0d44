/**
 * `lotse ask "QUESTION" [--json]`: answers a question from the catalogue by facet, with the
 * source — what the chat will say, without the chat.
 */
import { parseArgs } from 'node:util';
import { ask } from '../../knowledge/answers/ask.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { EXIT, UsageError, type Io } from './io.js';

export async function askCommand(
  args: string[],
  kb: () => Promise<KnowledgeBase>,
  io: Io,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, lang: { type: 'string' } },
  });
  const question = positionals.join(' ').trim();
  if (!question)
    throw new UsageError('ask needs a question, e.g. lotse ask "Was kostet ein Personalausweis?"');
  if (values.lang !== undefined && values.lang !== 'de' && values.lang !== 'en') {
    throw new UsageError(`--lang must be de or en, got ${JSON.stringify(values.lang)}`);
  }
  const result = await ask(
    (await kb()).search,
    question,
    values.lang ? { language: values.lang } : {},
  );
  if (values.json) {
    io.out(JSON.stringify(result));
    return EXIT.ok;
  }
  const en = result.language === 'en';
  if (!result.answer) {
    io.out(
      en
        ? 'I could not find a matching service in the catalogue.'
        : 'Dazu habe ich im Leistungskatalog keine passende Leistung gefunden.',
    );
    if (result.candidates.length) {
      io.out(en ? 'Closest services:' : 'Am nächsten kommen:');
      for (const c of result.candidates) io.out(`- ${c.name} (${c.id})`);
    }
    return EXIT.ok;
  }
  const a = result.answer;
  io.out(
    `${a.service.name} (${a.service.id}) — ${a.facet}, confidence ${a.confidence.toFixed(2)}\n`,
  );
  io.out(a.markdown);
  for (const l of a.links) io.out(`→ ${l.title}: ${l.url}`);
  io.out(
    `\n${en ? 'Source' : 'Quelle'}: ${a.source.publisher}${a.source.url ? `, ${a.source.url}` : ''}`,
  );
  if (result.candidates.length) {
    io.out(en ? '\nDid you mean one of these?' : '\nMeinten Sie vielleicht:');
    for (const c of result.candidates) io.out(`- ${c.name} (${c.id})`);
  }
  return EXIT.ok;
}
