import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MatrixClient } from '../../../channels/matrix/client.js';
import type { Sleep } from '../../../channels/messaging/http.js';
import { FIRST_SYNC_FILTER, MatrixBot, type MatrixLogger } from '../../../channels/matrix/sync.js';
import { renderActivity } from '../../../channels/messaging/render.js';
import type { InboundFile, InboundMessage } from '../../../channels/messaging/types.js';
import { matrixTexts } from '../../../channels/matrix/texts.js';
import { HomeserverPeer } from './homeserver-peer.js';

const ANNA = '@anna:localhost';
const BEN = '@ben:localhost';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** A received message with its file loaded, as the real adapter loads it when the turn comes. */
type ReceivedMessage = Omit<InboundMessage, 'file'> & { file?: InboundFile };

/**
 * Stands in for the MessengerAdapter: records what arrives (loading files, unless told to skip
 * them like the real adapter does for a duplicate) and answers with a count kept per chat, so
 * separate conversations show as separate counts.
 */
class RecordingAdapter {
  readonly received: ReceivedMessage[] = [];
  private readonly counts = new Map<string, number>();
  /** Runs inside `receive`, before the answer (tests hold a turn open with it). */
  hold: ((message: InboundMessage) => Promise<void>) | undefined;
  /** Do not call file loaders, as for a duplicate or a message over the flood limit. */
  skipFiles = false;

  constructor(private readonly client: MatrixClient) {}

  async receive(message: InboundMessage): Promise<'processed'> {
    const { file, ...rest } = message;
    const record: ReceivedMessage = rest;
    this.received.push(record);
    if (file && !this.skipFiles) record.file = await file();
    await this.hold?.(message);
    const count = (this.counts.get(message.chat.chatId) ?? 0) + 1;
    this.counts.set(message.chat.chatId, count);
    const rendered = renderActivity({ text: `Nachricht ${count}` }, this.client, []);
    await this.client.send(message.chat, rendered);
    return 'processed';
  }
}

interface LogEntry {
  level: string;
  details: object;
  message: string;
}

describe('MatrixBot', () => {
  let peer: HomeserverPeer;
  let client: MatrixClient;
  let adapter: RecordingAdapter;
  let bot: MatrixBot;
  let sleeps: number[];
  let logs: LogEntry[];

  const logger: MatrixLogger = {
    info: (details, message) => logs.push({ level: 'info', details, message }),
    warn: (details, message) => logs.push({ level: 'warn', details, message }),
    error: (details, message) => logs.push({ level: 'error', details, message }),
  };
  const sleep: Sleep = async (ms, signal) => {
    sleeps.push(ms);
    signal?.throwIfAborted();
  };
  function makeBot(
    options: { token?: string; maxFileBytes?: number; pollTimeoutMs?: number } = {},
  ) {
    client = new MatrixClient({
      homeserver: peer.origin,
      token: options.token ?? peer.token,
      sleep,
    });
    adapter = new RecordingAdapter(client);
    bot = new MatrixBot({
      client,
      adapter,
      logger,
      pollTimeoutMs: options.pollTimeoutMs ?? 10_000,
      ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
    });
    return bot;
  }
  /** Starts the bot and waits until it is parked in a long poll with nothing left to read. */
  async function startCaughtUp() {
    bot.start();
    await bot.whenSynced();
    await peer.waitUntilCaughtUp();
  }

  beforeEach(async () => {
    peer = await HomeserverPeer.start();
    sleeps = [];
    logs = [];
    makeBot();
  });
  afterEach(async () => {
    await bot.stop();
    await peer.close();
  });

  it('joins a room it is invited to, also while running', async () => {
    const before = peer.inviteBot(ANNA);
    await startCaughtUp();
    expect(peer.membership(before, peer.botUserId)).toBe('join');
    const during = peer.inviteBot(BEN);
    await peer.waitForJoin(during);
  });

  it('hands a text to the adapter with room, sender, event id and time', async () => {
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    const eventId = peer.postText(room, ANNA, 'Mein Perso läuft ab');
    const [reply] = await peer.waitForSent(1, room);
    expect(adapter.received).toEqual([
      {
        deliveryId: eventId,
        chat: { chatId: room },
        userId: ANNA,
        text: 'Mein Perso läuft ab',
        sentAt: expect.any(Date),
      },
    ]);
    expect(adapter.received[0]?.sentAt.getTime()).toBeGreaterThan(Date.UTC(2025, 0, 1));
    expect(reply?.content).toMatchObject({ msgtype: 'm.text', body: 'Nachricht 1' });
    expect(JSON.stringify(logs)).not.toContain('Perso');
  });

  it('keeps one conversation per room', async () => {
    const annas = peer.inviteBot(ANNA);
    const bens = peer.inviteBot(BEN);
    await startCaughtUp();
    peer.postText(annas, ANNA, 'eins');
    peer.postText(annas, ANNA, 'zwei');
    peer.postText(bens, BEN, 'eins');
    await peer.waitForSent(2, annas);
    await peer.waitForSent(1, bens);
    expect(peer.sentByBot(annas).map((e) => e.content.body)).toEqual([
      'Nachricht 1',
      'Nachricht 2',
    ]);
    expect(peer.sentByBot(bens).map((e) => e.content.body)).toEqual(['Nachricht 1']);
    const inRoom = (room: string) =>
      adapter.received.filter((m) => m.chat.chatId === room).map((m) => [m.userId, m.text]);
    expect(inRoom(annas)).toEqual([
      [ANNA, 'eins'],
      [ANNA, 'zwei'],
    ]);
    expect(inRoom(bens)).toEqual([[BEN, 'eins']]);
  });

  it("takes one room's messages one after another while other rooms go on", async () => {
    const annas = peer.inviteBot(ANNA);
    const bens = peer.inviteBot(BEN);
    await startCaughtUp();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    adapter.hold = (m) => (m.text === 'erste' ? held : Promise.resolve());
    peer.postText(annas, ANNA, 'erste');
    peer.postText(annas, ANNA, 'zweite');
    peer.postText(bens, BEN, 'andere');
    await peer.waitForSent(1, bens);
    expect(adapter.received.map((m) => m.text)).toEqual(['erste', 'andere']);
    release();
    await peer.waitForSent(2, annas);
    expect(adapter.received.map((m) => m.text)).toEqual(['erste', 'andere', 'zweite']);
  });

  it('ignores its own messages', async () => {
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    peer.postText(room, ANNA, 'Hallo');
    await peer.waitForSent(1, room);
    await peer.waitUntilCaughtUp();
    await bot.whenIdle();
    expect(adapter.received).toHaveLength(1);
    expect(peer.sentByBot(room)).toHaveLength(1);
  });

  it('does not answer history on its first sync', async () => {
    const room = peer.inviteBot(ANNA);
    peer.joinUser(room, peer.botUserId);
    peer.postText(room, ANNA, 'alt 1');
    peer.postText(room, ANNA, 'alt 2');
    await startCaughtUp();
    const firstSync = peer.requests.find((r) => r.route === 'sync');
    expect(firstSync?.query).toEqual({ timeout: '0', filter: FIRST_SYNC_FILTER });
    peer.postText(room, ANNA, 'neu');
    await peer.waitForSent(1, room);
    expect(adapter.received.map((m) => m.text)).toEqual(['neu']);
  });

  it('answers what was written while it joined, not what came before the invite', async () => {
    const room = peer.createRoom(ANNA);
    peer.postText(room, ANNA, 'vor der Einladung');
    peer.invite(room, ANNA);
    peer.postText(room, ANNA, 'Hallo Lotse');
    await startCaughtUp();
    await peer.waitForSent(1, room);
    await peer.waitUntilCaughtUp();
    await bot.whenIdle();
    expect(adapter.received.map((m) => m.text)).toEqual(['Hallo Lotse']);
  });

  it('passes a location and a downloaded image', async () => {
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    peer.post(room, ANNA, {
      msgtype: 'm.location',
      body: 'Standort',
      geo_uri: 'geo:53.5511,9.9937',
    });
    const mxc = peer.upload(PNG, 'image/png', 'schaden.png');
    peer.post(room, ANNA, {
      msgtype: 'm.image',
      body: 'schaden.png',
      url: mxc,
      info: { mimetype: 'image/png', size: PNG.length },
    });
    await peer.waitForSent(2, room);
    expect(adapter.received[0]?.location).toEqual({ latitude: 53.5511, longitude: 9.9937 });
    expect(adapter.received[1]?.file).toEqual({
      bytes: PNG,
      contentType: 'image/png',
      name: 'schaden.png',
    });
    const download = peer.requests.find((r) => r.route === 'download');
    expect(download?.path).toBe(
      `/_matrix/client/v1/media/download/localhost/${mxc.split('/').pop()}`,
    );
    expect(download?.authorized).toBe(true);
  });

  it('reports a file declared over the limit as too large, without downloading it', async () => {
    await bot.stop();
    makeBot({ maxFileBytes: 2 ** 20 });
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    const mxc = peer.upload(Buffer.alloc(10), 'image/jpeg');
    peer.post(room, ANNA, {
      msgtype: 'm.image',
      body: 'x.jpg',
      url: mxc,
      info: { size: 5 * 2 ** 20 },
    });
    const sent = await peer.waitForSent(1, room);
    expect(adapter.received[0]?.file).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'application/octet-stream',
      name: 'x.jpg',
      problem: 'too-large',
    });
    expect(peer.count('download')).toBe(0);
    // The adapter tells the user; the channel itself says nothing.
    expect(sent.map((e) => e.content.body)).toEqual(['Nachricht 1']);
  });

  it('reports a file the homeserver cannot deliver as unavailable, logging no content', async () => {
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    peer.failNext('download', { status: 404, errcode: 'M_NOT_FOUND' });
    peer.post(room, ANNA, {
      msgtype: 'm.image',
      body: 'weg.png',
      url: peer.upload(PNG, 'image/png'),
      info: { mimetype: 'image/png' },
    });
    const sent = await peer.waitForSent(1, room);
    expect(adapter.received[0]?.file).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'image/png',
      name: 'weg.png',
      problem: 'unavailable',
    });
    expect(sent.map((e) => e.content.body)).toEqual(['Nachricht 1']);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'matrix: a file could not be downloaded' }),
    );
    expect(JSON.stringify(logs)).not.toContain('weg.png');
  });

  it('downloads nothing until the adapter asks for the file', async () => {
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    adapter.skipFiles = true;
    peer.post(room, ANNA, {
      msgtype: 'm.image',
      body: 'foto.png',
      url: peer.upload(PNG, 'image/png'),
      info: { mimetype: 'image/png', size: PNG.length },
    });
    await peer.waitForSent(1, room);
    expect(adapter.received).toHaveLength(1);
    expect(peer.count('download')).toBe(0);
  });

  it('takes an event with an impossible origin_server_ts as sent now', async () => {
    const room = peer.inviteBot(ANNA);
    await startCaughtUp();
    const before = Date.now();
    peer.postEvent(
      room,
      ANNA,
      'm.room.message',
      { msgtype: 'm.text', body: 'Hallo' },
      {
        originServerTs: 1e300,
      },
    );
    await peer.waitForSent(1, room);
    const sentAt = adapter.received[0]?.sentAt;
    expect(Number.isNaN(sentAt?.getTime())).toBe(false);
    expect(sentAt?.getTime()).toBeGreaterThanOrEqual(before);
    expect(sentAt?.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('says once per room that it cannot read encrypted messages', async () => {
    const room = peer.inviteBot(ANNA);
    const other = peer.inviteBot(BEN);
    await startCaughtUp();
    const encrypted = {
      algorithm: 'm.megolm.v1.aes-sha2',
      ciphertext: 'AwgAEnAC…',
      device_id: 'ANNAPHONE',
      sender_key: 'IlRMeOPX2e0MurIyfWEucYBRVOEEUMrOHqn/8mLqMjA',
      session_id: 'X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ',
    };
    peer.postEvent(room, ANNA, 'm.room.encrypted', encrypted);
    peer.postEvent(room, ANNA, 'm.room.encrypted', encrypted);
    peer.postEvent(other, BEN, 'm.room.encrypted', encrypted);
    await peer.waitForSent(1, other);
    peer.postText(room, ANNA, 'unverschlüsselt');
    await peer.waitForSent(2, room);
    expect(peer.sentByBot(room).map((e) => e.content)).toEqual([
      {
        msgtype: 'm.notice',
        body: matrixTexts.encryptedRoom,
        format: 'org.matrix.custom.html',
        formatted_body: matrixTexts.encryptedRoom,
      },
      expect.objectContaining({ msgtype: 'm.text', body: 'Nachricht 1' }),
    ]);
    expect(peer.sentByBot(other).map((e) => e.content.msgtype)).toEqual(['m.notice']);
    expect(adapter.received.map((m) => m.text)).toEqual(['unverschlüsselt']);
  });

  it('waits out a 429 on sync as the homeserver asks', async () => {
    peer.failNext('sync', { status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 1234 });
    await startCaughtUp();
    expect(sleeps).toEqual([1234]);
  });

  it('backs off exponentially up to 30 s on network errors and carries on', async () => {
    const room = peer.inviteBot(ANNA);
    peer.failNext('sync', 'disconnect', 7);
    await startCaughtUp();
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    peer.postText(room, ANNA, 'noch da?');
    await peer.waitForSent(1, room);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(7);
  });

  it('logs a refused token as an error without the token, and keeps trying', async () => {
    await bot.stop();
    makeBot({ token: 'syt_wrong_secret' });
    bot.start();
    await peer.waitFor(() => peer.count('whoami') >= 3);
    await bot.stop();
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]?.details).toMatchObject({ status: 401, errcode: 'M_UNKNOWN_TOKEN' });
    expect(JSON.stringify(logs)).not.toContain('syt_wrong_secret');
  });

  it('stops promptly while a long poll is waiting', { timeout: 2000 }, async () => {
    await bot.stop();
    makeBot({ pollTimeoutMs: 60_000 });
    await startCaughtUp();
    expect(peer.waitingPolls).toBe(1);
    const syncs = peer.count('sync');
    await bot.stop();
    await peer.waitFor(() => peer.waitingPolls === 0);
    peer.inviteBot(ANNA);
    expect(peer.count('sync')).toBe(syncs);
  });

  it('lets the long poll run out on the homeserver and polls again', async () => {
    await bot.stop();
    makeBot({ pollTimeoutMs: 20 });
    await startCaughtUp();
    await peer.waitFor(() => peer.count('sync') >= 4);
    const polls = peer.requests.filter((r) => r.route === 'sync').slice(1);
    expect(polls.every((r) => r.query.timeout === '20' && r.query.since === 's0')).toBe(true);
  });
});
