/**
 * The WhatsApp channel with the real messenger adapter and stores: a signed webhook reaches the
 * bot, the bot's choices reach the Graph peer as reply buttons, the pressed button comes back as
 * the choice's value, a repeated delivery is processed once, and a proactive message inside the
 * 24-hour window goes out.
 */
import type { TurnContext } from 'botbuilder';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryUploadStore } from '../../../channels/directline/uploads.js';
import { MessengerAdapter } from '../../../channels/messaging/messenger-adapter.js';
import { MemoryFloodLimiter } from '../../../channels/messaging/flood-gate.js';
import { WhatsAppClient } from '../../../channels/whatsapp/client.js';
import { whatsappWebhook } from '../../../channels/whatsapp/webhook.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { recordingLog } from './fakes.js';
import { type GraphPeer, startGraphPeer } from './graph-peer.js';
import { signedRequest, waButtonReply, waText, waWebhook } from './webhook-payloads.js';
import { yesNoQuestion } from '../messaging/test-bots.js';

const TOKEN = 'EAAG-test-access-token-0123456789';
const PHONE_ID = '106540352242922';
const APP_SECRET = 'app-secret-0123456789abcdef';
const CITIZEN = '4917612345678';

async function bot(context: TurnContext): Promise<void> {
  const a = context.activity;
  if (a.type !== 'message') return;
  if (a.text === 'Ist die Adresse richtig?') {
    await context.sendActivity(yesNoQuestion('**Hauptstraße 5** – ist das richtig?'));
    return;
  }
  await context.sendActivity({ type: 'message', text: `Antwort: ${JSON.stringify(a.value)}` });
}

let peer: GraphPeer;
let stores: Stores;
let adapter: MessengerAdapter;
let app: FastifyInstance;

beforeEach(async () => {
  peer = await startGraphPeer({ token: TOKEN, phoneId: PHONE_ID });
  stores = await openStores({ dataDir: ':memory:' });
  const log = recordingLog();
  const client = new WhatsAppClient({
    token: TOKEN,
    phoneId: PHONE_ID,
    apiBase: peer.apiBase,
    store: stores.channels,
    log,
  });
  adapter = new MessengerAdapter({
    client,
    store: stores.channels,
    transcripts: stores.transcripts,
    uploads: new MemoryUploadStore(),
    attachmentBase: () => 'https://lotse.example/v3/directline',
    maxUploadBytes: 4 * 2 ** 20,
    flood: new MemoryFloodLimiter(20),
    bot,
    log,
  });
  app = Fastify();
  await app.register(whatsappWebhook, {
    client,
    adapter,
    appSecret: APP_SECRET,
    verifyToken: 'verify-token-0123456789',
    log,
  });
});
afterEach(async () => {
  await app.close();
  await stores.close();
  await peer.close();
});

async function deliver(message: unknown) {
  const res = await app.inject({
    method: 'POST',
    url: '/channels/whatsapp',
    ...signedRequest(waWebhook({ phoneId: PHONE_ID, messages: [message] }), APP_SECRET),
  });
  expect(res.statusCode).toBe(200);
  await adapter.whenIdle();
}

describe('WhatsApp with the messenger adapter', () => {
  it('offers choices as reply buttons and takes the pressed one back', async () => {
    const question = waText({ from: CITIZEN, id: 'wamid.q' }, 'Ist die Adresse richtig?');
    await deliver(question);
    await deliver(question); // Meta retries: processed once
    expect(peer.messages).toHaveLength(1);
    const buttons = peer.messages[0]?.interactive;
    expect(buttons?.body.text).toBe('*Hauptstraße 5* – ist das richtig?');
    expect(buttons?.action.buttons?.map((b) => b.reply.title)).toEqual(['Ja', 'Nein']);

    const nein = buttons?.action.buttons?.[1]?.reply.id as string;
    await deliver(waButtonReply({ from: CITIZEN, id: 'wamid.a' }, nein, 'Nein'));
    expect(peer.textsTo(CITIZEN).at(-1)).toBe('Antwort: {"answer":"nein"}');
  });

  it('sends proactive messages inside the 24-hour window', async () => {
    await deliver(waText({ from: CITIZEN, id: 'wamid.hi' }, 'Hallo'));
    const reference = {
      channelId: 'whatsapp',
      conversation: { id: `whatsapp:${CITIZEN}`, isGroup: false, conversationType: '', name: '' },
      user: { id: `whatsapp:${CITIZEN}`, name: '' },
    };
    const sent = await adapter.sender()(reference, {
      type: 'message',
      text: 'Ihre Meldung ist erledigt.',
    });
    expect(sent).toBe(true);
    expect(peer.textsTo(CITIZEN).at(-1)).toBe('Ihre Meldung ist erledigt.');
  });
});
