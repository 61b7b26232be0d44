/**
 * The citizen's side of a handoff inside the bot's turn: asking for a person (queue place, or the
 * 115 number and a call back when nobody is online), leaving a phone number or e-mail address,
 * and staying silent while an agent holds the conversation — the citizen's messages then go to
 * the agent's console instead of the catalogue.
 */
import { ActionTypes, TurnContext } from 'botbuilder';
import type { Language } from '../../knowledge/analysis/language.js';
import { parseEmail } from '../../flows/parsers/email.js';
import { parsePhone } from '../../flows/parsers/phone.js';
import type { ConversationData } from '../conversation-data.js';
import { button, message } from '../replies.js';
import type { HandoffService } from './handoff-service.js';
import { HANDOFF_TEXTS } from './texts.js';

/** Wrong contact entries before the bot gives up and points to 115. */
const CONTACT_TRIES = 3;

/** Handoff handling for LotseBot. */
export class HandoffTurns {
  constructor(private readonly handoffs: HandoffService) {}

  /**
   * When an agent holds this conversation, passes the citizen's message to the agent and returns
   * true: the bot must not answer. Attachments are announced by name.
   */
  async relayIfAssigned(context: TurnContext): Promise<boolean> {
    const open = await this.handoffs.openFor(context.activity.conversation.id);
    if (open?.status !== 'assigned') return false;
    const files = (context.activity.attachments ?? []).map((a) => `[${a.name ?? a.contentType}]`);
    const text = [context.activity.text ?? '', ...files].join(' ').trim();
    // A button pressed without words (feedback, say) is nothing the agent needs to read.
    if (text) await this.handoffs.citizenWrote(open, text);
    return true;
  }

  /** Queues a request for a person and tells the citizen where it stands. */
  async request(
    context: TurnContext,
    state: ConversationData,
    reason: 'user-request' | 'repeated-failure',
    language: Language,
    lead?: string,
  ): Promise<void> {
    const t = HANDOFF_TEXTS[language];
    const reference = TurnContext.getConversationReference(context.activity);
    const outcome = await this.handoffs.request({
      conversationId: context.activity.conversation.id,
      channel: context.activity.channelId,
      reason,
      ...(state.serviceId ? { serviceId: state.serviceId } : {}),
      language,
      conversation: { ...JSON.parse(JSON.stringify(reference)), locale: localeOf(language) },
    });
    const { handoff, position } = outcome;
    const say = (text: string, actions = [] as ReturnType<typeof button>[]) =>
      context.sendActivity(message(lead ? `${lead}\n\n${text}` : text, actions, language));
    if (handoff.status === 'assigned') return void (await say(t.alreadyAssigned));
    if (outcome.agentsOnline === 0) {
      await say(t.noAgentOnline, [
        button(t.leaveContact, { action: 'leave-contact' }),
        { type: ActionTypes.OpenUrl, title: t.call115, value: 'tel:115' },
      ]);
      return;
    }
    await say(outcome.created ? t.queued(position ?? 1) : t.stillQueued(position ?? 1));
  }

  /** "Kontaktdaten hinterlassen": asks for a phone number or e-mail address. */
  async askContact(context: TurnContext, state: ConversationData, language: Language) {
    const open = await this.handoffs.openFor(context.activity.conversation.id);
    if (!open) {
      await this.request(context, state, 'user-request', language);
      return;
    }
    state.contactFor = { handoffId: open.id, tries: 0 };
    await context.sendActivity(message(HANDOFF_TEXTS[language].askContact, [], language));
  }

  /**
   * Reads the contact the bot asked for. Returns false when it is not waiting for one, so the
   * message is handled as usual.
   */
  async handleContact(
    context: TurnContext,
    state: ConversationData,
    text: string,
    language: Language,
  ): Promise<boolean> {
    const waiting = state.contactFor;
    if (!waiting) return false;
    const t = HANDOFF_TEXTS[language];
    const email = parseEmail(text);
    const phone = email.ok ? email : parsePhone(text);
    if (phone.ok) {
      delete state.contactFor;
      const saved = await this.handoffs.setContact(waiting.handoffId, phone.value);
      await context.sendActivity(
        message(saved ? t.contactSaved(phone.display) : t.contactTooLate, [], language),
      );
      return true;
    }
    waiting.tries += 1;
    if (waiting.tries >= CONTACT_TRIES) {
      delete state.contactFor;
      await context.sendActivity(message(t.contactGiveUp, [], language));
    } else {
      await context.sendActivity(message(t.contactInvalid, [], language));
    }
    return true;
  }
}

function localeOf(language: Language): string {
  return language === 'en' ? 'en-GB' : 'de-DE';
}
