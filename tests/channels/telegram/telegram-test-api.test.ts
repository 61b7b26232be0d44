/**
 * Lotse's Telegram channel against telegram-test-api as the Bot API peer: Lotse registers its
 * webhook, a test user writes and presses buttons, and reads what the bot sent back.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../../channels/messaging/types.js';
import { TelegramClient } from '../../../channels/telegram/client.js';
import { startTelegram, telegramWebhook } from '../../../channels/telegram/routes.js';
import { RecordingAdapter, recordingLog } from './recording-adapter.js';
import { startTelegramPeer, type TelegramPeer } from './telegram-peer.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345';
const SECRET = 'webhook_secret_0123456789';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

const reply: RenderedMessage = {
  parts: ['Ist das <b>richtig</b>?'],
  plainParts: ['Ist das richtig?'],
  presentation: 'buttons',
  choices: [
    { number: 1, title: 'Ja', token: 'tok-yes' },
    { number: 2, title: 'Nein', token: 'tok-no' },
  ],
  links: [{ title: 'Mehr erfahren', url: 'https://example.org/info' }],
};

let app: FastifyInstance;
let peer: TelegramPeer;
let client: TelegramClient;
let adapter: RecordingAdapter;
let log: ReturnType<typeof recordingLog>;

beforeEach(async () => {
  app = Fastify({ logger: false });
  peer = await startTelegramPeer(TOKEN, app);
  client = new TelegramClient({ token: TOKEN, apiBase: peer.apiBase });
  adapter = new RecordingAdapter(async (message) => client.send(message.chat, reply));
  log = recordingLog();
  await app.register(telegramWebhook, { client, adapter, secret: SECRET, maxFileBytes: 1024, log });
  await app.ready();
  await startTelegram(
    { token: TOKEN, secret: SECRET, apiBase: peer.apiBase },
    client,
    peer.publicUrl,
  );
});

afterEach(async () => {
  await peer.stop();
  await app.close();
});

/** Sends as the user and waits until the webhook took it and the turn is done. */
async function deliver(send: () => Promise<unknown>): Promise<void> {
  await peer.deliver(send);
  await adapter.whenIdle();
}

describe('Telegram against telegram-test-api', () => {
  it('delivers a bot message with an inline keyboard and a link button to the user', async () => {
    await client.send({ chatId: '4711' }, reply);
    const { result } = await peer.user().getUpdates();
    expect(result).toHaveLength(1);
    expect(result[0]?.message).toMatchObject({
      chat_id: 4711,
      text: 'Ist das <b>richtig</b>?',
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [
          [{ text: 'Ja', callback_data: 'tok-yes' }],
          [{ text: 'Nein', callback_data: 'tok-no' }],
          [{ text: 'Mehr erfahren', url: 'https://example.org/info' }],
        ],
      },
    });
  });

  it('passes a user’s message through the webhook with the registered secret and answers', async () => {
    const user = peer.user();
    await deliver(() => user.sendMessage(user.makeMessage('Was kostet ein Reisepass?')));
    expect(adapter.received).toMatchObject([
      {
        chat: { chatId: '4711' },
        userId: '4711',
        userName: 'Erika',
        text: 'Was kostet ein Reisepass?',
      },
    ]);
    const { result } = await user.getUpdates();
    expect(result.map((u) => u.message.text)).toEqual(['Ist das <b>richtig</b>?']);
  });

  it('turns /start into the help, which says what Lotse can do', async () => {
    const user = peer.user();
    await deliver(() => user.sendCommand(user.makeCommand('/start')));
    expect(adapter.received[0]?.text).toBe('Hilfe');
  });

  it('passes a pressed button’s token on and answers the press', async () => {
    const user = peer.user();
    await deliver(() => user.sendCallback(user.makeCallbackQuery('tok-yes')));
    expect(adapter.received).toMatchObject([{ chat: { chatId: '4711' }, choiceToken: 'tok-yes' }]);
    expect(log.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('downloads a photo the user sends and passes on a shared location', async () => {
    const user = peer.user();
    const file = peer.media.addFile('photo-1', JPEG);
    await deliver(() =>
      user.sendMessage(
        user.makeMessage('', {
          caption: 'Schlagloch',
          photo: [{ ...file, width: 800, height: 600 }],
        } as Parameters<typeof user.makeMessage>[1]),
      ),
    );
    await deliver(() =>
      user.sendMessage(
        user.makeMessage('', {
          location: { latitude: 53.5511, longitude: 9.9937 },
        } as Parameters<typeof user.makeMessage>[1]),
      ),
    );
    expect(adapter.received).toMatchObject([
      { text: 'Schlagloch', file: { bytes: JPEG, contentType: 'image/jpeg' } },
      { location: { latitude: 53.5511, longitude: 9.9937 } },
    ]);
    expect(new Set(adapter.received.map((m) => m.deliveryId)).size).toBe(2);
  });

  it('hands a photo and a location sent right after it to the adapter in that order', async () => {
    const user = peer.user();
    const file = peer.media.addFile('photo-slow', JPEG);
    const slow = peer.media.holdDownloads();
    // Two updates, two webhook requests; neither waits for the other's turn.
    await peer.deliver(() =>
      user.sendMessage(
        user.makeMessage('', {
          photo: [{ ...file, width: 800, height: 600 }],
        } as Parameters<typeof user.makeMessage>[1]),
      ),
    );
    await peer.deliver(() =>
      user.sendMessage(
        user.makeMessage('', {
          location: { latitude: 53.5511, longitude: 9.9937 },
        } as Parameters<typeof user.makeMessage>[1]),
      ),
    );
    await slow.requested;
    // The photo's download is stuck; the location waits behind it instead of overtaking it.
    expect(adapter.received).toHaveLength(1);
    slow.release();
    await adapter.whenIdle();
    expect(adapter.received).toMatchObject([
      { file: { bytes: JPEG, contentType: 'image/jpeg' } },
      { location: { latitude: 53.5511, longitude: 9.9937 } },
    ]);
  });
});
