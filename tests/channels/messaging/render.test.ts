/**
 * The rendering layer: one bot activity shown as buttons, a list or numbered text by what the
 * channel can show, formatted by the channel and split to its length limit.
 */
import { ActionTypes, type Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import {
  offeredChoices,
  plainText,
  presentationFor,
  renderActivity,
  splitToFit,
} from '../../../channels/messaging/render.js';
import type { ChannelCapabilities, ChannelFormat } from '../../../channels/messaging/types.js';

/** A channel format that marks bold with <b> and escapes <, to see formatting and escaping. */
function channel(capabilities: Partial<ChannelCapabilities>): ChannelFormat {
  return {
    capabilities: {
      maxButtons: 0,
      maxButtonTitle: 0,
      maxListRows: 0,
      maxListRowTitle: 0,
      maxTextLength: 4096,
      ...capabilities,
    },
    format: (md) => md.replace(/</g, '&lt;').replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>'),
  };
}

const telegramLike = channel({ maxButtons: 8, maxButtonTitle: 64 });
const whatsappLike = channel({
  maxButtons: 3,
  maxButtonTitle: 20,
  maxListRows: 10,
  maxListRowTitle: 24,
});
const matrixLike = channel({});

function withChoices(titles: string[], text = 'Bitte wählen Sie:'): Partial<Activity> {
  return {
    type: 'message',
    text,
    suggestedActions: {
      to: [],
      actions: titles.map((title, i) => ({
        type: ActionTypes.MessageBack,
        title,
        text: title,
        displayText: title,
        value: { pick: i },
      })),
    },
  };
}

describe('presentation', () => {
  it.each([
    ['buttons on Telegram', telegramLike, ['Ja', 'Nein'], 'buttons'],
    [
      'buttons on WhatsApp for three short titles',
      whatsappLike,
      ['Ja', 'Nein', 'Vielleicht'],
      'buttons',
    ],
    ['a list on WhatsApp for four', whatsappLike, ['A', 'B', 'C', 'D'], 'list'],
    [
      'a list on WhatsApp for titles of 21–24 characters',
      whatsappLike,
      ['Straßenbeleuchtung xy'],
      'list',
    ],
    [
      'numbers on WhatsApp for eleven',
      whatsappLike,
      Array.from({ length: 11 }, (_, i) => `W${i}`),
      'numbered',
    ],
    [
      'numbers on WhatsApp for a long title',
      whatsappLike,
      ['Jetzt beantragen: Bewohnerparkausweis'],
      'numbered',
    ],
    ['numbers on Matrix', matrixLike, ['Ja'], 'numbered'],
    ['nothing without choices', telegramLike, [], 'none'],
  ])('%s', (_name, format, titles, expected) => {
    expect(presentationFor(titles, format)).toBe(expected);
  });
});

describe('renderActivity', () => {
  it('numbers the choices in the text with a hint, in the activity’s language', () => {
    const de = renderActivity(withChoices(['Ja', 'Nein']), matrixLike, ['t1', 't2']);
    expect(de.parts.at(-1)).toContain('1. Ja\n2. Nein');
    expect(de.parts.at(-1)).toContain('Antworten Sie mit der Nummer');
    const en = renderActivity({ ...withChoices(['Yes']), locale: 'en-GB' }, matrixLike, ['t']);
    expect(en.parts.at(-1)).toContain('Reply with the number');
    expect(de.choices).toEqual([
      { number: 1, title: 'Ja', token: 't1' },
      { number: 2, title: 'Nein', token: 't2' },
    ]);
  });

  it('keeps buttons out of the text where the channel shows buttons', () => {
    const r = renderActivity(withChoices(['Ja', 'Nein']), telegramLike, ['a', 'b']);
    expect(r.presentation).toBe('buttons');
    expect(r.parts).toEqual(['Bitte wählen Sie:']);
  });

  it('formats and escapes through the channel, with a plain twin of each part', () => {
    const r = renderActivity({ type: 'message', text: '**Gebühr** <script>' }, telegramLike, []);
    expect(r.parts).toEqual(['<b>Gebühr</b> &lt;script>']);
    expect(r.plainParts).toEqual(['Gebühr <script>']);
  });

  it('offers web links as links and writes other links (tel:) into the text', () => {
    const r = renderActivity(
      {
        type: 'message',
        text: 'Niemand ist online.',
        suggestedActions: {
          to: [],
          actions: [
            { type: ActionTypes.OpenUrl, title: '115 anrufen', value: 'tel:115' },
            { type: ActionTypes.OpenUrl, title: 'Online', value: 'https://stadt.example/a' },
          ],
        },
      },
      telegramLike,
      [],
    );
    expect(r.parts[0]).toContain('115 anrufen: tel:115');
    expect(r.links).toEqual([{ title: 'Online', url: 'https://stadt.example/a' }]);
    expect(r.choices).toEqual([]);
  });

  it('splits long texts at paragraphs so that every formatted part fits', () => {
    const paragraph = `**Absatz** ${'wort '.repeat(150)}`.trim();
    const text = Array.from({ length: 12 }, () => paragraph).join('\n\n');
    const r = renderActivity({ type: 'message', text }, channel({ maxTextLength: 4096 }), []);
    expect(r.parts.length).toBeGreaterThan(1);
    for (const part of r.parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(r.parts.join('\n\n')).toBe(text.replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>'));
  });
});

describe('splitToFit', () => {
  const identity = (s: string) => s.length;

  it('falls back to lines, words and characters', () => {
    expect(splitToFit('aaaa bbbb\ncccc', 9, identity)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitToFit('aaaa bbbb cccc', 9, identity)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitToFit('x'.repeat(25), 10, identity)).toEqual([
      'x'.repeat(10),
      'x'.repeat(10),
      'x'.repeat(5),
    ]);
  });
});

describe('offeredChoices', () => {
  it('sends back a messageBack’s text and value, and an imBack’s value as typed text', () => {
    const { choices } = offeredChoices({
      suggestedActions: {
        to: [],
        actions: [
          {
            type: ActionTypes.MessageBack,
            title: 'Absenden',
            displayText: 'Absenden',
            value: { flowAction: 'submit' },
          },
          {
            type: ActionTypes.ImBack,
            title: 'Mitarbeiter sprechen',
            value: 'Mitarbeiter sprechen',
          },
        ],
      },
    });
    expect(choices).toEqual([
      { title: 'Absenden', reply: { text: 'Absenden', value: { flowAction: 'submit' } } },
      { title: 'Mitarbeiter sprechen', reply: { text: 'Mitarbeiter sprechen' } },
    ]);
  });

  it('reduces Markdown to plain text, leaving stars that are no emphasis', () => {
    expect(plainText('**Fett** und [Quelle](https://a.example/x)')).toBe(
      'Fett und Quelle (https://a.example/x)',
    );
    expect(plainText('*kursiv* und 5 * 3 * 2')).toBe('kursiv und 5 * 3 * 2');
  });
});
