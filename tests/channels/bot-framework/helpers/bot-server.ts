/**
 * A real fastify server on 127.0.0.1 with only the Bot Framework plugin, an echo bot, and a few
 * activity builders, so each test reads as the request a channel would send.
 */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import type { TurnContext } from 'botbuilder';
import {
  botFrameworkMessages,
  type BotFrameworkMessagesOptions,
} from '../../../../channels/bot-framework/messages.js';

/** Echoes a message's text; says two things for "twice" so batching is visible. */
export async function echoBot(context: TurnContext): Promise<void> {
  if (context.activity.type !== 'message') return;
  await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  if (context.activity.text === 'twice') await context.sendActivity('and again');
}

export interface BotServer {
  url: string;
  /** Parsed log lines at level warn and above. */
  logs: Array<Record<string, unknown>>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startBotServer(
  options: Partial<BotFrameworkMessagesOptions> = {},
): Promise<BotServer> {
  const logs: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ logger: { level: 'warn', stream } });
  await app.register(botFrameworkMessages, { bot: echoBot, ...options });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `${address}/api/messages`,
    logs,
    post: (body, headers = {}) =>
      fetch(`${address}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: () => app.close(),
  };
}

/** A message from a user as a channel delivers it. */
export function messageActivity(
  serviceUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'message',
    id: 'activity-1',
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: 'conv-1' },
    from: { id: 'user-1', name: 'Erika Mustermann' },
    recipient: { id: 'bot-1', name: 'Lotse' },
    text: 'hallo',
    ...overrides,
  };
}
