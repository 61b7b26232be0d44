/**
 * The botbuilder adapter of the self-hosted Direct Line channel. The bot talks to it through the
 * ordinary `TurnContext`; every activity it sends is stamped, appended to the transcript (which
 * assigns the watermark) and pushed to the conversation's live streams. Nothing is sent to a
 * remote service: the transcript *is* the channel, and clients read it by stream or by polling.
 */
import {
  type Activity,
  BotAdapter,
  type ChannelAccount,
  type ConversationReference,
  type ResourceResponse,
  TurnContext,
} from 'botbuilder';
import { randomBytes } from 'node:crypto';
import type { TranscriptStore } from '../../storage/types.js';
import { BackgroundTasks } from '../background-tasks.js';
import { KeyedQueue, type TurnQueue } from './keyed-queue.js';
import { StreamHub } from './stream-hub.js';
import { activityId } from './transcript-pages.js';

/** The bot as the channel runs it: one call per incoming activity. */
export type BotLogic = (context: TurnContext) => Promise<void>;

/** The channel id stamped on every activity; bots branch on it for channel-specific rendering. */
export const DIRECT_LINE_CHANNEL_ID = 'directline';

/** What the adapter needs; everything but the transcript store has a default. */
export interface DirectLineAdapterOptions {
  /** Where every activity of every conversation is kept; the source of watermarks. */
  transcripts: TranscriptStore;
  /** The live streams; one is created when absent. */
  streams?: StreamHub;
  /** One turn at a time per conversation; in process when absent (one instance). */
  turns?: TurnQueue;
  /** The bot's account on this channel. Default `{ id: 'lotse', name: 'Lotse' }`. */
  bot?: ChannelAccount;
  /** Stamped as `serviceUrl` when an activity has none. Default `''`. */
  serviceUrl?: string;
  /** Clock in milliseconds since the epoch, for activity timestamps. Default `Date.now`. */
  now?: () => number;
}

/** Where an appended activity ended up. */
export interface RecordedActivity {
  id: string;
  watermark: number;
  activity: Partial<Activity>;
}

/** Activity types the bot may send that are not messages for the user. */
const NOT_DELIVERED = new Set(['trace', 'invokeResponse']);
/** The longest `delay` activity honoured, so a bot cannot stall a conversation for long. */
const MAX_DELAY_MS = 10_000;

/**
 * Runs turns for Direct Line conversations and delivers what the bot sends. Appends of one
 * conversation go through a queue so streams see them in watermark order; turns of one
 * conversation go through another, so two quick messages never work on the same state at once.
 */
export class DirectLineAdapter extends BotAdapter {
  readonly transcripts: TranscriptStore;
  readonly streams: StreamHub;
  readonly bot: ChannelAccount;
  private readonly serviceUrl: string;
  private readonly now: () => number;
  private readonly appends = new KeyedQueue();
  private readonly turns: TurnQueue;
  private readonly background = new BackgroundTasks();

  constructor(options: DirectLineAdapterOptions) {
    super();
    this.transcripts = options.transcripts;
    this.streams = options.streams ?? new StreamHub();
    this.turns = options.turns ?? new KeyedQueue();
    this.bot = { role: 'bot', ...(options.bot ?? { id: 'lotse', name: 'Lotse' }) };
    this.serviceUrl = options.serviceUrl ?? '';
    this.now = options.now ?? Date.now;
  }

  /**
   * Appends an activity to its conversation's transcript and publishes it to the live streams,
   * with its id (`<conversationId>|<watermark>`). Used for the user's activities as well as the
   * bot's, so both appear on the stream in one order.
   */
  async record(activity: Partial<Activity>): Promise<RecordedActivity> {
    const conversationId = activity.conversation?.id;
    if (!conversationId) throw new Error('directline adapter: the activity has no conversation id');
    return this.appends.run(conversationId, async () => {
      const { id: _ignored, ...stored } = activity;
      const watermark = await this.transcripts.append(conversationId, stored);
      const id = activityId(conversationId, watermark);
      const delivered = { ...stored, id };
      this.streams.publish(conversationId, delivered, watermark);
      return { id, watermark, activity: delivered };
    });
  }

  /**
   * Delivers what the bot sends. Typing indicators go to the live streams only (they mean nothing
   * later); trace and invoke responses are not for users and are dropped.
   */
  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === 'delay') {
        await delay(Math.min(Number(activity.value) || 1000, MAX_DELAY_MS));
        responses.push({ id: '' });
      } else if (NOT_DELIVERED.has(activity.type ?? '')) {
        responses.push({ id: '' });
      } else if (activity.type === 'typing') {
        const stamped = this.stamp(context, activity, `typing-${randomBytes(6).toString('hex')}`);
        this.streams.publish(stamped.conversation?.id ?? '', stamped);
        responses.push({ id: stamped.id ?? '' });
      } else {
        const { id } = await this.record(this.stamp(context, activity));
        responses.push({ id });
      }
    }
    return responses;
  }

  /** Direct Line 3.0 has no way to change a delivered activity; say so instead of pretending. */
  override async updateActivity(): Promise<void> {
    throw new Error('directline adapter: updating a sent activity is not supported');
  }

  /** Direct Line 3.0 has no way to withdraw a delivered activity; say so instead of pretending. */
  override async deleteActivity(): Promise<void> {
    throw new Error('directline adapter: deleting a sent activity is not supported');
  }

  /**
   * Runs `logic` for a conversation without an incoming message: proactive status updates (a
   * backend confirmed a submission), or the apology after a failed turn. Not queued behind the
   * conversation's turns, so a turn may call it without waiting for itself.
   */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: BotLogic,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      { channelId: DIRECT_LINE_CHANNEL_ID, bot: this.bot, ...reference },
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /**
   * Runs middleware and `logic` for an incoming activity, after any earlier turn of the same
   * conversation. Rejects when the bot fails (unless `onTurnError` handles it).
   */
  async processActivity(activity: Partial<Activity>, logic: BotLogic): Promise<void> {
    const conversationId = activity.conversation?.id ?? '';
    await this.turns.run(conversationId, () =>
      this.runMiddleware(new TurnContext(this, activity), logic),
    );
  }

  /**
   * Runs `task` without making the caller wait (the HTTP answer goes out while the bot thinks)
   * and remembers it until it settles, for `whenIdle`. `task` must handle its own errors.
   */
  runInBackground(task: () => Promise<void>): void {
    this.background.run(task);
  }

  /** Resolves when every background turn has finished: for shutdown, and for tests. */
  whenIdle(): Promise<void> {
    return this.background.whenIdle();
  }

  private stamp(context: TurnContext, activity: Partial<Activity>, id?: string): Partial<Activity> {
    const conversationId = activity.conversation?.id ?? context.activity.conversation?.id;
    if (!conversationId) throw new Error('directline adapter: the activity has no conversation id');
    return {
      ...activity,
      ...(id === undefined ? {} : { id }),
      channelId: DIRECT_LINE_CHANNEL_ID,
      serviceUrl: activity.serviceUrl || this.serviceUrl,
      conversation: { ...activity.conversation, id: conversationId } as Activity['conversation'],
      from: this.bot,
      recipient: activity.recipient ?? context.activity.from,
      timestamp: new Date(this.now()),
    };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
