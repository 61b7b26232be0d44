/**
 * The adapter the bot talks to: what it stamps on sent activities, what it stores and publishes,
 * what it refuses, and how it runs turns and proactive messages.
 */
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { DirectLineAdapter } from '../../../channels/directline/adapter.js';
import { StreamHub } from '../../../channels/directline/stream-hub.js';
import { activityId, readPage } from '../../../channels/directline/transcript-pages.js';
import { MemoryTranscripts } from './memory-transcripts.js';

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

function setUp() {
  const transcripts = new MemoryTranscripts();
  const streams = new StreamHub();
  const published: { activity: Partial<Activity>; watermark?: number }[] = [];
  streams.publish = (_conversationId, activity, watermark) => {
    published.push({ activity, watermark });
  };
  const adapter = new DirectLineAdapter({
    transcripts,
    streams,
    now: () => NOW,
    serviceUrl: 'https://chat.example/v3/directline',
  });
  return { transcripts, adapter, published };
}

const reference: Partial<ConversationReference> = {
  conversation: { id: 'conv-1' } as ConversationReference['conversation'],
  user: { id: 'user-1', name: 'Anna' },
};

describe('DirectLineAdapter', () => {
  it('stamps, stores and publishes what the bot sends', async () => {
    const { transcripts, adapter, published } = setUp();
    await adapter.continueConversation(reference, async (context) => {
      const response = await context.sendActivity({
        text: 'Hallo',
        from: { id: 'impostor', name: 'x' },
        channelId: 'msteams',
      } as Partial<Activity>);
      expect(response?.id).toBe(activityId('conv-1', 1));
    });

    const [stored] = transcripts.stored('conv-1');
    expect(stored).toMatchObject({
      type: 'message',
      text: 'Hallo',
      channelId: 'directline',
      serviceUrl: 'https://chat.example/v3/directline',
      conversation: { id: 'conv-1' },
      from: { id: 'lotse', name: 'Lotse', role: 'bot' },
      recipient: { id: 'user-1' },
      timestamp: new Date(NOW).toISOString(),
    });
    expect(published).toEqual([
      { activity: expect.objectContaining({ id: 'conv-1|0000001', text: 'Hallo' }), watermark: 1 },
    ]);
  });

  it('publishes typing without storing it, and drops trace activities', async () => {
    const { transcripts, adapter, published } = setUp();
    await adapter.continueConversation(reference, async (context) => {
      await context.sendActivities([{ type: 'typing' }, { type: 'trace', name: 'debug' }]);
    });
    expect(transcripts.stored('conv-1')).toEqual([]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ activity: { type: 'typing' }, watermark: undefined });
  });

  it('refuses to update or delete a sent activity, saying why', async () => {
    const { adapter } = setUp();
    await adapter.continueConversation(reference, async (context) => {
      await expect(context.updateActivity({ id: 'x', text: 'neu' })).rejects.toThrow(
        /not supported/,
      );
      await expect(context.deleteActivity('x')).rejects.toThrow(/not supported/);
    });
  });

  it('runs middleware before the bot logic on an incoming activity', async () => {
    const { adapter } = setUp();
    const order: string[] = [];
    adapter.use(async (_context, next) => {
      order.push('middleware');
      await next();
    });
    await adapter.processActivity(
      { type: 'message', text: 'x', conversation: { id: 'conv-1' } } as Partial<Activity>,
      async (context: TurnContext) => {
        order.push(`bot:${context.activity.text}`);
      },
    );
    expect(order).toEqual(['middleware', 'bot:x']);
  });

  it('lets processActivity reject when the bot fails, so the channel can apologise', async () => {
    const { adapter } = setUp();
    await expect(
      adapter.processActivity(
        { type: 'message', conversation: { id: 'conv-1' } } as Partial<Activity>,
        async () => {
          throw new Error('boom');
        },
      ),
    ).rejects.toThrow('boom');
  });

  it('records user and bot activities in one order, with ids from their watermarks', async () => {
    const { transcripts, adapter, published } = setUp();
    const conversation = { id: 'conv-2' } as Activity['conversation'];
    const recorded = await Promise.all([
      adapter.record({ type: 'message', text: 'a', conversation }),
      adapter.record({ type: 'message', text: 'b', conversation }),
      adapter.record({ type: 'message', text: 'c', conversation }),
    ]);
    expect(recorded.map((r) => r.id)).toEqual([
      'conv-2|0000001',
      'conv-2|0000002',
      'conv-2|0000003',
    ]);
    expect(published.map((p) => p.watermark)).toEqual([1, 2, 3]);
    const page = await readPage(transcripts, 'conv-2', 1);
    expect(page.activities.map((a) => [a.id, a.text])).toEqual([
      ['conv-2|0000002', 'b'],
      ['conv-2|0000003', 'c'],
    ]);
  });

  it('publishes in watermark order even when the store answers out of order', async () => {
    // A store that hands out watermarks at once but answers the calls last-in, first-out.
    const transcripts = new MemoryTranscripts();
    const pending: (() => void)[] = [];
    const append = transcripts.append.bind(transcripts);
    transcripts.append = async (conversationId, activity) => {
      const watermark = await append(conversationId, activity);
      await new Promise<void>((resolve) => pending.push(resolve));
      return watermark;
    };
    const streams = new StreamHub();
    const order: number[] = [];
    streams.publish = (_id, _activity, watermark) => {
      order.push(watermark ?? -1);
    };
    const adapter = new DirectLineAdapter({ transcripts, streams });
    const conversation = { id: 'conv-3' } as Activity['conversation'];
    const all = Promise.all(
      ['a', 'b', 'c'].map((text) => adapter.record({ type: 'message', text, conversation })),
    );
    let settled = false;
    void all.then(() => (settled = true));
    while (!settled) {
      await new Promise(setImmediate);
      pending.pop()?.();
    }
    expect(order).toEqual([1, 2, 3]);
  });

  it('waits for background work in whenIdle', async () => {
    const { adapter } = setUp();
    let done = false;
    let release!: () => void;
    adapter.runInBackground(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      done = true;
    });
    const idle = adapter.whenIdle();
    release();
    await idle;
    expect(done).toBe(true);
  });
});
