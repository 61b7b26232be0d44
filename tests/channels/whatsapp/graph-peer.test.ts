import { describe, expect, it } from 'vitest';
import { messageViolation } from './graph-peer.js';

const to = '4917612345678';
const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
const buttons = (titles: string[]) => ({
  ...base,
  type: 'interactive',
  interactive: {
    type: 'button',
    body: { text: 'Bitte wählen' },
    action: {
      buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `t.${i}`, title } })),
    },
  },
});
const list = (titles: string[], button = 'Auswählen') => ({
  ...base,
  type: 'interactive',
  interactive: {
    type: 'list',
    body: { text: 'Bitte wählen' },
    action: { button, sections: [{ rows: titles.map((title, i) => ({ id: `t.${i}`, title })) }] },
  },
});

describe('the Graph peer checks messages as Graph does', () => {
  it('accepts documented messages', () => {
    expect(messageViolation({ ...base, type: 'text', text: { body: 'Hallo' } })).toBeUndefined();
    expect(messageViolation(buttons(['Ja', 'Nein', 'Vielleicht']))).toBeUndefined();
    expect(messageViolation(list(Array.from({ length: 10 }, (_, i) => `Zeile ${i}`)))).toBe(
      undefined,
    );
    expect(
      messageViolation({
        ...base,
        type: 'template',
        template: { name: 'lotse_neue_nachricht', language: { code: 'de' } },
      }),
    ).toBeUndefined();
  });

  it('refuses what breaks the limits', () => {
    expect(messageViolation({ ...base, messaging_product: undefined })).toMatch(
      /messaging_product/,
    );
    expect(messageViolation({ ...base, type: 'text', text: { body: 'x'.repeat(4097) } })).toMatch(
      /4096/,
    );
    expect(messageViolation(buttons(['a', 'b', 'c', 'd']))).toMatch(/1 to 3 buttons/);
    expect(messageViolation(buttons(['x'.repeat(21)]))).toMatch(/title/);
    expect(messageViolation(buttons(['Ja', 'Ja']))).toMatch(/repeat/);
    expect(messageViolation(list(Array.from({ length: 11 }, (_, i) => `Zeile ${i}`)))).toMatch(
      /rows/,
    );
    expect(messageViolation(list(['x'.repeat(25)]))).toMatch(/row title/);
    expect(messageViolation(list(['a'], 'x'.repeat(21)))).toMatch(/action.button/);
  });
});
