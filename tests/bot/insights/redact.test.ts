import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DIAGNOSTIC_LENGTH,
  MAX_QUESTION_LENGTH,
  redactDiagnostic,
  redactQuestion,
} from '../../../bot/insights/redact.js';

describe('redactQuestion', () => {
  it.each([
    [
      'Meine Mail ist max.mustermann@example.org, bitte antworten',
      'Meine Mail ist [E-Mail], bitte antworten',
    ],
    ['Schreiben Sie an anna_b+amt@sub.stadt-muenchen.de', 'Schreiben Sie an [E-Mail]'],
    ['IBAN DE89 3704 0044 0532 0130 00 ändern', 'IBAN [IBAN] ändern'],
    ['Konto DE89370400440532013000', 'Konto [IBAN]'],
    ['GB82 WEST 1234 5698 7654 32 geht das?', '[IBAN] geht das?'],
    ['Ruf mich an: +49 (0)89 123 456-78', 'Ruf mich an: [Telefon]'],
    ['Tel 0171/1234567 bitte', 'Tel [Telefon] bitte'],
    ['Nummer 0049 89 1234567', 'Nummer [Telefon]'],
    ['geboren am 12.03.1980', 'geboren am [Datum]'],
    ['Termin am 3.4. um 10 Uhr', 'Termin am [Datum] um 10 Uhr'],
    ['seit 1980-03-12 gemeldet', 'seit [Datum] gemeldet'],
    ['Ich wohne in der Hauptstraße 5a, 80331 München', 'Ich wohne in der Hauptstraße #, # München'],
    ['Am Ring 12 ist eine Laterne kaputt', 'Am Ring # ist eine Laterne kaputt'],
    ['Lindwurmstr. 7 b Schlagloch', 'Lindwurmstr. # Schlagloch'],
    ['Steuer-ID 12345678901 vergessen', 'Steuer-ID # vergessen'],
    ['Aktenzeichen 2024/123', 'Aktenzeichen #/#'],
    ['siehe https://www.muenchen.de/rathaus/x?id=123&u=max', 'siehe [Link: muenchen.de]'],
    ['www.example.org/profil/anna öffnen', '[Link: example.org] öffnen'],
  ])('masks %j as %j', (text, expected) => {
    expect(redactQuestion(text)).toBe(expected);
  });

  it.each([
    'Was kostet ein Personalausweis?',
    'Kosten 27,60 Euro?',
    'Ich brauche 2 Passbilder',
    'Wo ist das Bürgerbüro?',
    'Kann ich 5 Hunde anmelden?',
  ])('leaves %j (no personal data) as it is', (text) => {
    expect(redactQuestion(text)).toBe(text);
  });

  it('collapses whitespace and cuts long questions to the maximum without splitting characters', () => {
    expect(redactQuestion('  Hunde\n\tsteuer   zahlen ')).toBe('Hunde steuer zahlen');
    const long = '😀ä'.repeat(400);
    const redacted = redactQuestion(long);
    expect(Array.from(redacted)).toHaveLength(MAX_QUESTION_LENGTH);
    expect(redacted.endsWith('…')).toBe(true);
    expect(redacted).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  const words = fc.constantFrom(
    'Hundesteuer',
    'bitte',
    'Antrag',
    'wo',
    'ich',
    'Reisepass',
    'zahlen',
    'Kita',
  );
  const email = fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9._-]{0,12}$/),
      fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      fc.constantFrom('de', 'org', 'com', 'bayern'),
    )
    .map(([user, host, tld]) => `${user}@${host}.${tld}`);
  const phone = fc
    .tuple(fc.integer({ min: 2, max: 9999 }), fc.integer({ min: 10_000, max: 99_999_999 }))
    .chain(([area, number]) =>
      fc.constantFrom(`0${area} ${number}`, `+49 ${area} ${number}`, `0${area}/${number}`),
    );
  const longNumber = fc.integer({ min: 100, max: Number.MAX_SAFE_INTEGER }).map(String);
  const iban = fc.stringMatching(/^\d{20}$/).map(
    (digits) =>
      `DE${digits.slice(0, 2)} ${digits
        .slice(2)
        .replace(/(\d{4})/g, '$1 ')
        .trim()}`,
  );
  const personal = fc.oneof(email, phone, longNumber, iban);

  it('leaves no e-mail address and no run of three digits in any question', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(words, personal), { minLength: 1, maxLength: 12 }), (parts) => {
        const redacted = redactQuestion(parts.join(' '));
        expect(redacted).not.toMatch(/\d{3}/);
        expect(redacted).not.toMatch(/@/);
      }),
    );
  });

  it('keeps the question around the personal data', () => {
    fc.assert(
      fc.property(words, personal, words, (before, data, after) => {
        const redacted = redactQuestion(`${before} ${data} ${after}`);
        expect(redacted.startsWith(`${before} `)).toBe(true);
        expect(redacted.endsWith(` ${after}`)).toBe(true);
      }),
    );
  });

  it('is idempotent: masking a masked question changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(words, personal, fc.string()), { maxLength: 10 }), (parts) => {
        const once = redactQuestion(parts.join(' '));
        expect(redactQuestion(once)).toBe(once);
      }),
    );
  });
});

describe('redactDiagnostic', () => {
  it('keeps status codes, hosts and ports that tell staff what failed', () => {
    expect(
      redactDiagnostic('HTTP 503 from https://backend.example/api?token=abc at 127.0.0.1:8080'),
    ).toBe('HTTP 503 from [Link: backend.example] at 127.0.0.1:8080');
  });

  it('masks e-mail addresses, IBANs and long numbers a backend echoed', () => {
    expect(
      redactDiagnostic(
        'invalid email anna@example.org, iban DE89370400440532013000, tel 01711234567',
      ),
    ).toBe('invalid email [E-Mail], iban [IBAN], tel #');
  });

  it('cuts long errors to the maximum', () => {
    expect(Array.from(redactDiagnostic('x'.repeat(1000)))).toHaveLength(MAX_DIAGNOSTIC_LENGTH);
  });
});
