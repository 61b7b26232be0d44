/**
 * The Telegram user, through telegram-test-api as the Bot API peer: messages, `/commands`,
 * inline-keyboard presses (callback queries), a location and a photo travel over the webhook Lotse
 * registered; the bot's messages are read back from the peer.
 */
import type { MessengerAdapter } from '../../../../channels/messaging/messenger-adapter.js';
import type { TelegramPeer } from '../../telegram/telegram-peer.js';
import { plain, type ChannelDriver } from './driver.js';

interface BotMessage {
  text?: string;
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] };
}

export function telegramDriver(peer: TelegramPeer, adapter: MessengerAdapter): ChannelDriver {
  const user = peer.user({ userId: 4711, firstName: 'Erika' });
  type MessageOptions = Parameters<typeof user.makeMessage>[1];
  let unread: BotMessage[] = [];
  let offered: BotMessage[] = [];
  let photos = 0;

  const exchange = async (send: () => Promise<unknown>) => {
    await peer.deliver(send);
    await adapter.whenIdle();
    const { result } = (await user.getUpdates()) as unknown as {
      result: { message: BotMessage }[];
    };
    unread = result.map((r) => r.message);
    offered = unread;
  };

  return {
    name: 'Telegram',
    say: (text) => exchange(() => user.sendMessage(user.makeMessage(text))),
    async press(title) {
      const buttons = offered.flatMap((m) => m.reply_markup?.inline_keyboard?.flat() ?? []);
      const button = buttons.find((b) => b.text === title && b.callback_data);
      if (button) {
        await exchange(() => user.sendCallback(user.makeCallbackQuery(button.callback_data!)));
        return;
      }
      // Without buttons for it, the choice was offered as numbered text: answer with its number.
      const lines = offered.map((m) => plain(m.text ?? '')).join('\n');
      const numbered = new RegExp(
        `^(\\d+)\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        'm',
      );
      const number = numbered.exec(lines)?.[1];
      if (!number) throw new Error(`telegram: no choice "${title}" offered`);
      await this.say(number);
    },
    shareLocation: (latitude, longitude) =>
      exchange(() =>
        user.sendMessage(
          user.makeMessage('', { location: { latitude, longitude } } as MessageOptions),
        ),
      ),
    sendPhoto(bytes) {
      photos += 1;
      const file = peer.media.addFile(`photo-${photos}`, bytes);
      return exchange(() =>
        user.sendMessage(
          user.makeMessage('', { photo: [{ ...file, width: 800, height: 600 }] } as MessageOptions),
        ),
      );
    },
    async replies() {
      const text = unread.map((m) => plain(m.text ?? '')).join('\n');
      unread = [];
      return text;
    },
    close: () => peer.stop(),
  };
}
