import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnContext } from 'botbuilder';
import { startBotServer, messageActivity, type BotServer } from './helpers/bot-server.js';
import { startChannelService, type ChannelService } from './helpers/channel-service.js';

const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

type ErrorBody = { error: { code: string; message: string } };

async function errorOf(res: Response): Promise<ErrorBody['error']> {
  const body = (await res.json()) as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  return body.error;
}

describe('POST /api/messages with a body that is not an activity', () => {
  let server: BotServer;

  beforeAll(async () => {
    server = await startBotServer({ maxBodyBytes: 4096 });
  });
  afterAll(() => server.close());

  it('answers malformed JSON with 400 LOTSE_BAD_ACTIVITY', async () => {
    const res = await server.post('{"type": "message",');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({
      code: 'LOTSE_BAD_ACTIVITY',
      message:
        'bot-framework: the body is not a Bot Framework activity: the body is not valid JSON',
    });
  });

  it('answers JSON that is not an object with 400', async () => {
    for (const body of ['[]', '"message"', 'null']) {
      const res = await server.post(body);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('LOTSE_BAD_ACTIVITY');
    }
  });

  it('names the missing field without echoing values', async () => {
    const activity = messageActivity(SERVICE_URL);
    delete activity.type;
    const res = await server.post(activity);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/: type: /);
  });

  it('refuses an activity without a channel id, which would skip the endorsement check', async () => {
    const res = await server.post(messageActivity(SERVICE_URL, { channelId: '' }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/: channelId: /);
  });

  it('refuses a serviceUrl that is not http(s)', async () => {
    const res = await server.post(messageActivity('file:///etc/passwd'));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/serviceUrl: expected an http\(s\) URL$/);
  });

  it('refuses an activity without a conversation', async () => {
    const res = await server.post(messageActivity(SERVICE_URL, { conversation: undefined }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/: conversation: /);
  });

  it('answers a body over the limit with 413', async () => {
    const res = await server.post(messageActivity(SERVICE_URL, { text: 'x'.repeat(5000) }));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('LOTSE_PAYLOAD_TOO_LARGE');
  });

  it('answers a media type fastify cannot parse with 415', async () => {
    const res = await server.post('<activity/>', { 'content-type': 'application/xml' });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('LOTSE_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers plain text with 400, as it is no activity', async () => {
    const res = await server.post('hallo', { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('LOTSE_BAD_ACTIVITY');
  });
});

describe('POST /api/messages when the turn fails', () => {
  const secret = 'Geheimnis im Stack';
  let server: BotServer;
  let refusingChannel: ChannelService;

  beforeAll(async () => {
    server = await startBotServer({
      bot: async (context: TurnContext) => {
        if (context.activity.text === 'boom') throw new Error(secret);
        if (context.activity.type === 'invoke') {
          await context.sendActivity({
            type: 'invokeResponse',
            value: { status: 200, body: { statusCode: 200, value: 'ok' } },
          });
          return;
        }
        await context.sendActivity('is anyone there?');
      },
    });
    // A 403 is not retried by the connector client, so the failure surfaces at once.
    refusingChannel = await startChannelService(403);
  });
  afterAll(async () => {
    await server.close();
    await refusingChannel.close();
  });

  it('answers 500 LOTSE_BOT_FAILED without the error message or a stack', async () => {
    const res = await server.post(
      messageActivity(SERVICE_URL, { text: 'boom', deliveryMode: 'expectReplies' }),
    );
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'LOTSE_BOT_FAILED',
        message: 'bot-framework: the bot could not complete this turn',
      },
    });
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('logs the failure once and sends exactly one response', async () => {
    const before = server.logs.length;
    await server.post(
      messageActivity(SERVICE_URL, { text: 'boom', deliveryMode: 'expectReplies' }),
    );
    const lines = server.logs.slice(before);
    expect(lines.map((l) => l.msg)).toEqual(['bot-framework: the bot failed a turn']);
  });

  it('answers 500 when the channel refuses the reply', async () => {
    const res = await server.post(messageActivity(refusingChannel.serviceUrl, { text: 'hallo' }));
    expect(res.status).toBe(500);
    expect(refusingChannel.received).toHaveLength(1);
    expect((await errorOf(res)).code).toBe('LOTSE_BOT_FAILED');
  });

  it('passes an invoke response chosen by the bot through unchanged', async () => {
    const res = await server.post(
      messageActivity(SERVICE_URL, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        text: undefined,
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ statusCode: 200, value: 'ok' });
  });

  it('keeps serving after failures', async () => {
    const res = await server.post(
      messageActivity(SERVICE_URL, { text: 'wieder da', deliveryMode: 'expectReplies' }),
    );
    expect(res.status).toBe(200);
  });
});
