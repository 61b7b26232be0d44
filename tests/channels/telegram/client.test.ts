import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderActivity } from '../../../channels/messaging/render.js';
import type { RenderedMessage } from '../../../channels/messaging/types.js';
import { TelegramClient } from '../../../channels/telegram/client.js';
import {
  TelegramApiError,
  TelegramFileTooLargeError,
  TelegramTransportError,
} from '../../../channels/telegram/errors.js';
import { BotApiPeer } from './bot-api-peer.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345';
const chat = { chatId: '4711' };

function message(overrides: Partial<RenderedMessage> = {}): RenderedMessage {
  return {
    parts: ['Hallo'],
    plainParts: ['Hallo'],
    presentation: 'none',
    choices: [],
    links: [],
    ...overrides,
  };
}

/** Sleeps that end only when the test moves the clock past them. */
class ManualClock {
  private now = 0;
  private readonly sleepers: { until: number; wake: () => void }[] = [];
  private announce: ((ms: number) => void) | undefined;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.sleepers.push({ until: this.now + ms, wake });
      this.announce?.(ms);
    });

  /** Resolves with the length of the next sleep once the client starts it. */
  nextSleep(): Promise<number> {
    return new Promise((resolve) => (this.announce = resolve));
  }

  advance(ms: number): void {
    this.now += ms;
    for (const sleeper of this.sleepers.filter((s) => s.until <= this.now)) {
      this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
      sleeper.wake();
    }
  }
}

let peer: BotApiPeer;
let apiBase: string;

beforeEach(async () => {
  peer = new BotApiPeer(TOKEN);
  apiBase = await peer.start();
});

afterEach(async () => {
  await peer.stop();
});

describe('TelegramClient.send', () => {
  it('sends HTML text to the chat, with the numeric chat id', async () => {
    await new TelegramClient({ token: TOKEN, apiBase }).send(chat, message());
    expect(peer.callsOf('sendMessage')).toEqual([
      { chat_id: 4711, text: 'Hallo', parse_mode: 'HTML' },
    ]);
  });

  it('sends several parts in order, with the keyboard on the last one only', async () => {
    await new TelegramClient({ token: TOKEN, apiBase }).send(
      chat,
      message({
        parts: ['Teil 1', 'Teil 2', 'Teil 3'],
        presentation: 'buttons',
        choices: [
          { number: 1, title: 'Ja', token: 'c:1' },
          { number: 2, title: 'Nein', token: 'c:2' },
        ],
      }),
    );
    const sent = peer.callsOf('sendMessage');
    expect(sent.map((p) => p.text)).toEqual(['Teil 1', 'Teil 2', 'Teil 3']);
    expect(sent.slice(0, 2).every((p) => p.reply_markup === undefined)).toBe(true);
    expect(sent[2]?.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'Ja', callback_data: 'c:1' }],
        [{ text: 'Nein', callback_data: 'c:2' }],
      ],
    });
  });

  it('shows web links as URL buttons; the renderer has put other links (tel:) into the text', async () => {
    const client = new TelegramClient({ token: TOKEN, apiBase });
    const rendered = renderActivity(
      {
        text: 'Hallo',
        suggestedActions: {
          to: [],
          actions: [
            { type: 'openUrl', title: 'Online beantragen', value: 'https://example.org/antrag' },
            { type: 'openUrl', title: '115 anrufen', value: 'tel:115' },
          ],
        },
      },
      client,
      [],
    );
    await client.send(chat, rendered);
    const [sent] = peer.callsOf('sendMessage');
    expect(sent?.text).toBe('Hallo\n\n115 anrufen: tel:115');
    expect(sent?.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Online beantragen', url: 'https://example.org/antrag' }]],
    });
  });

  it('refuses a link that cannot be a button before sending any part', async () => {
    const send = new TelegramClient({ token: TOKEN, apiBase }).send(
      chat,
      message({ parts: ['Teil 1', 'Teil 2'], links: [{ title: '115', url: 'tel:115' }] }),
    );
    await expect(send).rejects.toThrow(/link 1 is not an http\(s\) URL/);
    expect(peer.calls).toHaveLength(0);
  });

  it('adds no choice buttons when the choices are numbered in the text', async () => {
    await new TelegramClient({ token: TOKEN, apiBase }).send(
      chat,
      message({
        parts: ['1. Ja\n2. Nein'],
        presentation: 'numbered',
        choices: [{ number: 1, title: 'Ja', token: 'c:1' }],
      }),
    );
    expect(peer.callsOf('sendMessage')[0]?.reply_markup).toBeUndefined();
  });

  it('hangs buttons on a short text when the message has none', async () => {
    await new TelegramClient({ token: TOKEN, apiBase }).send(
      chat,
      message({
        parts: [''],
        presentation: 'buttons',
        choices: [{ number: 1, title: 'OK', token: 't' }],
      }),
    );
    expect(peer.callsOf('sendMessage')).toHaveLength(1);
    expect(peer.callsOf('sendMessage')[0]?.text).not.toBe('');
  });

  it('refuses a choice token Telegram would reject, before sending anything', async () => {
    const client = new TelegramClient({ token: TOKEN, apiBase });
    const send = client.send(
      chat,
      message({
        presentation: 'buttons',
        choices: [{ number: 1, title: 'x', token: 'x'.repeat(65) }],
      }),
    );
    await expect(send).rejects.toThrow(/65 bytes/);
    expect(peer.calls).toHaveLength(0);
  });

  it('throws Telegram’s description on an error, without the token', async () => {
    peer.script('sendMessage', {
      status: 403,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const error = await new TelegramClient({ token: TOKEN, apiBase })
      .send(chat, message())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramApiError);
    expect((error as Error).message).toBe(
      'telegram sendMessage: 403 Forbidden: bot was blocked by the user',
    );
    expect(String((error as Error).stack)).not.toContain(TOKEN);
  });

  it('reports a peer that does not answer as a transport error, without the token', async () => {
    await peer.stop();
    const error = await new TelegramClient({ token: TOKEN, apiBase })
      .send(chat, message())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramTransportError);
    expect((error as Error).message).toMatch(/^telegram sendMessage: request failed/);
    expect((error as Error).message).not.toContain(TOKEN);
    peer = new BotApiPeer(TOKEN);
    await peer.start();
  });
});

describe('TelegramClient flood control', () => {
  it('waits retry_after seconds after a 429 and only then retries', async () => {
    peer.script('sendMessage', {
      status: 429,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      retry_after: 3,
    });
    // A manual clock: vitest's fake setTimeout would also stop fetch's own timers.
    const clock = new ManualClock();
    const client = new TelegramClient({ token: TOKEN, apiBase, sleep: clock.sleep });
    const sending = client.send(chat, message());
    expect(await clock.nextSleep()).toBe(3000);
    clock.advance(2999);
    await Promise.resolve();
    expect(peer.callsOf('sendMessage')).toHaveLength(1);
    const retried = new Promise<void>((resolve) => (peer.onCall = () => resolve()));
    clock.advance(1);
    await retried;
    await sending;
    expect(peer.callsOf('sendMessage')).toHaveLength(2);
  });

  it('gives up after three retries and throws the 429', async () => {
    const tooMany = {
      status: 429,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      retry_after: 1,
    };
    peer.script('sendMessage', tooMany, tooMany, tooMany, tooMany);
    const waits: number[] = [];
    const client = new TelegramClient({
      token: TOKEN,
      apiBase,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(client.send(chat, message())).rejects.toMatchObject({
      errorCode: 429,
      retryAfter: 1,
    });
    expect(waits).toEqual([1000, 1000, 1000]);
    expect(peer.callsOf('sendMessage')).toHaveLength(4);
  });

  it('does not wait out a retry_after longer than allowed', async () => {
    peer.script('sendMessage', {
      status: 429,
      error_code: 429,
      description: 'Too Many Requests: retry after 600',
      retry_after: 600,
    });
    const sleep = vi.fn(async () => undefined);
    const client = new TelegramClient({ token: TOKEN, apiBase, sleep });
    await expect(client.send(chat, message())).rejects.toBeInstanceOf(TelegramApiError);
    expect(sleep).not.toHaveBeenCalled();
  });
});

describe('TelegramClient proactive messages', () => {
  it('reports a user who blocked the bot as skipped, a delivered message as sent', async () => {
    peer.script('sendMessage', {
      status: 403,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const client = new TelegramClient({ token: TOKEN, apiBase });
    expect(await client.sendProactive(chat, message())).toBe('skipped');
    expect(await client.sendProactive(chat, message())).toBe('sent');
  });
});

describe('TelegramClient Bot API calls', () => {
  it('answers a callback query by its id', async () => {
    await new TelegramClient({ token: TOKEN, apiBase }).answerCallbackQuery('cq-1');
    expect(peer.callsOf('answerCallbackQuery')).toEqual([{ callback_query_id: 'cq-1' }]);
  });

  it('registers the webhook with the secret and only the update types Lotse handles', async () => {
    await new TelegramClient({ token: TOKEN, apiBase }).setWebhook(
      'https://lotse.example/channels/telegram',
      'secret_0123456789',
    );
    expect(peer.callsOf('setWebhook')).toEqual([
      {
        url: 'https://lotse.example/channels/telegram',
        secret_token: 'secret_0123456789',
        allowed_updates: ['message', 'callback_query'],
        drop_pending_updates: false,
      },
    ]);
  });

  it('downloads a file through getFile and the file URL', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    peer.addFile('photo-1', bytes);
    const client = new TelegramClient({ token: TOKEN, apiBase });
    expect(await client.downloadFile('photo-1', 1024)).toEqual(bytes);
    expect(peer.callsOf('getFile')).toEqual([{ file_id: 'photo-1' }]);
  });

  it('refuses a file larger than allowed without downloading it', async () => {
    peer.addFile('big', Buffer.alloc(2048));
    const client = new TelegramClient({ token: TOKEN, apiBase });
    await expect(client.downloadFile('big', 1024)).rejects.toBeInstanceOf(
      TelegramFileTooLargeError,
    );
  });
});
