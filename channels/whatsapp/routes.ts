/**
 * The two routes of the WhatsApp webhook at `/channels/whatsapp`: Meta's GET verification
 * handshake, and the POST that carries messages and statuses. The POST is authenticated before
 * anything else is done with it and answered at once (Meta retries slow webhooks). Its messages
 * reach the messenger adapter in the order they arrived: while the request is handled — before
 * anything is awaited — each one is put into its chat's queue (`adapter.inOrder`) and processed in
 * the background from there. A photo's download happens inside its turn (the message carries a
 * loader), so a location sent right after a photo waits for it instead of overtaking it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type InboundQueue, queueInbound } from '../messaging/inbound-queue.js';
import { sameSecret } from '../secrets.js';
import type { WhatsAppLogger } from './client.js';
import { WhatsAppWebhookError, WhatsAppWebhookErrors } from './errors.js';
import { type MappedMessage, mapMessage, type MediaSource, withMediaLoader } from './inbound.js';
import { loggableType, WebhookEnvelope, WebhookMessage } from './payload.js';
import { checkSignature } from './signature.js';

/** Where Meta is configured to call. */
export const WHATSAPP_WEBHOOK_PATH = '/channels/whatsapp';

export interface WhatsAppRouteOptions {
  /** Downloads media; its `phoneId` picks out the changes meant for this number. */
  client: MediaSource & { readonly phoneId: string };
  adapter: InboundQueue;
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
    for (const mapped of collect(parsed.data, options)) enqueue(mapped, options);
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

/** Queues one message for its chat (see `queueInbound`), its media as a loader. */
function enqueue(mapped: MappedMessage, options: WhatsAppRouteOptions): void {
  const { adapter, client, log } = options;
  queueInbound(adapter, withMediaLoader(mapped, client, log), (error) =>
    log.warn(
      { channel: 'whatsapp', err: (error as Error).message },
      'whatsapp: message processing failed',
    ),
  );
}
