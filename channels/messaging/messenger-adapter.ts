/**
 * The Bot Framework adapter for messengers (Telegram, WhatsApp, Matrix). A channel hands it one
 * `InboundMessage` at a time; the adapter makes sure each delivery is handled once, slows down
 * floods, turns a pressed button or a typed number back into the choice it stood for, keeps
 * photos as attachments the flows can use, records both sides in the transcript (so staff see the
 * conversation), runs the bot's turn — one at a time per chat — and sends the replies through the
 * channel's client after the rendering layer made them fit the channel.
 */
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { randomBytes } from 'node:crypto';
import type { ChannelStore, TranscriptStore } from '../../storage/types.js';
import { BackgroundTasks } from '../background-tasks.js';
import type { ChannelSender } from '../citizen-messenger.js';
import { KeyedQueue, type TurnQueue } from '../directline/keyed-queue.js';
import type { UploadStore } from '../directline/uploads.js';
import { ChoiceMemory } from './choices.js';
import { fetchFile, keepFile } from './inbound-files.js';
import type { FloodLimiter } from './flood-gate.js';
import { offeredChoices, renderActivity } from './render.js';
import { messagingTexts } from './texts.js';
import type { ChannelClient, InboundMessage } from './types.js';

export interface MessengerAdapterOptions {
  client: ChannelClient;
  /** Deliveries seen, choices offered, last inbound time per chat. */
  store: ChannelStore;
  transcripts: TranscriptStore;
  /** Where photos are kept; links point to `${attachmentBase}/attachments/<id>`. */
  uploads: UploadStore;
  /**
   * The Direct Line base URL that serves stored attachments (`https://…/v3/directline`); asked
   * each time, because the listening port may be known only after start.
   */
  attachmentBase: () => string;
  maxUploadBytes: number;
  /** Counts each user's messages (in process, or shared through Redis). */
  flood: FloodLimiter;
  /** One turn at a time per conversation, across instances with Redis; in process when absent. */
  turns?: TurnQueue;
  /** The bot's turn handler (`bot.run`). */
  bot: (context: TurnContext) => Promise<void>;
  log: { warn(o: object, m: string): void };
  now?: () => Date;
}

/** What became of one inbound message. */
export type ReceiveOutcome = 'processed' | 'duplicate' | 'limited';

/** The bot account messengers talk to. */
const BOT = { id: 'lotse', name: 'Lotse', role: 'bot' };

/** Marks a proactive turn and collects whether its message really went out. */
const PROACTIVE = Symbol('lotse.proactive');
/** Marks the channel's own texts (flood, file, failure): they offer no choices and retire none. */
const CHANNEL_TEXT = Symbol('lotse.channel-text');

export class MessengerAdapter extends BotAdapter {
  readonly channelId: string;
  private readonly choices: ChoiceMemory;
  private readonly turns: TurnQueue;
  private readonly arrivals = new KeyedQueue();
  private readonly background = new BackgroundTasks();
  private readonly now: () => Date;

  constructor(private readonly options: MessengerAdapterOptions) {
    super();
    this.channelId = options.client.channelId;
    this.now = options.now ?? (() => new Date());
    this.choices = new ChoiceMemory(options.store, options.client);
    this.turns = options.turns ?? new KeyedQueue();
  }

  /** The conversation id of a chat: one conversation per chat (or Matrix room). */
  conversationId(chatId: string): string {
    return `${this.channelId}:${chatId}`;
  }

  /**
   * Runs `task` after every earlier task of the same chat: a channel calls it the moment a message
   * arrives, with `receive` inside, so a chat's messages reach the bot in the order they came even
   * when one of them waits for a download.
   */
  inOrder(chatId: string, task: () => Promise<unknown>): Promise<void> {
    return this.arrivals.run(chatId, async () => {
      await task();
    });
  }

  /**
   * Handles one message from a user; resolves once the bot's replies went out. A delivery seen
   * before and a message over the flood limit are dropped before anything is fetched.
   */
  async receive(message: InboundMessage): Promise<ReceiveOutcome> {
    const { store } = this.options;
    if (!(await store.firstDelivery(this.channelId, message.deliveryId))) return 'duplicate';
    const conversationId = this.conversationId(message.chat.chatId);
    const reference = this.reference(message.chat.chatId, message.userId, message.locale);
    const verdict = await this.options.flood.check(`${this.channelId}:${message.userId}`);
    if (verdict !== 'pass') {
      if (verdict === 'warn') await this.say(reference, messagingTexts(message.locale).slowDown);
      return 'limited';
    }
    await store.touchChat(this.channelId, message.chat.chatId, message.sentAt.toISOString());
    await this.turns.run(conversationId, async () => {
      const activity = await this.toActivity(message, reference);
      if (!activity) return;
      await this.record(activity);
      try {
        await this.runMiddleware(new TurnContext(this, activity), this.options.bot);
      } catch (error) {
        this.options.log.warn(
          { channel: this.channelId, err: errorName(error) },
          'messenger turn failed',
        );
        await this.say(reference, messagingTexts(message.locale).failed);
      }
    });
    return 'processed';
  }

  /** Renders and sends what the bot says, and keeps it in the transcript. */
  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== 'message') {
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? context.activity.conversation.id;
      const chat = { chatId: this.chatIdOf(conversationId) };
      const outgoing: Partial<Activity> = {
        ...activity,
        id: randomBytes(8).toString('hex'),
        channelId: this.channelId,
        conversation: { id: conversationId, isGroup: false, conversationType: '', name: '' },
        from: BOT,
        recipient: context.activity.from,
        timestamp: this.now(),
        locale: activity.locale ?? context.activity.locale,
      };
      const { choices } = offeredChoices(outgoing);
      const channelText = context.turnState.get(CHANNEL_TEXT) === true;
      const rendered = renderActivity(
        outgoing,
        this.options.client,
        channelText ? [] : await this.choices.remember(conversationId, choices),
      );
      const proactive = context.turnState.get(PROACTIVE) as { sent: boolean } | undefined;
      if (proactive && this.options.client.sendProactive) {
        const outcome = await this.options.client.sendProactive(chat, rendered);
        // Only what really went out counts: a template instead of the message is not the message.
        proactive.sent = outcome === 'sent';
        if (!proactive.sent) {
          responses.push({ id: '' });
          continue;
        }
      } else {
        await this.options.client.send(chat, rendered);
      }
      await this.record(outgoing);
      responses.push({ id: outgoing.id ?? '' });
    }
    return responses;
  }

  override async updateActivity(): Promise<void> {
    throw new Error(`${this.channelId} adapter: updating a sent message is not supported`);
  }

  override async deleteActivity(): Promise<void> {
    throw new Error(`${this.channelId} adapter: deleting a sent message is not supported`);
  }

  /** Runs `logic` to send into a chat without a message from it (agent replies, status news). */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      { channelId: this.channelId, bot: BOT, ...reference },
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /**
   * The proactive sender for `ChannelMessenger`: false when the channel refused to send now
   * (WhatsApp outside the 24-hour window without a template).
   */
  sender(): ChannelSender {
    return async (reference, activity) => {
      const outcome = { sent: true };
      await this.continueConversation(reference, async (context) => {
        context.turnState.set(PROACTIVE, outcome);
        await context.sendActivity(activity);
      });
      return outcome.sent;
    };
  }

  /** Runs `task` without making a webhook wait; errors are logged. */
  runInBackground(task: () => Promise<unknown>): void {
    this.background.run(task, (error) =>
      this.options.log.warn(
        { channel: this.channelId, err: errorName(error) },
        'messenger delivery failed',
      ),
    );
  }

  /** Resolves when every background delivery has finished: for shutdown, and for tests. */
  whenIdle(): Promise<void> {
    return this.background.whenIdle();
  }

  private chatIdOf(conversationId: string): string {
    const prefix = `${this.channelId}:`;
    return conversationId.startsWith(prefix) ? conversationId.slice(prefix.length) : conversationId;
  }

  private reference(chatId: string, userId: string, locale?: string) {
    return {
      channelId: this.channelId,
      serviceUrl: '',
      conversation: {
        id: this.conversationId(chatId),
        isGroup: false,
        conversationType: '',
        name: '',
      },
      user: { id: `${this.channelId}:${userId}`, name: '', role: 'user' },
      bot: BOT,
      ...(locale ? { locale } : {}),
    } satisfies Partial<ConversationReference>;
  }

  /** Sends a text of the channel itself (not the bot's) into a chat. */
  private async say(reference: Partial<ConversationReference>, text: string): Promise<void> {
    await this.continueConversation(reference, async (context) => {
      context.turnState.set(CHANNEL_TEXT, true);
      await context.sendActivity({ type: 'message', text, textFormat: 'markdown' });
    });
  }

  /** The bot activity for an inbound message, or undefined when there is nothing to pass on. */
  private async toActivity(
    message: InboundMessage,
    reference: ReturnType<MessengerAdapter['reference']>,
  ): Promise<Partial<Activity> | undefined> {
    const conversationId = reference.conversation.id;
    const t = messagingTexts(message.locale);
    const picked = await this.choices.picked(conversationId, message);
    if (picked === 'stale') {
      // A button of a message long gone: say so rather than leave the press unanswered.
      await this.say(reference, t.choiceExpired);
      return undefined;
    }
    const text = picked?.text ?? message.text?.trim();
    const value = picked?.value;
    const file = message.file ? await fetchFile(message.file) : undefined;
    if (file?.problem === 'unavailable') {
      await this.say(reference, t.fileUnavailable);
      return undefined;
    }
    const attachment = file
      ? await keepFile({ ...this.options, now: this.now }, conversationId, file)
      : undefined;
    if (file && !attachment) {
      await this.say(reference, t.fileRefused(Math.floor(this.options.maxUploadBytes / 2 ** 20)));
      return undefined;
    }
    await this.ensureConversation(conversationId, reference.user.id);
    return {
      type: 'message',
      id: message.deliveryId,
      channelId: this.channelId,
      serviceUrl: '',
      conversation: reference.conversation,
      from: { ...reference.user, name: message.userName ?? '' },
      recipient: BOT,
      timestamp: message.sentAt,
      ...(message.locale ? { locale: message.locale } : {}),
      ...(text ? { text } : {}),
      ...(value === undefined ? {} : { value }),
      ...(message.location ? { entities: [{ type: 'GeoCoordinates', ...message.location }] } : {}),
      ...(attachment ? { attachments: [attachment] } : {}),
    };
  }

  private async ensureConversation(conversationId: string, userId: string): Promise<void> {
    const { transcripts } = this.options;
    if (await transcripts.getConversation(conversationId)) return;
    await transcripts.createConversation({
      id: conversationId,
      userId,
      createdAt: this.now().toISOString(),
    });
  }

  private async record(activity: Partial<Activity>): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId) return;
    await this.ensureConversation(conversationId, activity.recipient?.id ?? '');
    await this.options.transcripts.append(conversationId, activity);
  }
}

/** An error's name or code for logs: messages may carry ids such as phone numbers. */
function errorName(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
}
