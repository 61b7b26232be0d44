/**
 * The protocol as Microsoft's own client speaks it: botframework-directlinejs against a real
 * server, over the WebSocket stream and by polling.
 */
import type { Activity } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionStatus, DirectLineClient } from './directline-client.js';
import { call, GREETING, type Harness, SECRET, startServer } from './harness.js';

let harness: Harness;
const clients: DirectLineClient[] = [];

function client(options: ConstructorParameters<typeof DirectLineClient>[0]): DirectLineClient {
  const created = new DirectLineClient({ domain: harness.domain, ...options });
  clients.push(created);
  return created;
}

async function generateToken(user?: string): Promise<{ token: string; conversationId: string }> {
  const response = await call<{ token: string; conversationId: string }>(
    `${harness.domain}/tokens/generate`,
    { method: 'POST', auth: SECRET, json: user ? { user: { id: user } } : {} },
  );
  return response.body;
}

/** A one-pixel PNG. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

beforeEach(async () => {
  harness = await startServer();
});

afterEach(async () => {
  for (const created of clients.splice(0)) created.end();
  await harness.close();
});

describe.each([
  { transport: 'the WebSocket stream', webSocket: true },
  { transport: 'polling', webSocket: false },
])('botframework-directlinejs over $transport', ({ webSocket }) => {
  it('gets the greeting, the echo of its message with id and clientActivityID, and the reply', async () => {
    const { token, conversationId } = await generateToken('citizen-1');
    const chat = client({ token, webSocket });
    await chat.waitForText(GREETING);

    const id = await chat.post({
      type: 'message',
      from: { id: 'citizen-1' },
      text: 'Hallo',
      channelData: { clientActivityID: 'client-42' },
    });

    const echo = await chat.waitFor((a) => a.id === id);
    expect(echo).toMatchObject({
      type: 'message',
      text: 'Hallo',
      from: { id: 'citizen-1', role: 'user' },
      conversation: { id: conversationId },
      channelData: { clientActivityID: 'client-42' },
    });
    const reply = await chat.waitForText('echo: Hallo');
    expect(reply).toMatchObject({ from: { role: 'bot' }, replyToId: id });
    // 1 is the conversationUpdate, 2 the greeting.
    expect(id).toBe(`${conversationId}|0000003`);
    expect(harness.adapter.streams.subscriberCount(conversationId)).toBe(webSocket ? 1 : 0);
  });
});

describe('resuming with botframework-directlinejs', () => {
  it('reconnects with conversationId and watermark and gets only what is newer', async () => {
    const { token, conversationId } = await generateToken('citizen-2');
    const first = client({ token });
    await first.waitForText(GREETING);
    await first.post({ type: 'message', from: { id: 'citizen-2' }, text: 'eins' });
    await first.waitForText('echo: eins');
    const watermark = first.watermark;
    first.end();

    // While the page is closed, the bot sends a status update.
    await harness.adapter.continueConversation(
      {
        conversation: { id: conversationId } as Activity['conversation'],
        user: { id: 'citizen-2', name: '' },
      },
      async (context) => {
        await context.sendActivity('Ihr Antrag ist eingegangen.');
      },
    );

    const resumed = client({ token, conversationId, watermark });
    const update = await resumed.waitForText('Ihr Antrag ist eingegangen.');
    expect(resumed.received).toEqual([update]);
    expect(watermark).toBe('4');
    expect(resumed.watermark).toBe('5');
  });

  it('greets a conversation once even when its token starts it twice', async () => {
    const { token, conversationId } = await generateToken('citizen-3');
    const first = client({ token });
    await first.waitForText(GREETING);
    first.end();

    const second = client({ token });
    await second.post({ type: 'message', from: { id: 'citizen-3' }, text: 'zwei' });
    await second.waitForText('echo: zwei');
    await harness.adapter.whenIdle();

    const page = await call<{ activities: Activity[] }>(
      `${harness.domain}/conversations/${conversationId}/activities`,
      { auth: token },
    );
    const greetings = page.body.activities.filter((a) => a.text === GREETING);
    expect(greetings).toHaveLength(1);
    expect(second.received.filter((a) => a.text === GREETING)).toHaveLength(1);
  });

  it('greets a conversation that the client resumes by id before anyone started it', async () => {
    // A page backend hands out token and conversation id; directlinejs then only "reconnects".
    const { token, conversationId } = await generateToken('citizen-6');
    const chat = client({ token, conversationId });
    await chat.waitForText(GREETING);
    await chat.post({ type: 'message', from: { id: 'citizen-6' }, text: 'drei' });
    await chat.waitForText('echo: drei');
    expect(chat.received.filter((a) => a.text === GREETING)).toHaveLength(1);
  });

  it('reports an expired token as ExpiredToken, as it does with Azure', async () => {
    const { token } = await generateToken('citizen-4');
    const chat = client({ token, webSocket: false });
    await chat.waitForText(GREETING);

    harness.clock.now += 1801 * 1000;
    await chat.waitForStatus(ConnectionStatus.ExpiredToken);
  });
});

describe('file upload with botframework-directlinejs', () => {
  it('turns a PNG into a message with an attachment served by the server', async () => {
    const { token } = await generateToken('citizen-5');
    const chat = client({ token });
    await chat.waitForText(GREETING);

    const id = await chat.post({
      type: 'message',
      from: { id: 'citizen-5' },
      attachments: [
        {
          contentType: 'image/png',
          contentUrl: `data:image/png;base64,${PNG_BASE64}`,
          name: 'schaden.png',
        },
      ],
      channelData: { clientActivityID: 'upload-1' },
    });

    const echo = await chat.waitFor((a) => a.id === id);
    expect(echo.channelData).toMatchObject({ clientActivityID: 'upload-1' });
    const [attachment] = echo.attachments ?? [];
    expect(attachment).toMatchObject({ contentType: 'image/png', name: 'schaden.png' });
    expect(attachment?.contentUrl).toMatch(
      new RegExp(`^${harness.domain.replace(/[.]/g, '\\.')}/attachments/[A-Za-z0-9_-]{43}$`),
    );
    await chat.waitForText('received: schaden.png (image/png)');

    const file = await fetch(attachment?.contentUrl ?? '');
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(PNG_BASE64, 'base64'));
  });
});
