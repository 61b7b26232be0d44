/**
 * The Matrix channel with the real MessengerAdapter and real (in-memory SQLite) stores: one
 * conversation per room, numbered choices answered by number, a photo and a location reaching
 * the bot, and a delivery seen twice handled once.
 */
import type { TurnContext } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryUploadStore } from '../../../channels/directline/uploads.js';
import { MatrixClient } from '../../../channels/matrix/client.js';
import { MatrixBot } from '../../../channels/matrix/sync.js';
import { MessengerAdapter } from '../../../channels/messaging/messenger-adapter.js';
import { MemoryFloodLimiter } from '../../../channels/messaging/flood-gate.js';
import { openStores, type Stores } from '../../../storage/open-store.js';
import { HomeserverPeer } from './homeserver-peer.js';
import { matrixDriver } from './matrix-driver.js';
import { yesNoQuestion } from '../messaging/test-bots.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

/** Offers two choices on "wähle"; otherwise says what it got and how many turns this chat had. */
async function echoBot(context: TurnContext): Promise<void> {
  const a = context.activity;
  if (a.type !== 'message') return;
  if (a.text === 'wähle') {
    await context.sendActivity(yesNoQuestion('Bitte wählen:'));
    return;
  }
  const file = a.attachments?.[0]?.contentType ?? '';
  const geo = a.entities?.find((e) => e.type === 'GeoCoordinates') as
    { latitude?: number; longitude?: number } | undefined;
  await context.sendActivity(
    `in ${a.conversation.id} von ${a.from.id}: text=${a.text ?? ''} value=${JSON.stringify(a.value ?? null)} ` +
      `geo=${geo ? `${geo.latitude},${geo.longitude}` : ''} file=${file}`,
  );
}

describe('Matrix with the MessengerAdapter', () => {
  let peer: HomeserverPeer;
  let stores: Stores;
  let bot: MatrixBot;

  beforeEach(async () => {
    peer = await HomeserverPeer.start();
    stores = await openStores({ dataDir: ':memory:' });
    const client = new MatrixClient({ homeserver: peer.origin, token: peer.token });
    const adapter = new MessengerAdapter({
      client,
      store: stores.channels,
      transcripts: stores.transcripts,
      uploads: new MemoryUploadStore(),
      attachmentBase: () => 'https://lotse.example/v3/directline',
      maxUploadBytes: 4 * 2 ** 20,
      flood: new MemoryFloodLimiter(20),
      bot: echoBot,
      log: { warn: () => undefined },
    });
    bot = new MatrixBot({ client, adapter });
    bot.start();
    await bot.whenSynced();
  });
  afterEach(async () => {
    await bot.stop();
    await peer.close();
    await stores.close();
  });

  it('keeps one conversation per room, with its own transcript', async () => {
    const erika = await matrixDriver(peer, bot, '@erika:localhost');
    const max = await matrixDriver(peer, bot, '@max:localhost');
    await erika.say('Hallo');
    await max.say('Moin');
    expect(await erika.replies()).toBe(
      `in matrix:${erika.roomId} von matrix:@erika:localhost: text=Hallo value=null geo= file=`,
    );
    expect(await max.replies()).toContain(`in matrix:${max.roomId} von matrix:@max:localhost`);
    const { activities } = await stores.transcripts.list(`matrix:${erika.roomId}`, 0);
    expect(activities.map((a) => a.text)).toEqual([
      'Hallo',
      `in matrix:${erika.roomId} von matrix:@erika:localhost: text=Hallo value=null geo= file=`,
    ]);
  });

  it('shows choices as numbers and turns a typed number back into the choice', async () => {
    const erika = await matrixDriver(peer, bot);
    await erika.say('wähle');
    expect(await erika.replies()).toBe(
      'Bitte wählen:\n\n1. Ja\n2. Nein\n\nAntworten Sie mit der Nummer Ihrer Wahl.',
    );
    await erika.press('Nein');
    expect(await erika.replies()).toContain('text=Nein value={"answer":"nein"}');
  });

  it('passes a location and a photo to the bot', async () => {
    const erika = await matrixDriver(peer, bot);
    await erika.shareLocation(53.55, 9.99);
    expect(await erika.replies()).toContain('geo=53.55,9.99');
    await erika.sendPhoto(JPEG);
    expect(await erika.replies()).toContain('file=image/jpeg');
  });
});
