/**
 * Answer cards: every fact is the catalogue's own text, a fact the catalogue does not hold says
 * so, the plain text staff copy matches what the card shows, and catalogue text is escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import {
  buildCard,
  confidenceLevel,
  type AnswerCard,
} from '../../../../channels/staff/assist/card.js';
import { renderCard, textBlocks } from '../../../../channels/staff/assist/card-html.js';
import { openKnowledge, type KnowledgeBase } from '../../../../knowledge/knowledge-base.js';
import type { Service } from '../../../../knowledge/schema.js';
import { service, tempDir } from '../../../knowledge/fixtures.js';

const PERSONALAUSWEIS = '1063441';
const KINDERGELD = 'lotse-kindergeld';

let knowledge: KnowledgeBase;
let dir: string;

beforeAll(async () => {
  dir = tempDir('lotse-assist-card-');
  knowledge = await openKnowledge({ dataDir: dir, persistSnapshot: false });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function catalogued(id: string): Service {
  const s = knowledge.search.get(id);
  if (!s) throw new Error(`no service ${id} in the demo catalogue`);
  return s;
}

function fact(card: AnswerCard, key: string) {
  const f = card.facts.find((x) => x.key === key);
  if (!f) throw new Error(`no fact ${key}`);
  return f;
}

describe('an answer card built from the catalogue', () => {
  it('carries the fee text, the appointment links, the duration and the source as catalogued', () => {
    const s = catalogued(PERSONALAUSWEIS);
    const card = buildCard(s, { confidence: 1, facet: 'fees' });
    expect(fact(card, 'fees')).toMatchObject({ available: true, asked: true, text: s.fees?.text });
    expect(fact(card, 'fees').text).toContain('27,60 Euro');
    expect(fact(card, 'appointment').links?.[0]).toEqual({
      title: 'Termin buchen',
      url: s.appointmentUrl,
    });
    // Each location's booking link follows the service's own.
    expect(fact(card, 'appointment').links).toHaveLength(1 + s.locations.length);
    expect(fact(card, 'duration').text).toBe('Termin etwa 15 Minuten');
    expect(fact(card, 'source')).toMatchObject({ available: true, asked: false });
    expect(fact(card, 'source').text).toContain(s.source.url);
  });

  it('lists every location with address and contact', () => {
    const s = catalogued(PERSONALAUSWEIS);
    const where = fact(buildCard(s, { confidence: 1 }), 'locations');
    expect(where.locations).toHaveLength(s.locations.length);
    expect(where.locations?.[0]).toMatchObject({
      name: 'Bürgerbüro Orleansplatz',
      address: 'Orleansstraße 50, 81667 München',
      phone: '089 233-96000',
    });
    expect(where.text.split('\n')[0]).toBe(
      '- Bürgerbüro Orleansplatz, Orleansstraße 50, 81667 München, Telefon 089 233-96000, E-Mail buergerbuero-orleansplatz.kvr@muenchen.de',
    );
  });

  it('says "Im Katalog keine Angabe" for each fact the catalogue does not hold', () => {
    // The demo catalogue lists no documents for the Personalausweis; Kindergeld has no fee,
    // location, appointment or duration.
    expect(fact(buildCard(catalogued(PERSONALAUSWEIS), { confidence: 1 }), 'documents')).toEqual({
      key: 'documents',
      label: 'Unterlagen',
      available: false,
      asked: false,
      text: 'Im Katalog keine Angabe',
    });
    const kindergeld = buildCard(catalogued(KINDERGELD), { confidence: 1 });
    for (const key of ['fees', 'locations', 'appointment', 'duration']) {
      expect(fact(kindergeld, key)).toMatchObject({
        available: false,
        text: 'Im Katalog keine Angabe',
      });
    }
    expect(fact(kindergeld, 'documents').lists?.[0]?.label).toBe('Voraussetzungen');
    expect(fact(kindergeld, 'documents').text).toContain('Das Kind lebt in Ihrem Haushalt');
  });

  it('copies the whole card as plain text, missing facts included', () => {
    const card = buildCard(catalogued(PERSONALAUSWEIS), { confidence: 1 });
    expect(
      card.text.startsWith('Personalausweis\n\nGebühren:\n- unter 24 Jahren: 27,60 Euro'),
    ).toBe(true);
    expect(card.text).toContain('Unterlagen:\nIm Katalog keine Angabe');
    expect(card.text).not.toMatch(/<|&lt;/);
  });

  it('lists each online link once, the online service first', () => {
    const s = service({
      id: 'x',
      name: 'Test',
      onlineServiceUrl: 'https://example.org/online',
      forms: [{ title: 'Formular', url: 'https://example.org/form' }],
      links: [
        { title: 'Formular (Link)', url: 'https://example.org/form' },
        { title: 'Info', url: 'https://example.org/info' },
      ],
    });
    expect(fact(buildCard(s, { confidence: 1 }), 'online').links).toEqual([
      { title: 'Online-Dienst', url: 'https://example.org/online' },
      { title: 'Formular', url: 'https://example.org/form' },
      { title: 'Info', url: 'https://example.org/info' },
    ]);
  });

  it('shows the responsible office under "Wo" when no location is catalogued', () => {
    const s = service({ id: 'x', name: 'Test', responsibility: 'Zuständig ist das Standesamt.' });
    expect(fact(buildCard(s, { confidence: 1 }), 'locations')).toMatchObject({
      available: true,
      text: 'Zuständig ist das Standesamt.',
    });
  });

  it('grades confidence against the abstention threshold', () => {
    expect([0.95, 0.7, 0.45].map(confidenceLevel)).toEqual(['high', 'medium', 'low']);
  });
});

describe('the card as HTML', () => {
  it('escapes catalogue text and links no URL that is not http(s)', () => {
    const s = service({
      id: 'evil"id',
      name: '<script>alert(1)</script>',
      summary: 'A & B "quoted"',
      fees: { text: '<b>10 Euro</b>', markdown: '' },
      locations: [
        {
          id: 'l',
          name: '<img src=x onerror=alert(1)>',
          website: 'javascript:alert(1)',
        },
      ],
    });
    const out = renderCard(buildCard(s, { confidence: 1 }), 3).value;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;b&gt;10 Euro&lt;/b&gt;');
    expect(out).toContain('A &amp; B &quot;quoted&quot;');
    expect(out).toContain('id="card-evil_id"');
  });

  it('carries the text to copy on each fact the catalogue holds and on the card, with no button', () => {
    const card = buildCard(catalogued(PERSONALAUSWEIS), { confidence: 1 });
    const out = renderCard(card, 3).value;
    // The buttons are made by assist.js: without scripts there is none that does nothing.
    expect(out).not.toContain('<button');
    const copies = out.match(/data-copy="/g) ?? [];
    // The whole card plus each available fact.
    expect(copies).toHaveLength(1 + card.facts.filter((f) => f.available).length);
    expect(out).toContain('data-copy-label="Personalausweis"');
    expect(out).not.toContain('data-copy-label="Unterlagen"');
  });

  it('renders catalogue text as paragraphs and "- " blocks as lists', () => {
    expect(textBlocks('- a\n- b\n\nSatz eins\nSatz zwei').value.replace(/\s+/g, ' ')).toBe(
      '<ul> <li>a</li><li>b</li> </ul><p>Satz eins<br />Satz zwei</p>',
    );
  });
});
