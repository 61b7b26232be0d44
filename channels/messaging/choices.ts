/**
 * What the messenger adapter remembers about the choices it showed: a token per button or list
 * row, and — where choices were numbered text — that a typed "2" means choice 2, until a message
 * without choices follows. Kept in the channel store, so any instance resolves any press.
 */
import type { ChannelStore } from '../../storage/types.js';
import { presentationFor, type OfferedChoice } from './render.js';
import type { ChannelFormat, InboundMessage } from './types.js';

/** A typed "2" or "2." picks choice 2 of numbered choices. */
const CHOICE_NUMBER = /^\s*(\d{1,2})\s*[.)]?\s*$/;

/** The store keeps titles up to this length. */
const MAX_TITLE = 200;

export class ChoiceMemory {
  constructor(
    private readonly store: ChannelStore,
    private readonly format: ChannelFormat,
  ) {}

  /** Remembers a message's choices and returns their tokens, in order (none: no choices). */
  async remember(conversationId: string, choices: readonly OfferedChoice[]): Promise<string[]> {
    if (!choices.length) {
      // After a message without choices a typed "2" is an answer, not choice 2 of an older
      // numbered list; buttons of older messages keep working.
      if (await this.store.choiceByNumber(conversationId, 1)) {
        await this.store.retireNumbers(conversationId);
      }
      return [];
    }
    const titles = choices.map((c) => c.title);
    const remembered = await this.store.rememberChoices(
      conversationId,
      choices.map((c) => ({ title: c.title.slice(0, MAX_TITLE), value: c.reply })),
      presentationFor(titles, this.format) === 'numbered',
    );
    return remembered.map((r) => r.token);
  }

  /**
   * What a message picked: the choice's reply, `stale` for a pressed button this conversation
   * does not know (any more), or undefined when the message picks nothing.
   */
  async picked(
    conversationId: string,
    message: Pick<InboundMessage, 'choiceToken' | 'text'>,
  ): Promise<OfferedChoice['reply'] | 'stale' | undefined> {
    if (message.choiceToken) {
      const choice = await this.store.choiceByToken(conversationId, message.choiceToken);
      return choice ? (choice.value as OfferedChoice['reply']) : 'stale';
    }
    const number = message.text ? CHOICE_NUMBER.exec(message.text)?.[1] : undefined;
    if (!number) return undefined;
    const choice = await this.store.choiceByNumber(conversationId, Number(number));
    return choice ? (choice.value as OfferedChoice['reply']) : undefined;
  }
}
