/**
 * The Direct Line channel on the real SQL transcript store (SQLite in memory), so the id and
 * watermark scheme is checked against the store the product runs on, not only the test double.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { DirectLineClient } from './directline-client.js';
import { call, GREETING, type Harness, SECRET, startServer } from './harness.js';

let stores: Stores;
let harness: Harness;
let chat: DirectLineClient | undefined;

beforeEach(async () => {
  stores = await openStores({ dataDir: ':memory:' });
  harness = await startServer({ transcripts: stores.transcripts });
});

afterEach(async () => {
  chat?.end();
  chat = undefined;
  await harness.close();
  await stores.close();
});

describe('Direct Line on the SQL transcript store', () => {
  it('talks with directlinejs and resumes after a watermark', async () => {
    const generated = await call<{ token: string; conversationId: string }>(
      `${harness.domain}/tokens/generate`,
      { method: 'POST', auth: SECRET, json: { user: { id: 'sql-user' } } },
    );
    const { token, conversationId } = generated.body;
    chat = new DirectLineClient({ domain: harness.domain, token });
    await chat.waitForText(GREETING);
    const id = await chat.post({ type: 'message', from: { id: 'sql-user' }, text: 'SQL' });
    const echo = await chat.waitFor((a) => a.id === id);
    expect(echo.text).toBe('SQL');
    await chat.waitForText('echo: SQL');
    await harness.adapter.whenIdle();

    const page = await call<{ activities: { id: string; text?: string }[]; watermark: string }>(
      `${harness.domain}/conversations/${conversationId}/activities?watermark=2`,
      { auth: token },
    );
    expect(page.body).toEqual({
      activities: [
        expect.objectContaining({ id: `${conversationId}|0000003`, text: 'SQL' }),
        expect.objectContaining({ id: `${conversationId}|0000004`, text: 'echo: SQL' }),
      ],
      watermark: '4',
    });
    expect(await stores.transcripts.getConversation(conversationId)).toMatchObject({
      userId: 'sql-user',
    });
  });
});
