/**
 * What the Direct Line route files share: the resolved settings, the parts they work with, and
 * the few steps every route needs (authorise a conversation, build URLs, start a bot turn). Kept
 * apart from the routes so each route file stays about one endpoint family.
 */
import { type Activity, type ChannelAccount, TurnContext } from 'botbuilder';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { ConversationRecord, TranscriptStore } from '../../storage/types.js';
import { type BotLogic, DIRECT_LINE_CHANNEL_ID, type DirectLineAdapter } from './adapter.js';
import {
  assertConversationAccess,
  authenticate,
  bearerCredential,
  loadConversation,
  type Principal,
} from './auth.js';
import { turnFailedText } from './texts.js';
import type { TokenIssuer } from './tokens.js';
import type { UploadStore } from './uploads.js';

/** The resolved options and parts, built once when the plugin is registered. */
export interface DirectLineContext {
  secret: string;
  tokens: TokenIssuer;
  adapter: DirectLineAdapter;
  transcripts: TranscriptStore;
  uploads: UploadStore;
  bot: BotLogic;
  now: () => number;
  log: FastifyBaseLogger;
  maxUploadBytes: number;
  maxActivityBytes: number;
  /** The prefix the plugin is mounted under (`/v3/directline`). */
  prefix: string;
  publicBaseUrl: string | undefined;
  /** The apology after a failed turn; by locale when not configured. */
  errorText: ((locale: string | undefined) => string) | undefined;
  /** Conversations whose start (conversationUpdate) is being recorded right now. */
  starting: Set<string>;
}

/** An authorised request on one conversation. */
export interface ConversationAccess {
  principal: Principal;
  conversation: ConversationRecord;
}

/**
 * Authenticates the request and loads the conversation it may use. The credential is the Bearer
 * header's, unless a stream passes its `t` query parameter (`fromUrl`: a token, never the secret).
 */
export async function authoriseConversation(
  ctx: DirectLineContext,
  request: FastifyRequest,
  conversationId: string,
  fromUrl?: string,
): Promise<ConversationAccess> {
  const principal =
    fromUrl === undefined
      ? authenticate(bearerCredential(request), ctx.secret, ctx.tokens)
      : authenticate(fromUrl, ctx.secret, ctx.tokens, false);
  assertConversationAccess(principal, conversationId);
  return { principal, conversation: await loadConversation(ctx.transcripts, conversationId) };
}

/**
 * The origin clients reach us at: the configured public URL, else the request's own protocol and
 * host (right behind a proxy only when fastify trusts it to report them).
 */
export function httpBase(ctx: DirectLineContext, request: FastifyRequest): string {
  const base = ctx.publicBaseUrl ?? `${request.protocol}://${request.host}`;
  return `${base.replace(/\/+$/, '')}${ctx.prefix}`;
}

/** The `streamUrl` for a conversation: ws(s), with the watermark and the token in the query. */
export function streamUrl(
  ctx: DirectLineContext,
  request: FastifyRequest,
  conversationId: string,
  token: string,
  watermark?: string,
): string {
  const url = new URL(`${httpBase(ctx, request)}/conversations/${conversationId}/stream`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (watermark) url.searchParams.set('watermark', watermark);
  url.searchParams.set('t', token);
  return url.toString();
}

/**
 * Creates a conversation for a user; without a user id one is generated with the reserved `dl_`
 * prefix, so every conversation (and every token) is bound to exactly one user.
 */
export async function createConversation(
  ctx: DirectLineContext,
  userId: string | undefined,
): Promise<ConversationRecord> {
  const record: ConversationRecord = {
    id: randomBytes(18).toString('base64url'),
    userId: userId ?? `dl_${randomBytes(12).toString('base64url')}`,
    createdAt: new Date(ctx.now()).toISOString(),
  };
  await ctx.transcripts.createConversation(record);
  return record;
}

/** The bot's account, as the recipient of incoming activities. */
export function botAccount(ctx: DirectLineContext): ChannelAccount {
  return ctx.adapter.bot;
}

/** The fields every incoming activity gets from the channel, never from the client. */
export function channelFields(
  ctx: DirectLineContext,
  request: FastifyRequest,
  conversationId: string,
  from: { id: string; name?: string },
): Partial<Activity> {
  return {
    channelId: DIRECT_LINE_CHANNEL_ID,
    serviceUrl: httpBase(ctx, request),
    conversation: { id: conversationId } as Activity['conversation'],
    from: { ...from, role: 'user' } as ChannelAccount,
    recipient: botAccount(ctx),
    timestamp: new Date(ctx.now()),
  };
}

/**
 * Runs the bot on a recorded activity in the background. When the bot fails, the user's activity
 * is already stored; they get an apology in the conversation instead of an error on their post.
 */
export function startTurn(ctx: DirectLineContext, activity: Partial<Activity>): void {
  const conversationId = activity.conversation?.id;
  ctx.adapter.runInBackground(async () => {
    try {
      await ctx.adapter.processActivity(activity, ctx.bot);
    } catch (error) {
      ctx.log.error({ err: error, conversationId }, 'directline: the bot failed on a turn');
      const text = (ctx.errorText ?? turnFailedText)(activity.locale);
      try {
        await ctx.adapter.continueConversation(
          TurnContext.getConversationReference(activity),
          async (context) => {
            await context.sendActivity({ type: 'message', text });
          },
        );
      } catch (apologyError) {
        ctx.log.error({ err: apologyError, conversationId }, 'directline: the apology failed');
      }
    }
  });
}

/**
 * Sends the bot a `conversationUpdate` (the user joined) once per conversation, so it can greet.
 * "Once" is read from the transcript: the update is recorded, so a conversation with any
 * activity has started, across reloads and instances.
 */
export async function greetOnce(
  ctx: DirectLineContext,
  request: FastifyRequest,
  conversation: ConversationRecord,
  locale: string | undefined,
): Promise<void> {
  if (ctx.starting.has(conversation.id)) return;
  ctx.starting.add(conversation.id);
  try {
    const existing = await ctx.transcripts.list(conversation.id, 0, 1);
    if (existing.activities.length > 0) return;
    const user = { id: conversation.userId ?? '', role: 'user' } as ChannelAccount;
    const { activity } = await ctx.adapter.record({
      ...channelFields(ctx, request, conversation.id, user),
      type: 'conversationUpdate',
      membersAdded: [user],
      ...(locale ? { locale } : {}),
    });
    startTurn(ctx, activity);
  } finally {
    ctx.starting.delete(conversation.id);
  }
}
