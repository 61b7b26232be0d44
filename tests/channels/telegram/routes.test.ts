import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import {
  SECRET_HEADER,
  startTelegram,
  telegramWebhook,
} from '../../../channels/telegram/routes.js';
import { RecordingAdapter, recordingLog } from './recording-adapter.js';

const SECRET = 'webhook_secret_0123456789';
const textUpdate = {
  update_id: 501,
  message: {
    message_id: 1,
    from: { id: 42, is_bot: false, first_name: 'Erika' },
    chat: { id: 42, type: 'private' },
    date: 1_736_150_400,
    text: 'Mein Perso läuft ab',
  },
};

let app: FastifyInstance;
let adapter: RecordingAdapter;
let log: ReturnType<typeof recordingLog>;
let client: {
  answerCallbackQuery: Mock<(id: string) => Promise<void>>;
  downloadFile: Mock<(fileId: string, maxBytes: number) => Promise<Buffer>>;
};

beforeEach(async () => {
  adapter = new RecordingAdapter();
  log = recordingLog();
  client = {
    answerCallbackQuery: vi.fn(async (_id: string) => undefined),
    downloadFile: vi.fn(async (_fileId: string, _maxBytes: number) => Buffer.from('x')),
  };
  app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(telegramWebhook, { client, adapter, secret: SECRET, maxFileBytes: 1000, log });
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

function post(payload: unknown, headers: Record<string, string> = { [SECRET_HEADER]: SECRET }) {
  return app.inject({
    method: 'POST',
    url: '/channels/telegram',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('POST /channels/telegram', () => {
  it('answers 200 at once and hands the update to the adapter in the background', async () => {
    const res = await post(textUpdate);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    await adapter.whenIdle();
    expect(adapter.received).toMatchObject([
      { deliveryId: '501', chat: { chatId: '42' }, userId: '42', text: 'Mein Perso läuft ab' },
    ]);
  });

  it('refuses a request without the secret header with 401', async () => {
    const res = await post(textUpdate, {});
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'TELEGRAM_SECRET_MISSING' } });
  });

  it('refuses a wrong secret with 403 before reading the body, and never reaches the adapter', async () => {
    for (const wrong of [`${SECRET}x`, SECRET.slice(0, -1), 'a']) {
      const res = await post(textUpdate, { [SECRET_HEADER]: wrong });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'TELEGRAM_SECRET_INVALID' } });
    }
    // Malformed JSON with a wrong secret is still a 403: the body was never parsed.
    expect((await post('{not json', { [SECRET_HEADER]: 'wrong' })).statusCode).toBe(403);
    await adapter.whenIdle();
    expect(adapter.received).toEqual([]);
  });

  it('takes malformed JSON and bodies that are not an Update from Telegram with 200, logging only the type', async () => {
    // Telegram redelivers an update it got no 2xx for, forever: an unreadable one is dropped.
    const broken = await post('{"update_id": 1, "text": "geheim",');
    expect(broken.statusCode).toBe(200);
    expect((await post('')).statusCode).toBe(200);
    expect((await post({ hello: 'world' })).statusCode).toBe(200);
    expect((await post([textUpdate])).statusCode).toBe(200);
    expect(
      (await post({ update_id: 7, message: { message_id: 1, text: 'geheim' } })).statusCode,
    ).toBe(200);
    await adapter.whenIdle();
    expect(adapter.received).toEqual([]);
    expect(log.lines.map((l) => [l.level, l.obj, l.msg])).toEqual([
      ['warn', { updateType: 'unreadable' }, 'telegram update not understood; ignored'],
      ['warn', { updateType: 'unreadable' }, 'telegram update not understood; ignored'],
      ['warn', { updateType: 'hello' }, 'telegram update not understood; ignored'],
      ['warn', { updateType: 'unknown' }, 'telegram update not understood; ignored'],
      ['warn', { updateType: 'message' }, 'telegram update not understood; ignored'],
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('geheim');
  });

  it('still refuses unreadable bodies without the right secret (401/403)', async () => {
    expect((await post('{"update_id": 1,', {})).statusCode).toBe(401);
    expect((await post({ hello: 'world' }, { [SECRET_HEADER]: 'wrong' })).statusCode).toBe(403);
  });

  it('refuses bodies over 1 MB with 413 but takes updates above the server-wide limit', async () => {
    const big = { ...textUpdate, padding: 'x'.repeat(1024 * 1024) };
    const res = await post(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'TELEGRAM_TOO_LARGE' } });
    const largeButFine = { ...textUpdate, padding: 'x'.repeat(100 * 1024) };
    expect((await post(largeButFine)).statusCode).toBe(200);
  });

  it('refuses bodies that are not JSON: 415 for unknown types; text is no Update (200)', async () => {
    const send = (type: string) =>
      app.inject({
        method: 'POST',
        url: '/channels/telegram',
        headers: { 'content-type': type, [SECRET_HEADER]: SECRET },
        payload: JSON.stringify(textUpdate),
      });
    const xml = await send('application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: { code: 'TELEGRAM_UNSUPPORTED_MEDIA_TYPE' } });
    expect((await send('text/plain')).statusCode).toBe(200);
    await adapter.whenIdle();
    expect(adapter.received).toEqual([]);
  });

  it('accepts unknown update types with 200 and logs only their type', async () => {
    const res = await post({
      update_id: 502,
      edited_message: { message_id: 1, date: 1, chat: { id: 42, type: 'private' }, text: 'geheim' },
    });
    expect(res.statusCode).toBe(200);
    await adapter.whenIdle();
    expect(adapter.received).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: 'info',
        obj: { updateId: 502, updateType: 'edited_message' },
        msg: 'telegram update ignored',
      },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('geheim');
  });

  it('answers a button press and passes its token on', async () => {
    await post({
      update_id: 503,
      callback_query: {
        id: 'cq-1',
        from: { id: 42, is_bot: false, first_name: 'Erika' },
        chat_instance: 'ci',
        message: { message_id: 3, date: 1, chat: { id: 42, type: 'private' } },
        data: 'tok-1',
      },
    });
    await adapter.whenIdle();
    expect(client.answerCallbackQuery).toHaveBeenCalledWith('cq-1');
    expect(adapter.received).toMatchObject([{ choiceToken: 'tok-1' }]);
  });

  it('keeps the choice when answering the button press fails', async () => {
    client.answerCallbackQuery.mockRejectedValueOnce(
      new Error('telegram answerCallbackQuery: 400 query is too old'),
    );
    await post({
      update_id: 504,
      callback_query: { id: 'old', from: { id: 42 }, chat_instance: 'ci', data: 'tok-2' },
    });
    await adapter.whenIdle();
    expect(adapter.received).toMatchObject([{ choiceToken: 'tok-2', chat: { chatId: '42' } }]);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('queues the choice without waiting for the button press to be answered', async () => {
    let answered!: () => void;
    client.answerCallbackQuery.mockImplementationOnce(
      () => new Promise<void>((resolve) => (answered = resolve)),
    );
    await post({
      update_id: 505,
      callback_query: { id: 'slow', from: { id: 42 }, chat_instance: 'ci', data: 'tok-3' },
    });
    await adapter.waitForReceived(1);
    expect(adapter.received).toMatchObject([{ choiceToken: 'tok-3' }]);
    expect(client.answerCallbackQuery).toHaveBeenCalledWith('slow');
    answered();
    await adapter.whenIdle();
  });

  it('logs a failed turn by update id and type, without the text, and does not crash', async () => {
    const failing = new RecordingAdapter(async () => {
      throw new Error('bot failed');
    });
    const other = Fastify({ logger: false });
    await other.register(telegramWebhook, {
      client,
      adapter: failing,
      secret: SECRET,
      maxFileBytes: 1000,
      log,
    });
    const res = await other.inject({
      method: 'POST',
      url: '/channels/telegram',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
      payload: JSON.stringify(textUpdate),
    });
    expect(res.statusCode).toBe(200);
    await failing.whenIdle();
    expect(log.lines).toMatchObject([
      {
        level: 'error',
        obj: { updateId: 501, updateType: 'message' },
        msg: 'telegram update failed',
      },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain('Perso');
    await other.close();
  });
});

describe('startTelegram', () => {
  const config = { token: '1:x', secret: SECRET, apiBase: 'https://api.telegram.org' };

  it('registers the webhook under the public URL with the secret', async () => {
    const setWebhook = vi.fn(async () => undefined);
    expect(await startTelegram(config, { setWebhook }, 'https://lotse.example/')).toBe(true);
    expect(setWebhook).toHaveBeenCalledWith('https://lotse.example/channels/telegram', SECRET);
  });

  it('calls nothing without a public URL', async () => {
    const setWebhook = vi.fn(async () => undefined);
    expect(await startTelegram(config, { setWebhook }, undefined)).toBe(false);
    expect(setWebhook).not.toHaveBeenCalled();
  });
});
