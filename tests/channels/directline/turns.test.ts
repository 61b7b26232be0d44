/**
 * What happens around a bot turn: the user's activity is stored before the bot runs, a failing
 * bot yields an apology instead of an error, typing is acknowledged without a turn, and a
 * client that sends too much is slowed down with a coded 429.
 */
import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { DIRECT_LINE_TEXTS } from '../../../channels/directline/texts.js';
import {
  call,
  type Harness,
  type HarnessOptions,
  SECRET,
  startConversation,
  startServer,
} from './harness.js';
import { MemoryTranscripts } from './memory-transcripts.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setUp(options: HarnessOptions = {}) {
  const transcripts = new MemoryTranscripts();
  harness = await startServer({ transcripts, ...options });
  const conversation = await startConversation(harness);
  const send = (activity: Record<string, unknown>) =>
    call<{ id: string }>(
      `${harness?.domain}/conversations/${conversation.conversationId}/activities`,
      {
        method: 'POST',
        auth: conversation.token,
        json: activity,
      },
    );
  return { harness, transcripts, conversation, send };
}

describe('a failing bot', () => {
  it('keeps the user activity, answers 200 and apologises in German', async () => {
    const { harness, transcripts, conversation, send } = await setUp();
    const response = await send({ type: 'message', text: 'fail' });
    expect(response.status).toBe(200);
    await harness.adapter.whenIdle();

    const stored = transcripts.stored(conversation.conversationId);
    const texts = stored.map((a) => a.text);
    expect(texts.slice(-2)).toEqual(['fail', DIRECT_LINE_TEXTS.de.turnFailed]);
    expect(stored.at(-1)).toMatchObject({ from: { role: 'bot' }, replyToId: response.body.id });
  });

  it('apologises in English to a user who writes with an English locale', async () => {
    const { harness, transcripts, conversation, send } = await setUp();
    await send({ type: 'message', text: 'fail', locale: 'en-GB' });
    await harness.adapter.whenIdle();
    expect(transcripts.stored(conversation.conversationId).at(-1)?.text).toBe(
      DIRECT_LINE_TEXTS.en.turnFailed,
    );
  });

  it('uses the configured errorText when there is one', async () => {
    const { harness, transcripts, conversation, send } = await setUp({
      errorText: 'Bitte rufen Sie die 115 an.',
    });
    await send({ type: 'message', text: 'fail' });
    await harness.adapter.whenIdle();
    expect(transcripts.stored(conversation.conversationId).at(-1)?.text).toBe(
      'Bitte rufen Sie die 115 an.',
    );
  });

  it('does not stop the conversation: the next message is answered', async () => {
    const { harness, transcripts, conversation, send } = await setUp();
    await send({ type: 'message', text: 'fail' });
    await send({ type: 'message', text: 'weiter' });
    await harness.adapter.whenIdle();
    expect(transcripts.stored(conversation.conversationId).at(-1)?.text).toBe('echo: weiter');
  });
});

describe('incoming activities', () => {
  it('acknowledges typing without storing it or running the bot', async () => {
    const turns: string[] = [];
    const { harness, transcripts, conversation, send } = await setUp({
      bot: async (context) => {
        turns.push(context.activity.type);
      },
    });
    const before = transcripts.stored(conversation.conversationId).length;
    const response = await send({ type: 'typing' });
    await harness.adapter.whenIdle();
    expect(response.status).toBe(200);
    expect(response.body.id).toContain('|typing-');
    expect(transcripts.stored(conversation.conversationId)).toHaveLength(before);
    expect(turns).toEqual(['conversationUpdate']);
  });

  it('gives the bot the channel fields, not the ones the client sent', async () => {
    const seen: Partial<Activity>[] = [];
    const { harness, conversation, send } = await setUp({
      bot: async (context) => {
        seen.push(context.activity);
      },
    });
    await send({
      type: 'message',
      text: 'hallo',
      channelId: 'msteams',
      conversation: { id: 'someone-else' },
      recipient: { id: 'other-bot' },
      serviceUrl: 'https://evil.example',
    });
    await harness.adapter.whenIdle();
    expect(seen.at(-1)).toMatchObject({
      channelId: 'directline',
      conversation: { id: conversation.conversationId },
      recipient: { id: 'lotse', role: 'bot' },
      serviceUrl: `${harness.domain}`,
    });
  });

  it('runs the turns of one conversation one after another', async () => {
    const events: string[] = [];
    const onStart: Record<string, () => void> = {};
    const release: Record<string, () => void> = {};
    const started = (text: string) => new Promise<void>((resolve) => (onStart[text] = resolve));
    const { harness, send } = await setUp({
      bot: async (context) => {
        const text = context.activity.text ?? '';
        if (context.activity.type !== 'message') return;
        events.push(`start ${text}`);
        onStart[text]?.();
        await new Promise<void>((resolve) => (release[text] = resolve));
        events.push(`end ${text}`);
      },
    });
    const eins = started('eins');
    const zwei = started('zwei');
    try {
      await send({ type: 'message', text: 'eins' });
      await send({ type: 'message', text: 'zwei' });
      await eins;
      expect(events).toEqual(['start eins']);

      release.eins?.();
      await zwei;
      expect(events).toEqual(['start eins', 'end eins', 'start zwei']);
    } finally {
      // Let every waiting turn finish, so a failed expectation does not hang the shutdown.
      for (const resolve of Object.values(release)) resolve();
    }
    await harness.adapter.whenIdle();
  });
});

describe('rate limits', () => {
  it('answers a client over its limit with a coded 429', async () => {
    harness = await startServer({ rateLimit: { max: 2, timeWindow: 60_000 } });
    const generate = () =>
      call(`${harness?.domain}/tokens/generate`, { method: 'POST', auth: SECRET, json: {} });
    expect((await generate()).status).toBe(200);
    expect((await generate()).status).toBe(200);
    const limited = await generate();
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'TooManyRequests' } } });
  });
});
