import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppClient } from '../../../channels/whatsapp/client.js';
import { whatsappWebhook } from '../../../channels/whatsapp/webhook.js';
import { inboundTimes, recordingAdapter, recordingLog } from './fakes.js';
import { type GraphPeer, startGraphPeer } from './graph-peer.js';
import {
  signedRequest,
  signWhatsApp,
  waButtonReply,
  waImage,
  waListReply,
  waLocation,
  waStatus,
  waText,
  waWebhook,
} from './webhook-payloads.js';

const TOKEN = 'EAAG-test-access-token-0123456789';
const PHONE_ID = '106540352242922';
const APP_SECRET = 'app-secret-0123456789abcdef';
const VERIFY_TOKEN = 'verify-token-0123456789';
const CITIZEN = '4917612345678';

let peer: GraphPeer;
let app: FastifyInstance;
let adapter: ReturnType<typeof recordingAdapter>;
let log: ReturnType<typeof recordingLog>;

async function start(maxMediaBytes?: number) {
  const client = new WhatsAppClient({
    token: TOKEN,
    phoneId: PHONE_ID,
    apiBase: peer.apiBase,
    store: inboundTimes(),
    log,
    ...(maxMediaBytes ? { maxMediaBytes } : {}),
  });
  app = Fastify();
  await app.register(whatsappWebhook, {
    client,
    adapter,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    log,
  });
}

/** Posts `body` signed as Meta would, and waits until the adapter has handled it. */
async function deliver(body: unknown) {
  const response = await app.inject({
    method: 'POST',
    url: '/channels/whatsapp',
    ...signedRequest(body, APP_SECRET),
  });
  await adapter.whenIdle();
  return response;
}

beforeEach(async () => {
  peer = await startGraphPeer({ token: TOKEN, phoneId: PHONE_ID });
  adapter = recordingAdapter();
  log = recordingLog();
  await start();
});
afterEach(async () => {
  await app.close();
  await peer.close();
});

describe('GET /channels/whatsapp (verification handshake)', () => {
  const verify = (query: string) =>
    app.inject({ method: 'GET', url: `/channels/whatsapp?${query}` });

  it('echoes the challenge when the verify token matches', async () => {
    const res = await verify(
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('1158201444');
  });

  it('refuses a wrong token, another mode or a missing challenge with 403', async () => {
    for (const query of [
      'hub.mode=subscribe&hub.verify_token=verify-token-0123456780&hub.challenge=1',
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`,
      'hub.mode=subscribe&hub.challenge=1',
    ]) {
      const res = await verify(query);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: { code: 'VerificationFailed', message: expect.any(String) },
      });
    }
  });
});

describe('POST /channels/whatsapp refuses what Meta did not sign', () => {
  const body = waWebhook({
    phoneId: PHONE_ID,
    messages: [waText({ from: CITIZEN, id: 'wamid.1' }, 'Hallo')],
  });

  it('answers 401 without a signature', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/channels/whatsapp',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SignatureMissing');
  });

  it('answers 403 for a wrong, malformed or foreign signature, or a changed body', async () => {
    const payload = JSON.stringify(body);
    for (const signature of [
      signWhatsApp(payload, 'another-app-secret-0123'),
      'sha256=not-hex',
      signWhatsApp(payload, APP_SECRET).replace('sha256=', 'sha1='),
      signWhatsApp(payload.replace('Hallo', 'Hallx'), APP_SECRET),
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/channels/whatsapp',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        payload,
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('SignatureInvalid');
    }
    await adapter.whenIdle();
    expect(adapter.received).toEqual([]);
  });

  it('checks the signature before parsing: unsigned garbage is a 401, not a 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/channels/whatsapp',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(401);
  });

  it('answers 400 for signed malformed JSON or a body that is not a webhook', async () => {
    const bad = await deliver('{"object": "whatsapp_business_account", ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BadJson');
    const notWebhook = await deliver({ object: 'whatsapp_business_account', entry: 'x' });
    expect(notWebhook.statusCode).toBe(400);
    expect(notWebhook.json().error.code).toBe('BadPayload');
  });

  it('answers 413 for a body over 1 MiB and 415 for another content type', async () => {
    const huge = await deliver({ object: 'whatsapp_business_account', pad: 'x'.repeat(2 ** 20) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PayloadTooLarge');
    const text = await app.inject({
      method: 'POST',
      url: '/channels/whatsapp',
      headers: {
        'content-type': 'text/plain',
        'x-hub-signature-256': signWhatsApp('hi', APP_SECRET),
      },
      payload: 'hi',
    });
    expect(text.statusCode).toBe(415);
  });
});

describe('POST /channels/whatsapp hands messages to the adapter', () => {
  it('maps a text message with the sender as user and chat, and the profile name', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const res = await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        names: { [CITIZEN]: 'Erika Mustermann' },
        messages: [waText({ from: CITIZEN, id: 'wamid.HBgL1', at }, 'Mein Perso läuft ab')],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(adapter.received).toEqual([
      {
        deliveryId: 'wamid.HBgL1',
        chat: { chatId: CITIZEN },
        userId: CITIZEN,
        userName: 'Erika Mustermann',
        sentAt: at,
        text: 'Mein Perso läuft ab',
      },
    ]);
  });

  it('passes pressed buttons and list rows on as choice tokens', async () => {
    await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [
          waButtonReply({ from: CITIZEN, id: 'wamid.b' }, 'Ab3dE_f-.2', 'Nein'),
          waListReply({ from: CITIZEN, id: 'wamid.l' }, 'Ab3dE_f-.4', 'Graffiti'),
        ],
      }),
    );
    expect(adapter.received.map((m) => [m.deliveryId, m.choiceToken, m.text])).toEqual([
      ['wamid.b', 'Ab3dE_f-.2', undefined],
      ['wamid.l', 'Ab3dE_f-.4', undefined],
    ]);
  });

  it('passes a location on', async () => {
    await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [waLocation({ from: CITIZEN, id: 'wamid.loc' }, 53.5503, 9.9927)],
      }),
    );
    expect(adapter.received[0]?.location).toEqual({ latitude: 53.5503, longitude: 9.9927 });
  });

  it('downloads an image from Graph and passes its bytes and caption on', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    const mediaId = peer.addMedia(jpeg, 'image/jpeg');
    await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [
          waImage({ from: CITIZEN, id: 'wamid.img' }, mediaId, 'image/jpeg', 'Schlagloch'),
        ],
      }),
    );
    expect(adapter.received[0]).toMatchObject({
      text: 'Schlagloch',
      file: { bytes: jpeg, contentType: 'image/jpeg' },
    });
    expect(peer.requests.map((r) => r.path)).toEqual([`/v21.0/${mediaId}`, `/media/${mediaId}`]);
  });

  it('reports an image over the limit as too large, without downloading it', async () => {
    await app.close();
    await start(16);
    const mediaId = peer.addMedia(Buffer.alloc(64, 0xff), 'image/jpeg');
    await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [waImage({ from: CITIZEN, id: 'wamid.big' }, mediaId)],
      }),
    );
    expect(adapter.received[0]?.file).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'image/jpeg',
      problem: 'too-large',
    });
    expect(peer.requests.map((r) => r.path)).toEqual([`/v21.0/${mediaId}`]);
  });

  it('reports an image Graph cannot deliver as unavailable and logs it without content', async () => {
    await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [waImage({ from: CITIZEN, id: 'wamid.gone' }, '1999999', 'image/png', 'Foto')],
      }),
    );
    expect(adapter.received[0]).toMatchObject({
      text: 'Foto',
      file: { bytes: Buffer.alloc(0), contentType: 'image/png', problem: 'unavailable' },
    });
    expect(log.lines.some((l) => l.message === 'whatsapp: media download failed')).toBe(true);
    expect(log.text()).not.toContain(CITIZEN);
  });

  it('hands a photo and a location sent right after it to the adapter in that order', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    const mediaId = peer.addMedia(jpeg, 'image/jpeg');
    const slow = peer.holdDownloads();
    const post = (message: unknown) =>
      app.inject({
        method: 'POST',
        url: '/channels/whatsapp',
        ...signedRequest(waWebhook({ phoneId: PHONE_ID, messages: [message] }), APP_SECRET),
      });
    // Two webhook requests, each answered before its message is processed.
    expect((await post(waImage({ from: CITIZEN, id: 'wamid.photo' }, mediaId))).statusCode).toBe(
      200,
    );
    expect(
      (await post(waLocation({ from: CITIZEN, id: 'wamid.where' }, 53.55, 9.99))).statusCode,
    ).toBe(200);
    await slow.requested;
    // The photo's download is stuck; the location waits behind it instead of overtaking it.
    expect(adapter.received.map((m) => m.deliveryId)).toEqual(['wamid.photo']);
    slow.release();
    await adapter.whenIdle();
    expect(adapter.received).toMatchObject([
      { deliveryId: 'wamid.photo', file: { bytes: jpeg, contentType: 'image/jpeg' } },
      { deliveryId: 'wamid.where', location: { latitude: 53.55, longitude: 9.99 } },
    ]);
  });

  it('answers 200 before the adapter is done', async () => {
    const release = adapter.hold();
    const res = await app.inject({
      method: 'POST',
      url: '/channels/whatsapp',
      ...signedRequest(
        waWebhook({
          phoneId: PHONE_ID,
          messages: [waText({ from: CITIZEN, id: 'wamid.slow' }, 'Hallo')],
        }),
        APP_SECRET,
      ),
    });
    expect(res.statusCode).toBe(200);
    expect(adapter.received).toEqual([]);
    release();
    await adapter.whenIdle();
    expect(adapter.received).toHaveLength(1);
  });

  it('hands several messages over in their order', async () => {
    await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: ['eins', 'zwei', 'drei'].map((t, i) =>
          waText({ from: CITIZEN, id: `wamid.${i}` }, t),
        ),
      }),
    );
    expect(adapter.received.map((m) => m.text)).toEqual(['eins', 'zwei', 'drei']);
  });
});

describe('POST /channels/whatsapp ignores what needs no answer', () => {
  it('accepts statuses and does nothing with them', async () => {
    const res = await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        statuses: [waStatus(CITIZEN, 'delivered'), waStatus(CITIZEN, 'read')],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(adapter.received).toEqual([]);
  });

  it('ignores unknown message types and logs only their type', async () => {
    const res = await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [
          {
            from: CITIZEN,
            id: 'wamid.s',
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'sticker',
            sticker: { id: '9' },
          },
          {
            from: CITIZEN,
            id: 'wamid.r',
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'reaction',
            reaction: { emoji: '👍', message_id: 'x' },
          },
          waText({ from: CITIZEN, id: 'wamid.t' }, 'Geheimer Text'),
        ],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(adapter.received.map((m) => m.deliveryId)).toEqual(['wamid.t']);
    expect(
      log.lines.filter((l) => l.message === 'whatsapp: message ignored').map((l) => l.details),
    ).toEqual([
      { channel: 'whatsapp', type: 'sticker' },
      { channel: 'whatsapp', type: 'reaction' },
    ]);
    expect(log.text()).not.toContain(CITIZEN);
    expect(log.text()).not.toContain('Geheimer');
  });

  it('ignores messages for another phone number id and webhooks for other objects', async () => {
    const text = waText({ from: CITIZEN, id: 'wamid.x' }, 'Hallo');
    const other = await deliver(waWebhook({ phoneId: '999999999999', messages: [text] }));
    const page = await deliver({
      ...waWebhook({ phoneId: PHONE_ID, messages: [text] }),
      object: 'page',
    });
    expect([other.statusCode, page.statusCode]).toEqual([200, 200]);
    expect(adapter.received).toEqual([]);
  });

  it('ignores messages older than 24 hours (a replay, or a reply that could not be sent)', async () => {
    const old = new Date(Date.now() - 25 * 60 * 60 * 1000);
    const res = await deliver(
      waWebhook({
        phoneId: PHONE_ID,
        messages: [
          waText({ from: CITIZEN, id: 'wamid.old', at: old }, 'Alt'),
          waText({ from: CITIZEN, id: 'wamid.new' }, 'Neu'),
        ],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(adapter.received.map((m) => m.deliveryId)).toEqual(['wamid.new']);
    expect(log.lines.some((l) => l.message === 'whatsapp: stale message ignored')).toBe(true);
  });
});
