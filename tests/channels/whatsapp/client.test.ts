import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../../channels/messaging/types.js';
import { WhatsAppClient } from '../../../channels/whatsapp/client.js';
import {
  WhatsAppApiError,
  WhatsAppMediaTooLargeError,
  WhatsAppTransportError,
} from '../../../channels/whatsapp/errors.js';
import { GraphApi, isMetaMediaUrl } from '../../../channels/whatsapp/graph.js';
import { inboundTimes, recordingLog } from './fakes.js';
import { type GraphPeer, startGraphPeer } from './graph-peer.js';

const TOKEN = 'EAAG-test-access-token-0123456789';
const PHONE_ID = '106540352242922';
const CITIZEN = '4917612345678';

const rendered = (over: Partial<RenderedMessage> = {}): RenderedMessage => ({
  parts: ['Hallo'],
  plainParts: ['Hallo'],
  presentation: 'none',
  choices: [],
  links: [],
  ...over,
});

const choices = (titles: string[]) =>
  titles.map((title, i) => ({ number: i + 1, title, token: `set12345.${i + 1}` }));

let peer: GraphPeer;
let sleeps: number[];

function client(over: Partial<ConstructorParameters<typeof WhatsAppClient>[0]> = {}) {
  return new WhatsAppClient({
    token: TOKEN,
    phoneId: PHONE_ID,
    apiBase: peer.apiBase,
    store: inboundTimes(),
    log: recordingLog(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
}

beforeEach(async () => {
  peer = await startGraphPeer({ token: TOKEN, phoneId: PHONE_ID });
  sleeps = [];
});
afterEach(async () => {
  await peer.close();
});

describe('WhatsAppClient.send', () => {
  it('sends each part as a text message to the phone number id with the bearer token', async () => {
    await client().send({ chatId: CITIZEN }, rendered({ parts: ['Eins', 'Zwei'] }));
    expect(peer.messages).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: CITIZEN,
        type: 'text',
        text: { body: 'Eins', preview_url: false },
      },
      expect.objectContaining({ type: 'text', text: { body: 'Zwei', preview_url: false } }),
    ]);
    expect(peer.requests.map((r) => r.path)).toEqual([
      `/v21.0/${PHONE_ID}/messages`,
      `/v21.0/${PHONE_ID}/messages`,
    ]);
  });

  it('sends up to three choices as reply buttons carrying the choice tokens', async () => {
    await client().send(
      { chatId: CITIZEN },
      rendered({
        parts: ['Erst ein Absatz.', 'Ist das richtig?'],
        presentation: 'buttons',
        choices: choices(['Ja', 'Nein', 'Korrigieren']),
      }),
    );
    expect(peer.messages).toHaveLength(2);
    expect(peer.messages[0]?.text?.body).toBe('Erst ein Absatz.');
    expect(peer.messages[1]?.interactive).toEqual({
      type: 'button',
      body: { text: 'Ist das richtig?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'set12345.1', title: 'Ja' } },
          { type: 'reply', reply: { id: 'set12345.2', title: 'Nein' } },
          { type: 'reply', reply: { id: 'set12345.3', title: 'Korrigieren' } },
        ],
      },
    });
  });

  it('sends more choices as a list with the renderer’s button label', async () => {
    const titles = ['Schlagloch', 'Straßenbeleuchtung', 'Illegaler Müll', 'Graffiti', 'Sonstiges'];
    await client().send(
      { chatId: CITIZEN },
      rendered({
        parts: ['Was möchten Sie melden?'],
        presentation: 'list',
        choices: choices(titles),
        listButton: 'Auswählen',
      }),
    );
    const list = peer.messages[0]?.interactive;
    expect(list?.type).toBe('list');
    expect(list?.action.button).toBe('Auswählen');
    expect(list?.action.sections?.[0]?.rows.map((r) => r.title)).toEqual(titles);
    expect(list?.action.sections?.[0]?.rows[0]?.id).toBe('set12345.1');
  });

  it('sends a body too long for a button message as text, then a short prompt', async () => {
    const long = 'x'.repeat(1500);
    await client().send(
      { chatId: CITIZEN },
      rendered({ parts: [long], presentation: 'buttons', choices: choices(['Ja', 'Nein']) }),
    );
    expect(peer.textsTo(CITIZEN)).toEqual([long, 'Bitte wählen Sie:']);
    expect(peer.messages[1]?.interactive?.type).toBe('button');
  });

  it('appends links as "title: url" lines, before the choices', async () => {
    await client().send(
      { chatId: CITIZEN },
      rendered({
        parts: ['Sie können das online erledigen.'],
        presentation: 'buttons',
        choices: choices(['Danke']),
        links: [{ title: 'Online *beantragen*', url: 'https://service.hamburg.de/x' }],
      }),
    );
    expect(peer.textsTo(CITIZEN)).toEqual([
      'Sie können das online erledigen.\n\nOnline ∗beantragen∗: https://service.hamburg.de/x',
    ]);
  });

  it('shortens titles that would break Graph’s limits instead of having the message refused', async () => {
    await client().send(
      { chatId: CITIZEN },
      rendered({
        parts: ['Bitte wählen'],
        presentation: 'buttons',
        choices: choices(['Ein viel zu langer Knopftitel', 'Kurz']),
      }),
    );
    expect(peer.messages[0]?.interactive?.action.buttons?.[0]?.reply.title).toBe(
      'Ein viel zu langer …',
    );
  });

  it('sends links that do not fit the last part as a message of their own', async () => {
    const full = 'a'.repeat(4090);
    await client().send(
      { chatId: CITIZEN },
      rendered({ parts: [full], links: [{ title: 'Mehr', url: 'https://example.org/x' }] }),
    );
    expect(peer.textsTo(CITIZEN)).toEqual([full, 'Mehr: https://example.org/x']);
  });

  it('splits a links block longer than a message at its lines', async () => {
    const links = Array.from({ length: 80 }, (_, i) => ({
      title: `Link ${i}`,
      url: `https://example.org/${'x'.repeat(60)}/${i}`,
    }));
    await client().send({ chatId: CITIZEN }, rendered({ links }));
    const texts = peer.textsTo(CITIZEN);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= 4096)).toBe(true);
    expect(texts.join('\n')).toContain(`Link 79: https://example.org/${'x'.repeat(60)}/79`);
  });

  it('sends nothing for an empty message', async () => {
    await client().send({ chatId: CITIZEN }, rendered({ parts: [''] }));
    expect(peer.requests).toHaveLength(0);
  });

  it('reports Graph’s error message and code, never the token', async () => {
    const error = await client({ token: 'EAAG-wrong-token-9999999999' })
      .send({ chatId: CITIZEN }, rendered())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ status: 401, code: 190 });
    expect((error as Error).message).toContain('Invalid OAuth access token');
    expect((error as Error).message).not.toContain('EAAG');
  });

  it('waits out rate limits with backoff, at most twice', async () => {
    peer.rateLimitNext(2);
    await client().send({ chatId: CITIZEN }, rendered());
    expect(peer.messages).toHaveLength(1);
    expect(sleeps).toEqual([1000, 2000]);

    peer.rateLimitNext(3, { status: 429, code: 130429 });
    const error = await client()
      .send({ chatId: CITIZEN }, rendered())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WhatsAppApiError', code: 130429, status: 429 });
    expect(peer.messages).toHaveLength(1);
    expect(peer.requests.filter((r) => r.errorCode === 130429)).toHaveLength(5);
  });

  it('waits a Retry-After of up to 30 s, and gives up at once on a longer one', async () => {
    peer.rateLimitNext(1, { status: 429, code: 130429, retryAfterSeconds: 5 });
    await client().send({ chatId: CITIZEN }, rendered());
    expect(sleeps).toEqual([5000]);
    expect(peer.messages).toHaveLength(1);

    peer.rateLimitNext(1, { status: 429, code: 130429, retryAfterSeconds: 31 });
    await expect(client().send({ chatId: CITIZEN }, rendered())).rejects.toMatchObject({
      name: 'WhatsAppApiError',
      status: 429,
    });
    expect(sleeps).toEqual([5000]);
    expect(peer.messages).toHaveLength(1);
  });

  it('does not retry other refusals', async () => {
    peer.closeWindow(CITIZEN);
    await expect(client().send({ chatId: CITIZEN }, rendered())).rejects.toMatchObject({
      code: 131047,
    });
    expect(peer.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up on a Graph that does not answer in time', async () => {
    peer.stallNext();
    await expect(
      client({ timeoutMs: 200 }).send({ chatId: CITIZEN }, rendered()),
    ).rejects.toBeInstanceOf(WhatsAppTransportError);
  });
});

describe('WhatsAppClient.downloadMedia', () => {
  it('asks Graph for the media URL, then fetches it with the token', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const mediaId = peer.addMedia(jpeg, 'image/jpeg');
    const file = await client().downloadMedia(mediaId);
    expect(file).toEqual({ bytes: jpeg, contentType: 'image/jpeg' });
    expect(peer.requests.map((r) => r.path)).toEqual([`/v21.0/${mediaId}`, `/media/${mediaId}`]);
  });

  it('refuses a file Graph says is larger than the limit without downloading it', async () => {
    const mediaId = peer.addMedia(Buffer.alloc(2048, 1), 'image/png');
    await expect(client({ maxMediaBytes: 1024 }).downloadMedia(mediaId)).rejects.toBeInstanceOf(
      WhatsAppMediaTooLargeError,
    );
    expect(peer.requests.map((r) => r.path)).toEqual([`/v21.0/${mediaId}`]);
  });

  it('refuses malformed media ids before calling Graph', async () => {
    await expect(client().downloadMedia('../123/messages')).rejects.toThrow(/malformed/);
    expect(peer.requests).toHaveLength(0);
  });
});

describe('the media download sends the token only where Graph vouches for it', () => {
  let other: Server;
  let otherOrigin: string;
  let otherSaw: (string | undefined)[];

  beforeEach(async () => {
    otherSaw = [];
    other = createServer((req, res) => {
      otherSaw.push(req.headers.authorization);
      res.end('x');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('knows Meta’s media hosts, over https only', () => {
    for (const url of [
      'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1',
      'https://scontent.xx.fbcdn.net/v/t61/abc',
      'https://media.example.whatsapp.net/x',
      'https://graph.facebook.com/v21.0/1',
    ]) {
      expect(isMetaMediaUrl(new URL(url)), url).toBe(true);
    }
    for (const url of [
      'http://lookaside.fbsbx.com/x',
      'https://fbcdn.net.attacker.example/x',
      'https://attackerfbcdn.net/x',
      'https://lookaside.fbsbx.com.attacker.example/x',
      'https://user:pw@lookaside.fbsbx.com/x',
      'https://example.org/x',
    ]) {
      expect(isMetaMediaUrl(new URL(url)), url).toBe(false);
    }
  });

  it('does not fetch a media URL on another host', async () => {
    const mediaId = peer.addMedia(Buffer.from('x'), 'image/jpeg');
    peer.setMediaUrl(mediaId, `${otherOrigin}/media/${mediaId}`);
    await expect(client().downloadMedia(mediaId)).rejects.toThrow(/not on a Meta media host/);
    const graph = new GraphApi({ apiBase: peer.apiBase, token: TOKEN });
    await expect(graph.download('https://attacker.example/x', 1000)).rejects.toThrow(
      /not on a Meta media host/,
    );
    expect(otherSaw).toEqual([]);
  });

  it('refuses a redirect instead of following it with the token', async () => {
    const mediaId = peer.addMedia(Buffer.from('x'), 'image/jpeg');
    peer.redirectDownload(mediaId, `${otherOrigin}/stolen`);
    await expect(client().downloadMedia(mediaId)).rejects.toBeInstanceOf(WhatsAppTransportError);
    expect(peer.requests.map((r) => r.status)).toEqual([200, 302]);
    expect(otherSaw).toEqual([]);
  });
});
