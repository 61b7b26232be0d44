/**
 * The coded errors of the Bot Framework endpoint, in one place. Azure Bot Service and operators
 * read the status; people debugging a channel read the stable code and the message. Messages name
 * the endpoint and never carry a stack trace, a token or message text.
 */
import type { FastifyReply } from 'fastify';

/** Every error `/api/messages` answers with, by stable code. */
export const BOT_FRAMEWORK_ERRORS = {
  LOTSE_UNAUTHORIZED: {
    status: 401,
    message: 'bot-framework: the request does not carry a valid Bot Framework token',
  },
  LOTSE_BAD_ACTIVITY: {
    status: 400,
    message: 'bot-framework: the body is not a Bot Framework activity',
  },
  LOTSE_PAYLOAD_TOO_LARGE: {
    status: 413,
    message: 'bot-framework: the activity is larger than this endpoint accepts',
  },
  LOTSE_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'bot-framework: activities must be sent as application/json',
  },
  LOTSE_AUTH_UNAVAILABLE: {
    status: 503,
    message: 'bot-framework: the signing keys of the Bot Framework could not be loaded; try again',
  },
  LOTSE_BOT_FAILED: {
    status: 500,
    message: 'bot-framework: the bot could not complete this turn',
  },
  LOTSE_INTERNAL: {
    status: 500,
    message: 'bot-framework: the activity could not be processed',
  },
} as const;

export type BotFrameworkErrorCode = keyof typeof BOT_FRAMEWORK_ERRORS;

/** The body every error response carries: `{ error: { code, message } }`. */
export interface BotFrameworkErrorBody {
  error: { code: BotFrameworkErrorCode; message: string };
}

/**
 * Sends the coded error once. `detail` is appended to the message and must be safe to show a
 * caller (a field path, never a value from the request). A 401 names the scheme it expects, as
 * RFC 7235 asks.
 */
export function sendBotFrameworkError(
  reply: FastifyReply,
  code: BotFrameworkErrorCode,
  detail?: string,
): FastifyReply {
  const { status, message } = BOT_FRAMEWORK_ERRORS[code];
  if (status === 401) void reply.header('www-authenticate', 'Bearer');
  const body: BotFrameworkErrorBody = {
    error: { code, message: detail ? `${message}: ${detail}` : message },
  };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
