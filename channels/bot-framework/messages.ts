/**
 * `POST /api/messages`: the endpoint Azure Bot Service (Teams, Outlook, Slack via Azure, the Bot
 * Framework Emulator) delivers activities to. The body is validated and the token checked here;
 * botbuilder's `CloudAdapter` then runs the turn and sends replies to the activity's `serviceUrl`
 * (or returns them in the response for `deliveryMode: 'expectReplies'`).
 */
import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeActivityIssue, InboundActivitySchema } from './activity.js';
import { classifyAuthFailure } from './auth-failure.js';
import {
  createBotFrameworkAuthentication,
  type PreAuthenticatedBotFrameworkAuthentication,
} from './authentication.js';
import { sendBotFrameworkError } from './errors.js';
import { createRequestShim, createResponseShim } from './express-shim.js';
import {
  BotFrameworkOptionsError,
  parseBotFrameworkOptions,
  type BotFrameworkMessagesOptions,
  type BotFrameworkSettings,
} from './options.js';

export type { BotFrameworkMessagesOptions } from './options.js';

/**
 * Registers `POST /api/messages`. Use it as `app.register(botFrameworkMessages, options)` or call
 * it directly; all error handling is on the route, so it changes nothing else on `app`.
 *
 * With `appId` set, every request needs a Bot Framework channel token for that app id (signed by
 * a key from the channel's OpenID metadata, issuer `https://api.botframework.com`, `serviceurl`
 * claim equal to the activity's). **Without `appId`, authentication is off**: anyone who can reach
 * the port can post activities and make the bot send replies to any `serviceUrl` they name. That
 * is what the Bot Framework Emulator needs on a developer machine, and nothing else.
 *
 * @throws BotFrameworkOptionsError when an option is invalid (at registration, not per request).
 */
export async function botFrameworkMessages(
  app: FastifyInstance,
  options: BotFrameworkMessagesOptions,
): Promise<void> {
  const settings = parseBotFrameworkOptions(options);
  let auth: PreAuthenticatedBotFrameworkAuthentication;
  try {
    auth = createBotFrameworkAuthentication(settings);
  } catch (e) {
    throw new BotFrameworkOptionsError(`bot-framework: ${(e as Error).message}`);
  }
  const adapter = new CloudAdapter(auth);

  app.post(
    '/api/messages',
    { bodyLimit: settings.maxBodyBytes, errorHandler: handleRouteError },
    (req, reply) => handleActivity(req, reply, auth, adapter, settings),
  );
}

async function handleActivity(
  req: FastifyRequest,
  reply: FastifyReply,
  auth: PreAuthenticatedBotFrameworkAuthentication,
  adapter: CloudAdapter,
  settings: BotFrameworkSettings,
): Promise<FastifyReply> {
  const parsed = InboundActivitySchema.safeParse(req.body);
  if (!parsed.success) {
    return sendBotFrameworkError(reply, 'LOTSE_BAD_ACTIVITY', describeActivityIssue(parsed.error));
  }
  const activity = parsed.data;

  let authenticated: AuthenticateRequestResult;
  try {
    // The schema checked the fields authentication and the turn read; the rest is the channel's.
    authenticated = await auth.authenticateRequest(
      activity as unknown as Activity,
      req.headers.authorization ?? '',
    );
  } catch (e) {
    const failure = classifyAuthFailure(e);
    req.log.warn({ code: failure.code, reason: failure.reason }, 'bot-framework: request refused');
    return sendBotFrameworkError(reply, failure.code);
  }

  // The bot's own failure is caught here, so botbuilder never prints it or turns it into a
  // response body; `turnRan` tells a turn's result (an invoke may answer 4xx/5xx on purpose)
  // from an adapter failure around the turn.
  let turnRan = false;
  let botFailure: { error: unknown } | undefined;
  const logic = async (context: TurnContext): Promise<void> => {
    try {
      await settings.bot(context);
    } catch (error) {
      botFailure = { error };
    }
    turnRan = true;
  };

  const shim = createResponseShim();
  try {
    await auth.runAuthenticated(authenticated, () =>
      adapter.process(createRequestShim(activity, req.headers), shim.response, logic),
    );
  } catch (e) {
    req.log.error({ err: e }, 'bot-framework: the adapter failed');
    return sendBotFrameworkError(reply, 'LOTSE_INTERNAL');
  }
  if (botFailure) {
    req.log.error({ err: botFailure.error }, 'bot-framework: the bot failed a turn');
    return sendBotFrameworkError(reply, 'LOTSE_BOT_FAILED');
  }
  const captured = shim.captured();
  if (!turnRan || !captured) {
    // botbuilder answers its own failures with the error message as the body: log, don't send.
    const reason = typeof captured?.body === 'string' ? captured.body : undefined;
    req.log.error({ status: captured?.status, reason }, 'bot-framework: the turn did not run');
    return sendBotFrameworkError(reply, 'LOTSE_INTERNAL');
  }
  void reply.code(captured.status).headers(captured.headers);
  return captured.body === undefined ? reply.send() : reply.send(captured.body);
}

/** Body errors (size, media type, JSON) and anything unexpected, as coded JSON without a stack. */
function handleRouteError(
  error: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendBotFrameworkError(reply, 'LOTSE_PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendBotFrameworkError(reply, 'LOTSE_UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendBotFrameworkError(reply, 'LOTSE_BAD_ACTIVITY', 'the body is not valid JSON');
  }
  if (error.statusCode === 400) return sendBotFrameworkError(reply, 'LOTSE_BAD_ACTIVITY');
  req.log.error({ err: error }, 'bot-framework: unexpected error');
  return sendBotFrameworkError(reply, 'LOTSE_INTERNAL');
}
