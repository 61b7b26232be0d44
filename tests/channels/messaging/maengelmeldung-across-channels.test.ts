/**
 * One conversation, unchanged, on every channel: a complete Mängelmeldung with a category chosen
 * from the offered choices, a shared location, a description, a photo, a correction in free text
 * and the submission — on Web Chat (Direct Line), Telegram (through the Bot API peer), WhatsApp
 * (signed webhooks, Graph API peer) and Matrix (a homeserver peer). Each run must end with the same submission in the outbox,
 * and the photo's link must serve the photo that was sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../channels/config.js';
import { buildServer, type LotseServer } from '../../../channels/server.js';
import { openKnowledge, type KnowledgeBase } from '../../../knowledge/knowledge-base.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import type { FastifyInstance } from 'fastify';
import { startTelegramPeer, type TelegramPeer } from '../telegram/telegram-peer.js';
import { startGraphPeer, type GraphPeer } from '../whatsapp/graph-peer.js';
import { HomeserverPeer } from '../matrix/homeserver-peer.js';
import { matrixDriver } from '../matrix/matrix-driver.js';
import type { ChannelDriver } from './drivers/driver.js';
import { telegramDriver } from './drivers/telegram.js';
import { webChatDriver } from './drivers/webchat.js';
import { whatsappDriver } from './drivers/whatsapp.js';

const TELEGRAM_TOKEN = '123456789:AAtelegram-test-token-abcdefghijk';
const TELEGRAM_SECRET = 'telegram-webhook-secret-0123';
const WHATSAPP = {
  token: 'whatsapp-access-token',
  phoneId: '106540352242922',
  appSecret: 'whatsapp-app-secret-0123456789',
  verifyToken: 'whatsapp-verify-token-0123',
};

/** A real JPEG header and a little body: enough for the magic-byte check. */
const PHOTO = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
  Buffer.alloc(64, 7),
  Buffer.from([0xff, 0xd9]),
]);

let dataDir: string;
let knowledge: KnowledgeBase;
let stores: Stores;
let server: LotseServer;
let origin: string;
let telegram: TelegramPeer;
let graph: GraphPeer;
let homeserver: HomeserverPeer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lotse-across-'));
  knowledge = await openKnowledge({ dataDir });
  stores = await openStores({ dataDir });
  graph = await startGraphPeer({ token: WHATSAPP.token, phoneId: WHATSAPP.phoneId });
  homeserver = await HomeserverPeer.start();
  // The peer relays Telegram's webhook calls into the app, which exists only after the config.
  const app = { inject: (options: never) => server.app.inject(options) };
  telegram = await startTelegramPeer(TELEGRAM_TOKEN, app as unknown as FastifyInstance);
  server = await buildServer({
    config: loadConfig({
      LOTSE_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      LOTSE_TELEGRAM_TOKEN: TELEGRAM_TOKEN,
      LOTSE_TELEGRAM_SECRET: TELEGRAM_SECRET,
      LOTSE_TELEGRAM_API_BASE: telegram.apiBase,
      LOTSE_WHATSAPP_TOKEN: WHATSAPP.token,
      LOTSE_WHATSAPP_APP_SECRET: WHATSAPP.appSecret,
      LOTSE_WHATSAPP_VERIFY_TOKEN: WHATSAPP.verifyToken,
      LOTSE_WHATSAPP_PHONE_ID: WHATSAPP.phoneId,
      LOTSE_WHATSAPP_API_BASE: graph.apiBase,
      LOTSE_MATRIX_HOMESERVER: homeserver.origin,
      LOTSE_MATRIX_TOKEN: homeserver.token,
    }),
    knowledge,
    stores,
    directLineSecret: 'across-channels-secret-0123456789abcdef',
  });
  origin = await server.app.listen({ host: '127.0.0.1', port: 0 });
  // What Lotse's start does with a public URL: register the webhook and its secret.
  const registered = await fetch(`${telegram.apiBase}/bot${TELEGRAM_TOKEN}/setWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url: `${telegram.publicUrl}/channels/telegram`,
      secret_token: TELEGRAM_SECRET,
    }),
  });
  expect(registered.ok).toBe(true);
  await server.messengers.start();
});
afterAll(async () => {
  await server.messengers.stop();
  await telegram?.stop();
  await graph?.close();
  await homeserver?.close();
  await server.app.close();
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The conversation, step by step, with what the bot must say at each step. */
async function reportPothole(driver: ChannelDriver): Promise<string> {
  const step = async (act: () => Promise<void>, expected: string | RegExp) => {
    await act();
    const said = await driver.replies();
    if (typeof expected === 'string') expect(said, driver.name).toContain(expected);
    else expect(said, driver.name).toMatch(expected);
    return said;
  };
  await step(() => driver.say('Ich möchte einen Schaden melden'), 'Was möchten Sie melden?');
  await step(() => driver.press('Schlagloch oder Straßenschaden'), 'Wo ist der Mangel?');
  await step(() => driver.shareLocation(48.1372, 11.5755), 'Beschreiben Sie kurz');
  await step(() => driver.say('Tiefes Loch am Bordstein'), 'Foto');
  await step(() => driver.sendPhoto(PHOTO), 'per E-Mail');
  await step(() => driver.press('Nein'), 'Bitte prüfen Sie Ihre Angaben');
  await step(() => driver.say('nein, die Beschreibung ist Sehr tiefes Loch'), 'Sehr tiefes Loch');
  const done = await step(() => driver.press('Absenden'), /LT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  return /LT-[0-9A-Z-]+/.exec(done)![0];
}

async function expectSubmission(receipt: string): Promise<void> {
  const record = await stores.outbox.get(receipt);
  expect(record?.payload).toMatchObject({
    service_code: 'road-damage',
    lat: 48.1372,
    long: 11.5755,
    description: 'Sehr tiefes Loch',
  });
  const photo = await fetch(String(record!.payload.media_url));
  expect(photo.headers.get('content-type')).toBe('image/jpeg');
  expect(Buffer.from(await photo.arrayBuffer()).equals(PHOTO)).toBe(true);
}

describe('a Mängelmeldung on every channel', () => {
  it('runs on Web Chat', async () => {
    const driver = await webChatDriver(origin, () => server.directLineAdapter.whenIdle());
    await expectSubmission(await reportPothole(driver));
  });

  it('runs on Telegram', async () => {
    const driver = telegramDriver(telegram, adapterOf('telegram'));
    await expectSubmission(await reportPothole(driver));
  });

  it('runs on WhatsApp', async () => {
    const driver = whatsappDriver({
      origin,
      peer: graph,
      adapter: adapterOf('whatsapp'),
      phoneId: WHATSAPP.phoneId,
      appSecret: WHATSAPP.appSecret,
    });
    await expectSubmission(await reportPothole(driver));
  });

  it('runs on Matrix, with the choices as numbered text', async () => {
    const driver = await matrixDriver(homeserver, server.messengers.matrix!);
    await expectSubmission(await reportPothole(driver));
  });
});

function adapterOf(channelId: string) {
  const adapter = server.messengers.adapters.find((a) => a.channelId === channelId);
  if (!adapter) throw new Error(`no ${channelId} adapter`);
  return adapter;
}

describe('a person answers on the messenger', () => {
  it('delivers an agent’s reply to the Telegram user who asked for a person', async () => {
    const user = telegram.user({ userId: 5150, firstName: 'Max' });
    await telegram.deliver(() => user.sendMessage(user.makeMessage('Mitarbeiter sprechen')));
    await adapterOf('telegram').whenIdle();
    await user.getUpdates();
    const handoff = await stores.handoffs.openFor('telegram:5150');
    expect(handoff).toMatchObject({ channel: 'telegram', status: 'pending' });
    const anna = { username: 'anna', role: 'agent' as const, displayName: 'Anna' };
    await server.handoffs.assign(handoff!.id, anna);
    await server.handoffs.sendAgentMessage(handoff!.id, anna, 'Guten Tag, wie kann ich helfen?');
    const { result } = (await user.getUpdates()) as unknown as {
      result: { message: { text: string } }[];
    };
    const texts = result.map((r) => r.message.text);
    expect(texts.at(-2)).toContain('Anna');
    expect(texts.at(-1)).toBe('<b>Anna (Service-Team):</b> Guten Tag, wie kann ich helfen?');
    // The agent's console shows the conversation, both sides.
    const transcript = await server.handoffs.transcript(handoff!);
    expect(transcript.map((m) => m.from)).toEqual(
      expect.arrayContaining(['citizen', 'bot', 'agent']),
    );
  });
});
