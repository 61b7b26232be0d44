/**
 * The WhatsApp user: messages arrive as webhooks in the documented format, signed with the app
 * secret; the bot's messages are read from the Graph API peer, which checks every request as
 * Graph would. Reply buttons and list rows are pressed by their ids; numbered choices by number.
 */
import type { MessengerAdapter } from '../../../../channels/messaging/messenger-adapter.js';
import type { GraphPeer, SentMessage } from '../../whatsapp/graph-peer.js';
import {
  signedRequest,
  waButtonReply,
  waImage,
  waListReply,
  waLocation,
  waText,
  waWebhook,
} from '../../whatsapp/webhook-payloads.js';
import { plain, type ChannelDriver } from './driver.js';

export interface WhatsAppSetup {
  origin: string;
  peer: GraphPeer;
  adapter: MessengerAdapter;
  phoneId: string;
  appSecret: string;
}

const USER = '4917612345678';

export function whatsappDriver(setup: WhatsAppSetup): ChannelDriver {
  let seen = 0;
  let unread: SentMessage[] = [];
  let offered: SentMessage[] = [];
  let sequence = 0;

  const exchange = async (message: (sender: { from: string; id: string }) => unknown) => {
    sequence += 1;
    const body = waWebhook({
      phoneId: setup.phoneId,
      messages: [message({ from: USER, id: `wamid.test-${sequence}` })],
      names: { [USER]: 'Erika' },
    });
    const { payload, headers } = signedRequest(body, setup.appSecret);
    const res = await fetch(`${setup.origin}/channels/whatsapp`, {
      method: 'POST',
      headers,
      body: payload,
    });
    if (res.status !== 200) throw new Error(`whatsapp webhook: HTTP ${res.status}`);
    await setup.adapter.whenIdle();
    unread = setup.peer.messages.slice(seen).filter((m) => m.to === USER);
    seen = setup.peer.messages.length;
    offered = unread;
  };

  const textOf = (m: SentMessage) => m.text?.body ?? m.interactive?.body.text ?? '';

  return {
    name: 'WhatsApp',
    say: (text) => exchange((s) => waText(s, text)),
    async press(title) {
      for (const m of [...offered].reverse()) {
        const button = m.interactive?.action.buttons?.find((b) => b.reply.title === title);
        if (button) return exchange((s) => waButtonReply(s, button.reply.id, title));
        const row = m.interactive?.action.sections
          ?.flatMap((x) => x.rows)
          .find((r) => r.title === title);
        if (row) return exchange((s) => waListReply(s, row.id, title));
      }
      const lines = offered.map((m) => plain(textOf(m))).join('\n');
      const numbered = new RegExp(
        `^(\\d+)\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        'm',
      );
      const number = numbered.exec(lines)?.[1];
      if (!number) throw new Error(`whatsapp: no choice "${title}" offered`);
      return exchange((s) => waText(s, number));
    },
    shareLocation: (latitude, longitude) => exchange((s) => waLocation(s, latitude, longitude)),
    sendPhoto(bytes) {
      const mediaId = setup.peer.addMedia(bytes, 'image/jpeg');
      return exchange((s) => waImage(s, mediaId));
    },
    async replies() {
      const text = unread.map((m) => plain(textOf(m))).join('\n');
      unread = [];
      return text;
    },
    close: () => setup.peer.close(),
  };
}
