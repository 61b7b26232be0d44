/**
 * The messenger adapter between a channel and the bot, with real stores: each delivery once,
 * floods slowed, pressed buttons and typed numbers turned back into the choice they stood for,
 * photos kept as attachments, both sides in the transcript, failures apologised for, and
 * proactive messages a channel declines reported as not sent.
 */
import type { TurnContext } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelMessenger } from '../../../channels/citizen-messenger.js';
import { MemoryUploadStore } from '../../../channels/directline/uploads.js';
import { MessengerAdapter } from '../../../channels/messaging/messenger-adapter.js';
import { MemoryFloodLimiter } from '../../../channels/messaging/flood-gate.js';
import { MESSAGING_TEXTS } from '../../../channels/messaging/texts.js';
import type {
  ChannelCapabilities,
  ChannelClient,
  ChatAddress,
  InboundFile,
  InboundMessage,
  ProactiveOutcome,
  RenderedMessage,
} from '../../../channels/messaging/types.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { yesNoQuestion } from './test-bots.js';

/** Records what the adapter sends; `proactive` plays WhatsApp's 24-hour window. */
class RecordingClient implements ChannelClient {
  readonly channelId = 'testchat';
  readonly sent: { chat: ChatAddress; message: RenderedMessage }[] = [];
  proactive: ProactiveOutcome = 'sent';
  constructor(readonly capabilities: ChannelCapabilities) {}
  format(markdown: string) {
    return markdown;
  }
  async send(chat: ChatAddress, message: RenderedMessage) {
    this.sent.push({ chat, message });
  }
  async sendProactive(chat: ChatAddress, message: RenderedMessage): Promise<ProactiveOutcome> {
    if (this.proactive === 'sent') await this.send(chat, message);
    return this.proactive;
  }
  texts(): string[] {
    return this.sent.map((s) => s.message.plainParts.join('\n'));
  }
}

const BUTTONS: ChannelCapabilities = {
  maxButtons: 3,
  maxButtonTitle: 20,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 4096,
};
const NUMBERS: ChannelCapabilities = { ...BUTTONS, maxButtons: 0 };

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);

/** A bot that says what it got, and offers two choices when asked to. */
async function echoBot(context: TurnContext): Promise<void> {
  const a = context.activity;
  if (a.type !== 'message') return;
  if (a.text === 'explode') throw new Error('boom');
  if (a.text === 'wähle') {
    await context.sendActivity(yesNoQuestion('Bitte wählen:'));
    return;
  }
  const parts = [
    `text=${a.text ?? ''}`,
    `value=${JSON.stringify(a.value ?? null)}`,
    `geo=${JSON.stringify(a.entities?.[0] ?? null)}`,
    `file=${a.attachments?.[0]?.contentUrl ?? ''}`,
  ];
  await context.sendActivity({ type: 'message', text: parts.join(' ') });
}

let stores: Stores;
let uploads: MemoryUploadStore;
let client: RecordingClient;
let adapter: MessengerAdapter;
let delivery = 0;

function build(capabilities: ChannelCapabilities, perMinute = 20) {
  client = new RecordingClient(capabilities);
  adapter = new MessengerAdapter({
    client,
    store: stores.channels,
    transcripts: stores.transcripts,
    uploads,
    attachmentBase: () => 'https://lotse.example/v3/directline',
    maxUploadBytes: 4 * 2 ** 20,
    flood: new MemoryFloodLimiter(perMinute),
    bot: echoBot,
    log: { warn: () => undefined },
  });
}

beforeEach(async () => {
  stores = await openStores({ dataDir: ':memory:' });
  uploads = new MemoryUploadStore();
  build(BUTTONS);
});
afterEach(() => stores.close());

/** A file loader as channels hand it over, counting its calls. */
let loads = 0;
function loaded(file: InboundFile, gate?: Promise<void>): () => Promise<InboundFile> {
  return async () => {
    loads += 1;
    await gate;
    return file;
  };
}

function message(fields: Partial<InboundMessage> = {}): InboundMessage {
  delivery += 1;
  return {
    deliveryId: `d${delivery}`,
    chat: { chatId: 'chat-1' },
    userId: 'user-1',
    sentAt: new Date(),
    ...fields,
  };
}

describe('deliveries', () => {
  it('handles a delivery once, however often it comes', async () => {
    const first = message({ text: 'Hallo' });
    expect(await adapter.receive(first)).toBe('processed');
    expect(await adapter.receive(first)).toBe('duplicate');
    expect(client.texts()).toEqual(['text=Hallo value=null geo=null file=']);
  });

  it('slows down a flood with one polite reply', async () => {
    build(BUTTONS, 2);
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await adapter.receive(message({ text: `m${i}` })));
    expect(outcomes).toEqual(['processed', 'processed', 'limited', 'limited']);
    expect(client.texts().at(-1)).toBe(MESSAGING_TEXTS.de.slowDown);
    expect(client.sent).toHaveLength(3);
  });

  it('apologises when the turn fails, and keeps the user’s message in the transcript', async () => {
    await adapter.receive(message({ text: 'explode' }));
    expect(client.texts()).toEqual([MESSAGING_TEXTS.de.failed]);
    const { activities } = await stores.transcripts.list('testchat:chat-1', 0);
    expect(activities[0]).toMatchObject({ text: 'explode', from: { id: 'testchat:user-1' } });
  });
});

describe('choices', () => {
  it('turns a pressed button back into the choice’s text and value', async () => {
    await adapter.receive(message({ text: 'wähle' }));
    const offered = client.sent.at(-1)!.message;
    expect(offered.presentation).toBe('buttons');
    await adapter.receive(message({ choiceToken: offered.choices[1]!.token }));
    expect(client.texts().at(-1)).toBe('text=Nein value={"answer":"nein"} geo=null file=');
  });

  it('does not take a button of another conversation: it says the choice is stale', async () => {
    await adapter.receive(message({ text: 'wähle' }));
    const token = client.sent.at(-1)!.message.choices[0]!.token;
    await adapter.receive(message({ chat: { chatId: 'chat-2' }, choiceToken: token }));
    expect(client.sent.at(-1)).toMatchObject({ chat: { chatId: 'chat-2' } });
    expect(client.texts().at(-1)).toBe(MESSAGING_TEXTS.de.choiceExpired);
  });

  it('reads a typed number as the numbered choice, until a message without choices', async () => {
    build(NUMBERS);
    await adapter.receive(message({ text: 'wähle' }));
    expect(client.sent.at(-1)!.message.presentation).toBe('numbered');
    await adapter.receive(message({ text: '2' }));
    expect(client.texts().at(-1)).toBe('text=Nein value={"answer":"nein"} geo=null file=');
    await adapter.receive(message({ text: '2' }));
    expect(client.texts().at(-1)).toBe('text=2 value=null geo=null file=');
  });
});

describe('locations and files', () => {
  it('passes a location as GeoCoordinates', async () => {
    await adapter.receive(message({ location: { latitude: 48.137, longitude: 11.575 } }));
    expect(client.texts().at(-1)).toContain(
      'geo={"type":"GeoCoordinates","latitude":48.137,"longitude":11.575}',
    );
  });

  it('keeps a photo as an attachment the flows can use, and refuses what is not one', async () => {
    await adapter.receive(message({ file: loaded({ bytes: JPEG, contentType: 'image/jpeg' }) }));
    const url = /file=(\S+)/.exec(client.texts().at(-1)!)![1]!;
    expect(url).toMatch(/^https:\/\/lotse\.example\/v3\/directline\/attachments\/.+/);
    const stored = await uploads.get(url.split('/').pop()!);
    expect(stored?.bytes.equals(JPEG)).toBe(true);

    await adapter.receive(
      message({ file: loaded({ bytes: Buffer.from('MZ…'), contentType: 'image/jpeg' }) }),
    );
    expect(client.texts().at(-1)).toBe(MESSAGING_TEXTS.de.fileRefused(4));
    await adapter.receive(
      message({
        file: loaded({
          bytes: Buffer.concat([JPEG, Buffer.alloc(4 * 2 ** 20)]),
          contentType: 'image/jpeg',
        }),
      }),
    );
    expect(client.texts().at(-1)).toBe(MESSAGING_TEXTS.de.fileRefused(4));
  });
});

describe('transcripts and proactive messages', () => {
  it('records both sides of the conversation', async () => {
    await adapter.receive(message({ text: 'Hallo' }));
    const { activities } = await stores.transcripts.list('testchat:chat-1', 0);
    expect(activities.map((a) => [a.from?.role, a.text])).toEqual([
      ['user', 'Hallo'],
      ['bot', 'text=Hallo value=null geo=null file='],
    ]);
  });

  it('reports a proactive message the channel declined as not sent', async () => {
    const messenger = new ChannelMessenger().register('testchat', adapter.sender());
    const reference = { channelId: 'testchat', conversation: { id: 'testchat:chat-1' } };
    expect(await messenger.send(reference, { type: 'message', text: 'Hallo von Anna' })).toBe(true);
    expect(client.sent.at(-1)?.chat).toEqual({ chatId: 'chat-1' });
    client.proactive = 'template';
    expect(await messenger.send(reference, { type: 'message', text: 'Nur die Vorlage' })).toBe(
      false,
    );
    client.proactive = 'skipped';
    expect(await messenger.send(reference, { type: 'message', text: 'Später' })).toBe(false);
    const { activities } = await stores.transcripts.list('testchat:chat-1', 0);
    expect(activities.map((a) => a.text)).not.toContain('Nur die Vorlage');
  });
});

describe('order, replays and stale input', () => {
  it('keeps a chat’s messages in arrival order while a photo is still loading', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const photo = message({ file: loaded({ bytes: JPEG, contentType: 'image/jpeg' }, gate) });
    const place = message({ location: { latitude: 48.1, longitude: 11.5 } });
    const first = adapter.inOrder('chat-1', () => adapter.receive(photo));
    const second = adapter.inOrder('chat-1', () => adapter.receive(place));
    release();
    await Promise.all([first, second]);
    expect(client.texts()[0]).toContain('file=https://');
    expect(client.texts()[1]).toContain('GeoCoordinates');
  });

  it('fetches nothing for a replayed delivery', async () => {
    const photo = message({ file: loaded({ bytes: JPEG, contentType: 'image/jpeg' }) });
    await adapter.receive(photo);
    const before = loads;
    expect(await adapter.receive(photo)).toBe('duplicate');
    expect(loads).toBe(before);
  });

  it('asks the user to send a file again when the channel could not deliver it', async () => {
    await adapter.receive(message({ file: async () => Promise.reject(new Error('network down')) }));
    expect(client.texts().at(-1)).toBe(MESSAGING_TEXTS.de.fileUnavailable);
  });

  it('answers a button that is no longer current', async () => {
    await adapter.receive(message({ choiceToken: 'gone0000.1' }));
    expect(client.texts()).toEqual([MESSAGING_TEXTS.de.choiceExpired]);
  });

  it('keeps numbered choices after its own texts (a failure apology), not after the bot’s', async () => {
    build(NUMBERS);
    await adapter.receive(message({ text: 'wähle' }));
    await adapter.receive(message({ text: 'explode' }));
    await adapter.receive(message({ text: '1' }));
    expect(client.texts().at(-1)).toBe('text=Ja value={"answer":"ja"} geo=null file=');
  });
});
