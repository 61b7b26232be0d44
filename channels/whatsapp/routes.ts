/**
 * The two routes of the WhatsApp webhook at `/channels/whatsapp`: Meta's GET verification
 * handshake, and the POST that carries messages and statuses. The POST is authenticated before
 * anything else is done with it, answered at once (Meta retries slow webhooks), and its messages
 * are handed to the messenger adapter in the background, in the order they came.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InboundMessage } from '../messaging/types.js';
import type { WhatsAppLogger } from './client.js';
import { WhatsAppWebhookError, WhatsAppWebhookErrors } from './errors.js';
import { attachMedia, type MappedMessage, mapMessage, type MediaSource } from './inbound.js';
import { loggableType, WebhookEnvelope, WebhookMessage } from './payload.js';
import { checkSignature, sameSecret } from './signature.js';

/** Where Meta is configured to call. */
export const WHATSAPP_WEBHOOK_PATH = '/channels/whatsapp';

/** What the webhook needs of the messenger adapter. */
export interface WhatsAppInbound {
  receive(message: InboundMessage): Promise<unknown>;
  runInBackground(task: () => Promise<unknown>): void;
}

export interface WhatsAppRouteOptions {
  /** Downloads media; its `phoneId` picks out the changes meant for this number. */
  client: MediaSource & { readonly phoneId: string };
  adapter: WhatsAppInbound;
  appSecret: string;
  verifyToken: string;
  log: WhatsAppLogger;
  /** Messages older than this are not processed. Default 24 hours. */
  maxMessageAgeMs: number;
  now: () => number;
}

/** Meta's challenge is a number; anything else is not echoed back. */
const CHALLENGE = /^[A-Za-z0-9_.-]{1,256}$/;

export function registerWhatsAppRoutes(app: FastifyInstance, options: WhatsAppRouteOptions): void {
  app.get(WHATSAPP_WEBHOOK_PATH, async (req, reply) => verify(req, reply, options));
  app.post(WHATSAPP_WEBHOOK_PATH, async (req, reply) => {
    const raw = rawBody(req);
    checkSignature(req.headers['x-hub-signature-256'], raw, options.appSecret);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw WhatsAppWebhookErrors.badJson();
    }
    const parsed = WebhookEnvelope.safeParse(json);
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path.join('.') || 'body';
      throw WhatsAppWebhookErrors.badPayload(`${path} is not as documented`);
    }
    if (parsed.data.object !== 'whatsapp_business_account') {
      options.log.info(
        { channel: 'whatsapp', object: loggableType({ type: parsed.data.object }) },
        'whatsapp: webhook for another object ignored',
      );
      return reply.code(200).send({ status: 'ignored' });
    }
    const batch = collect(parsed.data, options);
    if (batch.length) {
      options.adapter.runInBackground(() => deliver(batch, options));
    }
    return reply.code(200).send({ status: 'ok' });
  });
}

/** GET `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: echo the challenge or 403. */
function verify(req: FastifyRequest, reply: FastifyReply, options: WhatsAppRouteOptions) {
  const query = req.query as Record<string, unknown>;
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  const tokenOk = typeof token === 'string' && sameSecret(token, options.verifyToken);
  if (
    mode !== 'subscribe' ||
    !tokenOk ||
    typeof challenge !== 'string' ||
    !CHALLENGE.test(challenge)
  ) {
    throw WhatsAppWebhookErrors.verificationFailed();
  }
  return reply.code(200).type('text/plain; charset=utf-8').send(challenge);
}

/** The body exactly as received (the JSON parser of the plugin keeps it as a Buffer). */
function rawBody(req: FastifyRequest): Buffer {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.body === undefined || req.body === null) return Buffer.alloc(0);
  throw new WhatsAppWebhookError(
    'UnsupportedMediaType',
    415,
    'whatsapp: the body must be application/json',
  );
}

/** The messages of a webhook that Lotse will process, mapped; everything else logged by kind. */
function collect(envelope: WebhookEnvelope, options: WhatsAppRouteOptions): MappedMessage[] {
  const { log } = options;
  const batch: MappedMessage[] = [];
  for (const change of envelope.entry.flatMap((e) => e.changes)) {
    const value = change.value;
    if (!value) continue;
    if (change.field !== undefined && change.field !== 'messages') {
      log.info(
        { channel: 'whatsapp', field: loggableType({ type: change.field }) },
        'whatsapp: change ignored',
      );
      continue;
    }
    const phoneId = value.metadata?.phone_number_id;
    if (phoneId !== undefined && phoneId !== options.client.phoneId) {
      log.warn({ channel: 'whatsapp' }, 'whatsapp: change for another phone number ignored');
      continue;
    }
    // statuses[] (sent, delivered, read, failed) need nothing from Lotse: accepted, not processed.
    const names = new Map(
      (value.contacts ?? []).flatMap((c) =>
        c.wa_id && c.profile?.name ? [[c.wa_id, c.profile.name] as const] : [],
      ),
    );
    for (const raw of value.messages ?? []) {
      const type = loggableType(raw);
      const message = WebhookMessage.safeParse(raw);
      const mapped = message.success
        ? mapMessage(message.data, names.get(message.data.from))
        : undefined;
      if (!mapped) {
        log.info({ channel: 'whatsapp', type }, 'whatsapp: message ignored');
        continue;
      }
      if (options.now() - mapped.message.sentAt.getTime() > options.maxMessageAgeMs) {
        log.warn({ channel: 'whatsapp', type }, 'whatsapp: stale message ignored');
        continue;
      }
      batch.push(mapped);
    }
  }
  return batch;
}

/** Hands the messages to the adapter one after another; one failure does not stop the rest. */
async function deliver(batch: MappedMessage[], options: WhatsAppRouteOptions): Promise<void> {
  for (const mapped of batch) {
    try {
      await options.adapter.receive(await attachMedia(mapped, options.client, options.log));
    } catch (error) {
      options.log.warn(
        { channel: 'whatsapp', err: (error as Error).message },
        'whatsapp: message processing failed',
      );
    }
  }
}
