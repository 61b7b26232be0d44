import { describe, expect, it } from 'vitest';
import { formatWhatsApp, neutralise } from '../../../channels/whatsapp/format.js';

describe('WhatsApp formatting of Lotse Markdown', () => {
  it('writes bold with single asterisks and italics with underscores', () => {
    expect(formatWhatsApp('**Gebühr:** 37 €, *bar oder EC*')).toBe('*Gebühr:* 37 €, _bar oder EC_');
  });

  it('writes web links as "title: url" and other links as their title only', () => {
    expect(formatWhatsApp('[Online beantragen](https://service.hamburg.de/a_b?x=1)')).toBe(
      'Online beantragen: https://service.hamburg.de/a_b?x=1',
    );
    expect(formatWhatsApp('Rufen Sie [115 an](tel:115).')).toBe('Rufen Sie 115 an.');
    expect(formatWhatsApp('[https://hamburg.de](https://hamburg.de)')).toBe('https://hamburg.de');
  });

  it('keeps "- " lists, line breaks and paragraphs', () => {
    const text = 'Unterlagen:\n- Personalausweis\n- Foto\n\nBitte mitbringen.';
    expect(formatWhatsApp(text)).toBe(text);
  });

  it('makes formatting characters in plain text literal with look-alikes', () => {
    const out = formatWhatsApp(
      'Bitte \\*nicht\\* fett, _nicht kursiv_, ~nicht durch~, `kein Code`',
    );
    expect(out).toBe('Bitte ∗nicht∗ fett, ˍnicht kursivˍ, ∼nicht durch∼, ˋkein Codeˋ');
    expect(out).not.toMatch(/[*_~`]/);
  });

  it('leaves markers inside words, e-mail addresses and bare URLs alone', () => {
    expect(neutralise('max_muster@hamburg.de, 3*4, https://x.de/_a_/b')).toBe(
      'max_muster@hamburg.de, 3*4, https://x.de/_a_/b',
    );
  });

  it('drops emphasis inside a word, where WhatsApp would show the asterisks', () => {
    expect(formatWhatsApp('Anwohner**parken**')).toBe('Anwohnerparken');
  });

  it('does not let a quote marker at a line start become a WhatsApp quote', () => {
    expect(formatWhatsApp('> zitiert')).toBe('› zitiert');
  });

  it('keeps Lotse emphasis around text that contains markers', () => {
    expect(formatWhatsApp('**Aktenzeichen _A1_**')).toBe('*Aktenzeichen ˍA1ˍ*');
  });
});
