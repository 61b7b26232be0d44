import { describe, expect, it } from 'vitest';
import { drive, payloadOf, registry } from './drive.js';

const flow = (id: string) => registry.get(id)!;

describe('Mängelmeldung', () => {
  it('reports a pothole at an address with a photo, without contact, as an Open311 request', () => {
    const r = drive(flow('maengelmeldung'), [
      'Schlagloch',
      'Marienplatz 8, 80331 München',
      'Tiefes Loch vor dem Rathaus',
      {
        value: {
          attachment: { contentUrl: 'https://lotse.example/a/1', contentType: 'image/jpeg' },
        },
      },
      'nein',
      'Absenden',
    ]);
    expect(payloadOf(r)).toEqual({
      service_code: 'road-damage',
      description: 'Tiefes Loch vor dem Rathaus',
      address_string: 'Marienplatz 8, 80331 München',
      media_url: 'https://lotse.example/a/1',
    });
  });

  it('takes a shared location, rejects a PDF as photo, and corrects the description', () => {
    const r = drive(flow('maengelmeldung'), [
      'Laterne',
      { value: { type: 'GeoCoordinates', latitude: 48.137, longitude: 11.575 } },
      'Lampe flackert',
      {
        value: {
          attachment: { contentUrl: 'https://lotse.example/a/2', contentType: 'application/pdf' },
        },
      },
    ]);
    expect(r.at(-1)!.replies[0]!.text).toBe('Bitte senden Sie ein Foto im Format JPEG oder PNG.');
    const done = drive(flow('maengelmeldung'), [
      'Laterne',
      { value: { type: 'GeoCoordinates', latitude: 48.137, longitude: 11.575 } },
      'Lampe flackert',
      'überspringen',
      'ja',
      'erika@example.org',
      'nein, die Beschreibung ist Lampe ist ganz aus',
      'ja',
    ]);
    expect(payloadOf(done)).toMatchObject({
      service_code: 'street-light',
      lat: 48.137,
      long: 11.575,
      description: 'Lampe ist ganz aus',
      email: 'erika@example.org',
    });
  });
});

describe('Bewohnerparkausweis', () => {
  it('quotes the catalogue fee in the choice and the submission', () => {
    const r = drive(flow('bewohnerparkausweis'), [
      'Erika Muster',
      'Hauptstraße 5, 80331 München',
      'M-AB 1234',
      'nein',
      'Firma Beispiel GmbH',
    ]);
    expect(
      r
        .at(-1)!
        .replies.at(-1)!
        .choices!.map((c) => c.title),
    ).toEqual(['12 Monate gültig: 30 Euro', '24 Monate gültig: 60 Euro']);
    const done = drive(flow('bewohnerparkausweis'), [
      'Erika Muster',
      'Hauptstraße 5, 80331 München',
      'M-AB 1234',
      'nein',
      'Firma Beispiel GmbH',
      { value: { flowAnswer: '24' } },
      'absenden',
    ]);
    expect(payloadOf(done)).toEqual({
      service: '1072043',
      applicant: { name: 'Erika Muster', address: 'Hauptstraße 5, 80331 München' },
      vehicle: { plate: 'M-AB 1234', holder: 'Firma Beispiel GmbH' },
      validityMonths: 24,
      fee: '24 Monate gültig: 60 Euro',
    });
  });

  it('rejects an invalid plate and an address without postcode with clear messages', () => {
    const r = drive(flow('bewohnerparkausweis'), ['Erika Muster', 'Hauptstraße 5']);
    expect(r.at(-1)!.replies[0]!.text).toContain('Postleitzahl');
    const plate = drive(flow('bewohnerparkausweis'), [
      'Erika Muster',
      'Hauptstraße 5, 80331 München',
      '123',
    ]);
    expect(plate.at(-1)!.state?.current).toBe('plate');
    expect(plate.at(-1)!.replies[0]!.text).not.toBe('');
  });
});

describe('Wohnsitzanmeldung', () => {
  it('registers a move and flags a registration later than two weeks', () => {
    const r = drive(flow('wohnsitzanmeldung'), [
      'Erika Muster',
      '12.3.1990',
      '1.11.2026',
      'Sonnenstraße 12, 80331 München',
      'Bahnhofstraße 1, 10115 Berlin',
      'ja',
      '1',
      'ja',
    ]);
    expect(payloadOf(r)).toMatchObject({
      person: { name: 'Erika Muster', birthDate: '1990-03-12' },
      moveInDate: '2026-11-01',
      newAddress: 'Sonnenstraße 12, 80331 München',
      lateRegistration: true,
      householdMembers: 1,
    });
  });

  it('refuses a move-in date in the future', () => {
    const r = drive(flow('wohnsitzanmeldung'), ['Erika Muster', '12.3.1990', '24.12.2026']);
    expect(r.at(-1)!.replies[0]!.text).toContain('in der Zukunft');
  });
});

describe('Kindergeld', () => {
  it('collects child, parents, tax ids, IBAN and the eligibility questions', () => {
    const r = drive(flow('kindergeld'), [
      'Erika Muster',
      '65929970489',
      'Deutschland',
      'Max Muster',
      '1.6.2026',
      '65929970489',
      'ja',
      'überspringen',
      'DE89 3704 0044 0532 0130 00',
      'Erika Muster',
      'ja',
    ]);
    expect(payloadOf(r)).toMatchObject({
      child: { name: 'Max Muster', birthDate: '2026-06-01', inHousehold: true, inEducation: null },
      payment: { iban: 'DE89370400440532013000' },
      eligibility: 'likely',
    });
  });

  it('rejects an IBAN with a wrong checksum', () => {
    const r = drive(flow('kindergeld'), [
      'Erika Muster',
      '65929970489',
      'Deutschland',
      'Max Muster',
      '1.6.2026',
      '65929970489',
      'ja',
      'überspringen',
      'DE89 3704 0044 0532 0130 01',
    ]);
    expect(r.at(-1)!.state?.current).toBe('iban');
    expect(r.at(-1)!.replies[0]!.text).toMatch(/IBAN/);
  });
});

describe('FlowRegistry', () => {
  it('opens a flow when the user asks for it', () => {
    expect(registry.requested('Ich möchte einen Bewohnerparkausweis beantragen')?.id).toBe(
      'bewohnerparkausweis',
    );
    expect(registry.requested('Ich will Kindergeld beantragen')?.id).toBe('kindergeld');
    expect(registry.requested('Ich möchte ein Schlagloch melden')?.id).toBe('maengelmeldung');
    expect(registry.requested('Was kostet ein Bewohnerparkausweis?')).toBeUndefined();
  });

  it('finds the flow of a catalogue service', () => {
    expect(registry.forService('1063475')?.id).toBe('wohnsitzanmeldung');
  });
});
