import { describe, expect, it } from 'vitest';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('transcripts on $name', (backend) => {
  const context = useStores(backend);
  /** A conversation created as a channel creates it, for tests about its activities. */
  const started = async () => {
    const id = uniqueId('conversation');
    await context.stores.transcripts.createConversation({
      id,
      createdAt: new Date().toISOString(),
    });
    return id;
  };

  it('keeps a created conversation with its user id', async () => {
    const id = uniqueId('conversation');
    const record = { id, userId: 'user-1', createdAt: '2025-03-01T10:00:00.000Z' };
    await context.stores.transcripts.createConversation(record);
    expect(await context.stores.transcripts.getConversation(id)).toEqual(record);
  });

  it('keeps who on the staff opened a conversation for a caller, and the first one only', async () => {
    const id = uniqueId('conversation');
    const record = { id, enteredBy: 'anna', createdAt: '2025-03-01T10:00:00.000Z' };
    await context.stores.transcripts.createConversation(record);
    await context.stores.transcripts.createConversation({ ...record, enteredBy: 'ben' });
    expect(await context.stores.transcripts.getConversation(id)).toEqual(record);
  });

  it('returns undefined for a conversation it never saw', async () => {
    expect(await context.stores.transcripts.getConversation(uniqueId('unknown'))).toBeUndefined();
  });

  it('keeps the first user id and creation time when a conversation is created again', async () => {
    const id = uniqueId('conversation');
    const first = { id, userId: 'user-1', createdAt: '2025-03-01T10:00:00.000Z' };
    await context.stores.transcripts.createConversation(first);
    await context.stores.transcripts.createConversation({
      id,
      userId: 'intruder',
      createdAt: '2025-03-02T10:00:00.000Z',
    });
    expect(await context.stores.transcripts.getConversation(id)).toEqual(first);
  });

  it('numbers the activities of a conversation 1, 2, 3 in order', async () => {
    const id = uniqueId('conversation');
    await context.stores.transcripts.createConversation({
      id,
      createdAt: new Date().toISOString(),
    });
    const watermarks: number[] = [];
    for (const text of ['Hallo', 'Mein Perso läuft ab', 'Danke']) {
      watermarks.push(await context.stores.transcripts.append(id, { type: 'message', text }));
    }
    expect(watermarks).toEqual([1, 2, 3]);
    const { activities, watermark } = await context.stores.transcripts.list(id, 0);
    expect(activities.map((a) => a.text)).toEqual(['Hallo', 'Mein Perso läuft ab', 'Danke']);
    expect(watermark).toBe(3);
  });

  it('hands out watermarks 1 to 50 without gaps or duplicates under 50 concurrent appends', async () => {
    const id = uniqueId('conversation');
    await context.stores.transcripts.createConversation({
      id,
      createdAt: new Date().toISOString(),
    });
    const watermarks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        context.stores.transcripts.append(id, { type: 'message', text: `message ${i}` }),
      ),
    );
    expect([...watermarks].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    const { activities, watermark } = await context.stores.transcripts.list(id, 0);
    expect(activities).toHaveLength(50);
    expect(watermark).toBe(50);
    const texts = activities.map((a) => a.text);
    watermarks.forEach((w, i) => expect(texts[w - 1]).toBe(`message ${i}`));
  });

  it('lists only the activities after a watermark, at most the limit', async () => {
    const id = await started();
    for (let i = 1; i <= 20; i += 1) {
      await context.stores.transcripts.append(id, { type: 'message', text: `m${i}` });
    }
    const page = await context.stores.transcripts.list(id, 10, 5);
    expect(page.activities.map((a) => a.text)).toEqual(['m11', 'm12', 'm13', 'm14', 'm15']);
    expect(page.watermark).toBe(15);
  });

  it('returns the given watermark when nothing came after it', async () => {
    const id = await started();
    await context.stores.transcripts.append(id, { type: 'message', text: 'only one' });
    expect(await context.stores.transcripts.list(id, 1)).toEqual({ activities: [], watermark: 1 });
    expect(await context.stores.transcripts.list(uniqueId('unknown'), 7)).toEqual({
      activities: [],
      watermark: 7,
    });
  });

  it('counts each conversation on its own', async () => {
    const one = await started();
    const two = await started();
    expect(await context.stores.transcripts.append(one, { type: 'message' })).toBe(1);
    expect(await context.stores.transcripts.append(two, { type: 'message' })).toBe(1);
    expect(await context.stores.transcripts.append(one, { type: 'message' })).toBe(2);
  });

  it('refuses to append to a conversation that does not exist (deleted): none is recreated', async () => {
    const id = uniqueId('conversation');
    await expect(
      context.stores.transcripts.append(id, { type: 'message', text: 'late reply' }),
    ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_CONVERSATION_GONE' });
    expect(await context.stores.transcripts.getConversation(id)).toBeUndefined();
  });

  it('stores the whole activity, with nested channel data, as it was given', async () => {
    const id = await started();
    const activity = {
      type: 'message',
      id: 'a-1',
      text: 'Wo beantrage ich einen Anwohnerparkausweis?',
      from: { id: 'user-1', name: 'Jana' },
      channelData: { clientActivityID: 'c-42', nested: [1, { deep: true }] },
      timestamp: new Date('2025-03-01T10:00:00.000Z'),
    };
    await context.stores.transcripts.append(id, activity);
    const { activities } = await context.stores.transcripts.list(id, 0);
    expect(activities).toEqual([{ ...activity, timestamp: '2025-03-01T10:00:00.000Z' }]);
  });

  it('refuses a negative watermark or a zero limit', async () => {
    await expect(context.stores.transcripts.list('x', -1)).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_INVALID_INPUT',
    });
    await expect(context.stores.transcripts.list('x', 0, 0)).rejects.toMatchObject({
      code: 'LOTSE_STORAGE_INVALID_INPUT',
    });
  });
});
