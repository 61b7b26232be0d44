/**
 * A real fastify server with the Direct Line plugin on 127.0.0.1 and an echo bot, plus small
 * fetch helpers, shared by the Direct Line tests.
 */
import type { ChannelAccount } from 'botbuilder';
import Fastify, { type FastifyInstance } from 'fastify';
import { type BotLogic, DirectLineAdapter } from '../../../channels/directline/adapter.js';
import { directLine, type DirectLineOptions } from '../../../channels/directline/routes.js';
import type { TranscriptStore } from '../../../storage/types.js';
import { MemoryTranscripts } from './memory-transcripts.js';

export const SECRET = 'test-secret-0123456789abcdef';
export const GREETING = 'Willkommen bei Lotse!';

/**
 * Greets on conversationUpdate, answers "echo: <text>", lists received files, and fails on the
 * text "fail" (to test the apology).
 */
export const echoBot: BotLogic = async (context) => {
  const activity = context.activity;
  if (activity.type === 'conversationUpdate') {
    const joined = (activity.membersAdded ?? []).some(
      (member: ChannelAccount) => member.id !== activity.recipient.id,
    );
    if (joined) await context.sendActivity(GREETING);
    return;
  }
  if (activity.type !== 'message') return;
  if (activity.attachments?.length) {
    const names = activity.attachments.map((a) => `${a.name} (${a.contentType})`).join(', ');
    await context.sendActivity(`received: ${names}`);
    return;
  }
  if (activity.text === 'fail') throw new Error('the test bot fails on purpose');
  await context.sendActivity(`echo: ${activity.text}`);
};

export interface Harness {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/v3/directline`, the `domain` for directlinejs. */
  domain: string;
  adapter: DirectLineAdapter;
  transcripts: TranscriptStore;
  /** The fake clock (ms); tests move it forward to expire tokens. */
  clock: { now: number };
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<Omit<DirectLineOptions, 'transcripts'>> {
  transcripts?: TranscriptStore;
}

export async function startServer(options: HarnessOptions = {}): Promise<Harness> {
  const clock = { now: Date.UTC(2025, 0, 6, 9, 0, 0) };
  const now = () => clock.now;
  const transcripts = options.transcripts ?? new MemoryTranscripts();
  const adapter = options.adapter ?? new DirectLineAdapter({ transcripts, now });
  const app = Fastify({ logger: false });
  await app.register(directLine, {
    prefix: '/v3/directline',
    secret: SECRET,
    bot: echoBot,
    rateLimit: false,
    now,
    ...options,
    transcripts,
    adapter,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    origin: address,
    domain: `${address}/v3/directline`,
    adapter,
    transcripts,
    clock,
    close: async () => {
      await app.close();
    },
  };
}

/** A JSON response: status and parsed body. */
export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

/** Calls the server with fetch and parses the JSON answer (or keeps the text). */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: {
    method?: string;
    auth?: string;
    json?: unknown;
    body?: RequestInit['body'];
    headers?: Record<string, string>;
  } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.auth) headers.authorization = `Bearer ${init.auth}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, body: parsed as T };
}

/** A conversation started with the secret, as a page backend would. */
export async function startConversation(
  harness: Harness,
  user?: string,
): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const generated = await call<{ conversationId: string; token: string }>(
    `${harness.domain}/tokens/generate`,
    { method: 'POST', auth: SECRET, json: user ? { user: { id: user } } : {} },
  );
  const started = await call<{ conversationId: string; token: string; streamUrl: string }>(
    `${harness.domain}/conversations`,
    { method: 'POST', auth: generated.body.token },
  );
  await harness.adapter.whenIdle();
  return started.body;
}
