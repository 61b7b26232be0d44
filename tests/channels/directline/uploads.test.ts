/**
 * Uploads as web chat sends them (multipart: an `activity` part and file parts) and the
 * attachment links they turn into. Only JPEG, PNG and PDF whose bytes match their type are kept.
 */
import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  type Harness,
  type HarnessOptions,
  startConversation,
  startServer,
} from './harness.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setUp(options: HarnessOptions = {}) {
  harness = await startServer(options);
  const conversation = await startConversation(harness, 'uploader');
  const upload = (form: FormData) =>
    call<{ id: string }>(
      `${harness?.domain}/conversations/${conversation.conversationId}/upload?userId=uploader`,
      { method: 'POST', auth: conversation.token, body: form },
    );
  const page = () =>
    call<{ activities: Partial<Activity>[] }>(
      `${harness?.domain}/conversations/${conversation.conversationId}/activities`,
      { auth: conversation.token },
    );
  return { harness, conversation, upload, page };
}

function form(
  files: { bytes: Buffer; type: string; name: string }[],
  activity?: unknown,
): FormData {
  const data = new FormData();
  if (activity !== undefined) {
    data.append(
      'activity',
      new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }),
    );
  }
  for (const file of files)
    data.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  return data;
}

describe('uploads', () => {
  it('turns a PNG and a PDF into one message whose attachment links serve the files', async () => {
    const { harness, upload, page } = await setUp();
    const response = await upload(
      form(
        [
          { bytes: PNG, type: 'image/png', name: 'schaden.png' },
          { bytes: PDF, type: 'application/pdf', name: 'formular.pdf' },
        ],
        { type: 'message', text: 'Hier die Fotos', channelData: { clientActivityID: 'c-1' } },
      ),
    );
    expect(response.status).toBe(200);
    await harness.adapter.whenIdle();

    const activities = (await page()).body.activities;
    const message = activities.find((a) => a.id === response.body.id);
    expect(message).toMatchObject({
      type: 'message',
      text: 'Hier die Fotos',
      from: { id: 'uploader', role: 'user' },
      channelData: { clientActivityID: 'c-1' },
    });
    expect(message?.attachments?.map((a) => [a.contentType, a.name])).toEqual([
      ['image/png', 'schaden.png'],
      ['application/pdf', 'formular.pdf'],
    ]);
    expect(activities.at(-1)?.text).toBe(
      'received: schaden.png (image/png), formular.pdf (application/pdf)',
    );

    const image = await fetch(message?.attachments?.[0]?.contentUrl ?? '');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    const pdf = await fetch(message?.attachments?.[1]?.contentUrl ?? '');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="formular.pdf"/);
  });

  it('accepts a file without an activity part as a message from the token user', async () => {
    const { harness, upload, page } = await setUp();
    const response = await upload(form([{ bytes: PNG, type: 'image/png', name: 'a.png' }]));
    expect(response.status).toBe(200);
    await harness.adapter.whenIdle();
    const message = (await page()).body.activities.find((a) => a.id === response.body.id);
    expect(message).toMatchObject({ type: 'message', from: { id: 'uploader' } });
  });

  it('refuses a file over maxUploadBytes with 413 and keeps serving', async () => {
    const { upload } = await setUp({ maxUploadBytes: 1024 });
    const big = Buffer.concat([PNG, Buffer.alloc(2048)]);
    const response = await upload(form([{ bytes: big, type: 'image/png', name: 'big.png' }]));
    expect(response).toMatchObject({ status: 413, body: { error: { code: 'MessageSizeTooBig' } } });
    const again = await upload(form([{ bytes: PNG, type: 'image/png', name: 'small.png' }]));
    expect(again.status).toBe(200);
  });

  it('refuses a body that announces more than could be accepted before reading it', async () => {
    const { harness, conversation } = await setUp({ maxUploadBytes: 1024 });
    const response = await call(
      `${harness.domain}/conversations/${conversation.conversationId}/upload`,
      {
        method: 'POST',
        auth: conversation.token,
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: Buffer.alloc(200 * 1024),
      },
    );
    expect(response).toMatchObject({ status: 413, body: { error: { code: 'MessageSizeTooBig' } } });
  });

  it('refuses a type other than JPEG, PNG or PDF with 415', async () => {
    const { upload } = await setUp();
    const response = await upload(
      form([
        { bytes: Buffer.from('<script>alert(1)</script>'), type: 'text/html', name: 'x.html' },
      ]),
    );
    expect(response).toMatchObject({
      status: 415,
      body: { error: { code: 'UnsupportedMediaType' } },
    });
  });

  it('refuses a file whose bytes do not match its declared type with 415', async () => {
    const { upload } = await setUp();
    const response = await upload(
      form([{ bytes: Buffer.from('<html>not a png</html>'), type: 'image/png', name: 'x.png' }]),
    );
    expect(response.status).toBe(415);
  });

  it('refuses an upload without a file with 400', async () => {
    const { upload } = await setUp();
    const response = await upload(form([], { type: 'message', text: 'nur Text' }));
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
  });

  it('refuses a body that is not multipart with 400', async () => {
    const { harness, conversation } = await setUp();
    const response = await call(
      `${harness.domain}/conversations/${conversation.conversationId}/upload`,
      { method: 'POST', auth: conversation.token, json: { type: 'message' } },
    );
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
  });

  it('answers 404 for an attachment id that was never handed out', async () => {
    const { harness } = await setUp();
    const response = await call(`${harness.domain}/attachments/${'A'.repeat(43)}`);
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
  });
});
