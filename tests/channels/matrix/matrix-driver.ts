/**
 * The Matrix user for the cross-channel conversation test (the `ChannelDriver` shape of
 * tests/channels/messaging/drivers): a citizen invites the bot into a room on the test homeserver,
 * writes, answers numbered choices with the number, shares a location (`m.location`) and sends a
 * photo (`m.image` from the media repository); the bot's messages are read back from the peer.
 * Each step waits until the bot has synced past it and finished the turn — no sleeps.
 */
import type { MatrixBot } from '../../../channels/matrix/sync.js';
import type { ChannelDriver } from '../messaging/drivers/driver.js';
import type { HomeserverPeer } from './homeserver-peer.js';

/** A `ChannelDriver` that also names the room it talks in. */
export interface MatrixDriver extends ChannelDriver {
  readonly roomId: string;
}

/**
 * Starts a chat: `userId` creates a room and invites the bot; resolves once it has joined. The bot
 * must be running against `peer`; `close()` stops it too when it is passed with `stop`.
 */
export async function matrixDriver(
  peer: HomeserverPeer,
  bot: Pick<MatrixBot, 'whenIdle'> & Partial<Pick<MatrixBot, 'stop'>>,
  userId = '@erika:localhost',
): Promise<MatrixDriver> {
  const roomId = peer.inviteBot(userId);
  await peer.waitForJoin(roomId);
  await peer.waitUntilCaughtUp();
  let read = peer.sentByBot(roomId).length;
  let offered = '';
  let photos = 0;

  /** Posts, then waits until the bot has seen it and answered. */
  const exchange = async (content: Record<string, unknown>) => {
    peer.post(roomId, userId, content);
    await peer.waitUntilCaughtUp();
    await bot.whenIdle();
    await peer.waitUntilCaughtUp();
  };
  const bodies = (from: number) =>
    peer
      .sentByBot(roomId)
      .slice(from)
      .map((e) => String(e.content.body ?? ''));

  const say = (text: string) => exchange({ msgtype: 'm.text', body: text });
  return {
    name: 'Matrix',
    roomId,
    say,
    async press(title) {
      // Matrix has no buttons: choices are numbered text, answered with the number.
      const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const number = new RegExp(`^(\\d+)\\. ${escaped}$`, 'm').exec(offered)?.[1];
      if (!number) throw new Error(`matrix: no choice "${title}" offered`);
      await say(number);
    },
    shareLocation: (latitude, longitude) =>
      exchange({
        msgtype: 'm.location',
        body: 'Standort',
        geo_uri: `geo:${latitude},${longitude}`,
      }),
    sendPhoto(bytes) {
      photos += 1;
      const name = `foto-${photos}.jpg`;
      const url = peer.upload(bytes, 'image/jpeg', name);
      return exchange({
        msgtype: 'm.image',
        body: name,
        url,
        info: { mimetype: 'image/jpeg', size: bytes.length },
      });
    },
    async replies() {
      const text = bodies(read).join('\n');
      read = peer.sentByBot(roomId).length;
      offered = text;
      return text;
    },
    async close() {
      await bot.stop?.();
      await peer.close();
    },
  };
}
