import { describe, expect, it } from 'vitest';
import { importDldb, summarise } from '../../../knowledge/importers/dldb.js';
import { ServiceSchema } from '../../../knowledge/schema.js';
import { SOURCE, dldbService } from '../fixtures.js';

function importServices(records: unknown, locations?: unknown) {
  return importDldb({
    services: { file: 'services.json', json: records },
    ...(locations === undefined ? {} : { locations: { file: 'locations.json', json: locations } }),
    source: SOURCE,
  });
}

const ids = (r: ReturnType<typeof importServices>) => r.services.map((s) => s.id);

describe('importDldb: records', () => {
  it('reads the DLDB envelope with a data array and a bare array alike', () => {
    expect(ids(importServices({ data: [dldbService('1')], meta: {} }))).toEqual(['1']);
    expect(ids(importServices([dldbService('1'), dldbService('2')]))).toEqual(['1', '2']);
  });

  it('turns numeric ids into strings', () => {
    expect(ids(importServices([dldbService('x', { id: 1063441 })]))).toEqual(['1063441']);
  });

  it('maps a full record onto the canonical service', () => {
    const { services, problems } = importServices([
      dldbService('1', {
        name: ' Hundesteuer anmelden ',
        description:
          '<p>Wer einen Hund hält, zahlt Hundesteuer. Die Anmeldung ist Pflicht.</p><p><strong>Erforderliche Unterlagen</strong></p><ul><li>Ausweis</li><li>Chipnummer</li></ul>',
        meta: {
          keywords: 'Hund, Steuer, ',
          url: 'https://x.de/s/{serviceId}',
          lastupdate: '2026-01-01',
        },
        fees: '<p>100 € im Jahr</p>',
        duration: 15,
        process_time: '<p>2 Wochen</p>',
        leika: '99001001000000',
        appointment: { link: 'https://x.de/t/{serviceId}' },
        authorities: [{ id: 9, name: 'Kämmerei', webinfo: 'https://x.de/kaemmerei' }],
        combinable: ['1', '2', 3],
      }),
    ]);
    expect(problems).toEqual([]);
    const s = services[0];
    expect(ServiceSchema.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({
      id: '1',
      name: 'Hundesteuer anmelden',
      summary: 'Wer einen Hund hält, zahlt Hundesteuer. Die Anmeldung ist Pflicht.',
      keywords: ['Hund', 'Steuer'],
      fees: { text: '100 € im Jahr' },
      documents: [{ text: 'Ausweis' }, { text: 'Chipnummer' }],
      duration: { minutes: 15, text: '2 Wochen' },
      leikaKey: '99001001000000',
      appointmentUrl: 'https://x.de/t/1',
      authority: { id: '9', name: 'Kämmerei', url: 'https://x.de/kaemmerei' },
      relatedServiceIds: ['2', '3'],
      source: {
        url: 'https://x.de/s/1',
        publisher: 'Testamt',
        licence: 'CC0-1.0',
        lastUpdate: '2026-01-01',
      },
      searchable: true,
    });
    expect(s?.sections.map((x) => x.heading)).toEqual(['Erforderliche Unterlagen']);
  });

  it('never lets raw HTML of a description into the service', () => {
    const { services } = importServices([
      dldbService('1', { description: '<p onclick="x()">Text<script>alert(1)</script></p>' }),
    ]);
    expect(services[0]?.description).toEqual({ text: 'Text', markdown: 'Text' });
  });

  it('drops a LeiKa key that is not 14 digits but keeps the record', () => {
    const { services } = importServices([dldbService('1', { leika: '123' })]);
    expect(ids({ services, problems: [] })).toEqual(['1']);
    expect(services[0]?.leikaKey).toBeUndefined();
  });

  it('marks an entry without citizen-facing text as not searchable but keeps it', () => {
    const { services, problems } = importServices([
      { id: '10415066', name: 'Shortlane 15 min', description: null },
    ]);
    expect(problems).toEqual([]);
    expect(services[0]).toMatchObject({
      id: '10415066',
      searchable: false,
      summary: 'Shortlane 15 min',
    });
  });
});

describe('importDldb: bad records', () => {
  it('skips a record whose name is a number and imports the rest', () => {
    const r = importServices([dldbService('1'), dldbService('2', { name: 42 }), dldbService('3')]);
    expect(ids(r)).toEqual(['1', '3']);
    expect(r.problems).toEqual([
      expect.objectContaining({
        file: 'services.json',
        record: '2',
        field: 'name',
        action: 'skipped',
      }),
    ]);
  });

  it('skips a record whose name is missing and imports the rest', () => {
    const r = importServices([{ id: '1' }, dldbService('2')]);
    expect(ids(r)).toEqual(['2']);
    expect(r.problems.map((p) => [p.record, p.field])).toEqual([['1', 'name']]);
  });

  it('skips a record whose locations field is a string', () => {
    const r = importServices([dldbService('1', { locations: 'Rathaus' }), dldbService('2')]);
    expect(ids(r)).toEqual(['2']);
    expect(r.problems.map((p) => [p.record, p.field, p.action])).toEqual([
      ['1', 'locations', 'skipped'],
    ]);
  });

  it('names a record without an id by its position', () => {
    const r = importServices([dldbService('1'), { name: 'ohne Id' }, null]);
    expect(ids(r)).toEqual(['1']);
    expect(r.problems.map((p) => [p.record, p.field])).toEqual([
      ['#1', 'id'],
      ['#2', '(record)'],
    ]);
  });

  it('keeps the first of two records with the same id and reports the second', () => {
    const r = importServices([
      dldbService('1', { name: 'Erste' }),
      dldbService('1', { name: 'Zweite' }),
    ]);
    expect(r.services.map((s) => s.name)).toEqual(['Erste']);
    expect(r.problems).toEqual([
      expect.objectContaining({ record: '1', field: 'id', action: 'skipped' }),
    ]);
  });

  it('reports a file that is not a DLDB export and imports nothing', () => {
    const r = importServices({ services: [] });
    expect(r.services).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({ file: 'services.json', record: '(file)', field: 'data' }),
    ]);
  });

  it('drops a javascript: link, reports it, and keeps the record with its good links', () => {
    const r = importServices([
      dldbService('1', {
        links: [
          { name: 'Böse', link: 'javascript:alert(1)' },
          { name: 'Gut', link: 'https://x.de/gut' },
          { name: 'Doppelt', link: 'https://x.de/gut' },
        ],
        forms: [{ name: 'Formular', link: 'nur Text' }],
      }),
    ]);
    expect(r.services[0]?.links).toEqual([{ title: 'Gut', url: 'https://x.de/gut' }]);
    expect(r.services[0]?.forms).toEqual([]);
    expect(r.problems.map((p) => [p.record, p.field, p.action])).toEqual([
      ['1', 'links.0.link', 'dropped-field'],
      ['1', 'forms.0.link', 'dropped-field'],
    ]);
  });

  it('reports a requirement link that is not http(s) instead of dropping it silently', () => {
    const r = importServices([
      dldbService('1', { requirements: [{ name: 'Pass', link: 'javascript:alert(1)' }] }),
    ]);
    expect(r.services[0]?.documents).toEqual([{ text: 'Pass' }]);
    expect(r.problems).toEqual([expect.objectContaining({ record: '1', action: 'dropped-field' })]);
  });

  it('keeps a service whose requirement list has an item with no visible text', () => {
    const r = importServices([
      dldbService('1', { requirements: [{ name: '&nbsp;' }, { name: 'Pass' }] }),
    ]);
    expect(ids(r)).toEqual(['1']);
    expect(r.services[0]?.documents).toEqual([{ text: 'Pass' }]);
  });
});

describe('importDldb: locations', () => {
  const location = {
    id: 'L1',
    name: 'Rathaus (KVR-I)',
    displayName: 'Rathaus',
    organization: 'Landeshauptstadt',
    address: { street: 'Marienplatz', house_number: 8, postal_code: '80331', city: 'München' },
    geo: { lat: '48.137', lon: '11.575' },
    contact: { phone: '089 1', email: 'a@b.de', webinfo: 'https://x.de/rathaus' },
    services: [{ service: '1', appointment: { link: 'https://x.de/book/1' } }],
  };

  it('attaches referenced locations with address, geo, contact and booking link', () => {
    const r = importServices([dldbService('1', { locations: [{ location: 'L1' }] })], [location]);
    expect(r.problems).toEqual([]);
    expect(r.services[0]?.locations).toEqual([
      {
        id: 'L1',
        name: 'Rathaus',
        organisation: 'Landeshauptstadt',
        address: { street: 'Marienplatz', houseNumber: '8', postalCode: '80331', city: 'München' },
        geo: { lat: 48.137, lon: 11.575 },
        phone: '089 1',
        email: 'a@b.de',
        website: 'https://x.de/rathaus',
        appointmentUrl: 'https://x.de/book/1',
      },
    ]);
  });

  it('leaves out a reference to an unknown location', () => {
    const r = importServices([dldbService('1', { locations: [{ location: 'nope' }] })], [location]);
    expect(ids(r)).toEqual(['1']);
    expect(r.services[0]?.locations).toEqual([]);
  });

  it('skips and reports a location whose coordinates are not numbers', () => {
    const broken = { ...location, id: 'L2', geo: { lat: 'abc', lon: 11 } };
    const r = importServices([dldbService('1', { locations: [{ location: 'L2' }] })], [broken]);
    expect(ids(r)).toEqual(['1']);
    expect(r.problems.map((p) => [p.file, p.record, p.field])).toEqual([
      ['locations.json', 'L2', 'geo.lat'],
    ]);
  });

  it('keeps the services offered at a location whose latitude is out of range', () => {
    const broken = { ...location, geo: { lat: 200, lon: 11 } };
    const r = importServices([dldbService('1', { locations: [{ location: 'L1' }] })], [broken]);
    expect(ids(r)).toEqual(['1']);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ file: 'locations.json', record: 'L1', field: 'geo.lat' }),
    );
    expect(r.problems.filter((p) => p.file === 'services.json')).toEqual([]);
  });
});

describe('summarise', () => {
  it('takes the first sentences of the first paragraph, skipping list lines', () => {
    expect(summarise('- Punkt\nErster Satz. Zweiter Satz!\nAnderer Absatz.')).toBe(
      'Erster Satz. Zweiter Satz!',
    );
  });

  it('cuts a very long sentence at a word boundary with an ellipsis', () => {
    const long = `${'Wort '.repeat(100).trim()}.`;
    const s = summarise(long);
    expect(s.length).toBeLessThanOrEqual(300);
    expect(s.endsWith(' …')).toBe(true);
    expect(s).not.toMatch(/Wor …$/);
  });
});
