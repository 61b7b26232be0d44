import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotServer, messageActivity, type BotServer } from './helpers/bot-server.js';
import { startChannelService, type ChannelService } from './helpers/channel-service.js';

describe('POST /api/messages without an app id (emulator mode)', () => {
  let server: BotServer;
  let channel: ChannelService;

  beforeAll(async () => {
    server = await startBotServer();
    channel = await startChannelService();
  });
  afterAll(async () => {
    await server.close();
    await channel.close();
  });

  it('returns the bot replies in the response body for an expectReplies activity', async () => {
    const res = await server.post(
      messageActivity('https://unused.example/', { text: 'twice', deliveryMode: 'expectReplies' }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: Array<Record<string, unknown>> };
    expect(body.activities.map((a) => a.text)).toEqual(['echo: twice', 'and again']);
    expect(body.activities[0]).toMatchObject({
      type: 'message',
      replyToId: 'activity-1',
      conversation: { id: 'conv-1' },
      recipient: { id: 'user-1' },
    });
  });

  it('posts the reply to the serviceUrl as a reply to the inbound activity', async () => {
    const before = channel.received.length;
    const res = await server.post(
      messageActivity(channel.serviceUrl, { text: 'Perso abgelaufen' }),
    );
    expect(res.status).toBe(200);
    const calls = channel.received.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/v3/conversations/conv-1/activities/activity-1',
      body: { type: 'message', text: 'echo: Perso abgelaufen', replyToId: 'activity-1' },
    });
    expect(calls[0]?.headers.authorization).toBeUndefined();
  });

  it('posts to the conversation when the inbound activity has no id to reply to', async () => {
    const before = channel.received.length;
    const activity = messageActivity(channel.serviceUrl, { text: 'ohne id' });
    delete activity.id;
    const res = await server.post(activity);
    expect(res.status).toBe(200);
    expect(channel.received.slice(before).map((c) => c.path)).toEqual([
      '/v3/conversations/conv-1/activities',
    ]);
  });

  it('escapes the conversation id in the reply path', async () => {
    const before = channel.received.length;
    const res = await server.post(
      messageActivity(channel.serviceUrl, { conversation: { id: 'a:b/c d' } }),
    );
    expect(res.status).toBe(200);
    expect(channel.received.slice(before).map((c) => c.path)).toEqual([
      '/v3/conversations/a%3Ab%2Fc%20d/activities/activity-1',
    ]);
  });

  it('acknowledges an activity the bot does not answer with an empty 200', async () => {
    const before = channel.received.length;
    const res = await server.post(
      messageActivity(channel.serviceUrl, { type: 'conversationUpdate', text: undefined }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(channel.received.length).toBe(before);
  });
});
