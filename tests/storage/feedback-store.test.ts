import { describe, expect, it } from 'vitest';
import type { FeedbackRecord } from '../../storage/types.js';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('feedback on $name', (backend) => {
  const context = useStores(backend);

  it('gives back what was recorded, newest first', async () => {
    const conversationId = uniqueId('conversation');
    const older: FeedbackRecord = {
      conversationId,
      activityId: 'answer-1',
      serviceId: '10115',
      facet: 'fees',
      rating: 'up',
      createdAt: '2025-03-01T10:00:00.000Z',
    };
    const newer: FeedbackRecord = {
      conversationId,
      activityId: 'answer-2',
      rating: 'down',
      createdAt: '2025-03-01T10:05:00.000Z',
    };
    await context.stores.feedback.record(older);
    await context.stores.feedback.record(newer);
    const listed = await context.stores.feedback.list();
    expect(listed.filter((f) => f.conversationId === conversationId)).toEqual([newer, older]);
  });

  it('replaces the rating when the same answer is rated again', async () => {
    const conversationId = uniqueId('conversation');
    const base = { conversationId, activityId: 'answer-1' };
    await context.stores.feedback.record({
      ...base,
      rating: 'up',
      createdAt: '2025-03-02T10:00:00.000Z',
    });
    await context.stores.feedback.record({
      ...base,
      rating: 'down',
      createdAt: '2025-03-02T10:01:00.000Z',
    });
    const mine = (await context.stores.feedback.list()).filter(
      (f) => f.conversationId === conversationId,
    );
    expect(mine).toEqual([{ ...base, rating: 'down', createdAt: '2025-03-02T10:01:00.000Z' }]);
  });

  it('returns at most the requested number of ratings', async () => {
    const conversationId = uniqueId('conversation');
    for (let i = 0; i < 3; i += 1) {
      await context.stores.feedback.record({
        conversationId,
        activityId: `answer-${i}`,
        rating: 'up',
        createdAt: `2099-01-01T00:00:0${i}.000Z`,
      });
    }
    const listed = await context.stores.feedback.list({ limit: 2 });
    expect(listed.map((f) => f.activityId)).toEqual(['answer-2', 'answer-1']);
  });

  it('refuses a rating other than up or down', async () => {
    await expect(
      context.stores.feedback.record({
        conversationId: 'c',
        activityId: 'a',
        rating: 'meh' as 'up',
        createdAt: '2025-03-01T10:00:00.000Z',
      }),
    ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
  });
});
