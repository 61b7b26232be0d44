/**
 * Messages Lotse starts itself — an agent's reply, "your application was delivered" — reach the
 * citizen on the channel they wrote from. Each channel registers how it sends into one of its
 * conversations; a conversation on a channel without a sender is reported as undeliverable, so the
 * caller can tell the agent instead of pretending the message went out.
 */
import type { Activity, ConversationReference } from 'botbuilder';
import type { CitizenMessenger } from '../bot/handoff/handoff-service.js';
import type { DirectLineAdapter } from './directline/adapter.js';

/**
 * Sends one activity into the conversation a reference names; resolves to false when the channel
 * declined to send it now (WhatsApp outside its 24-hour window without a template).
 */
export type ChannelSender = (
  reference: Partial<ConversationReference>,
  activity: Partial<Activity>,
) => Promise<boolean | void>;

/** Routes proactive messages by the reference's `channelId`. */
export class ChannelMessenger implements CitizenMessenger {
  private readonly senders = new Map<string, ChannelSender>();

  /** Registers (or replaces) the sender of a channel, e.g. `directline`, `telegram`. */
  register(channelId: string, sender: ChannelSender): this {
    this.senders.set(channelId, sender);
    return this;
  }

  async send(conversation: Record<string, unknown>, activity: Partial<Activity>): Promise<boolean> {
    const reference = conversation as Partial<ConversationReference>;
    const sender = reference.channelId ? this.senders.get(reference.channelId) : undefined;
    if (!sender || !reference.conversation?.id) return false;
    return (await sender(reference, activity)) !== false;
  }
}

/** The web chat's sender: a proactive turn on the Direct Line adapter (stored and streamed). */
export function directLineSender(adapter: DirectLineAdapter): ChannelSender {
  return (reference, activity) =>
    adapter.continueConversation(reference, async (context) => {
      await context.sendActivity(activity);
    });
}
