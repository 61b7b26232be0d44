/**
 * The `messages` webhook of the WhatsApp Cloud API as zod schemas: the envelope
 * (`object: whatsapp_business_account`, `entry[].changes[].value`) and the message kinds Lotse
 * understands. The envelope is checked as a whole; each message on its own, so one message of a
 * kind Lotse does not know (or a malformed one) never costs the others.
 */
import { z } from 'zod';

const id = z.string().min(1).max(256);

/** `contacts[]`: the sender's WhatsApp id and profile name. */
const Contact = z.object({
  wa_id: z.string().max(64).optional(),
  profile: z.object({ name: z.string().max(256).optional() }).optional(),
});

/** One `changes[].value`: messages from users, or statuses of messages Lotse sent. */
const ChangeValue = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string().max(64).optional() }).optional(),
  contacts: z.array(Contact).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

/** The body of every webhook POST. */
export const WebhookEnvelope = z.object({
  object: z.string().max(100),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(
        z.object({ field: z.string().max(100).optional(), value: ChangeValue.optional() }),
      ),
    }),
  ),
});
export type WebhookEnvelope = z.infer<typeof WebhookEnvelope>;
export type WebhookContact = z.infer<typeof Contact>;

/** An image or document as the webhook announces it: an id to fetch it by, never the bytes. */
const Media = z.object({
  id,
  mime_type: z.string().max(200).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(256).optional(),
});

const Reply = z.object({ id, title: z.string().max(256).optional() });

/** The fields every message has, plus those of the kinds Lotse maps. */
export const WebhookMessage = z.object({
  from: z.string().min(1).max(64),
  id,
  /** Unix time in seconds, as a string. */
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: z.string().max(64),
  text: z.object({ body: z.string().max(65_536) }).optional(),
  interactive: z
    .object({
      type: z.string().max(64),
      button_reply: Reply.optional(),
      list_reply: Reply.optional(),
    })
    .optional(),
  /** A quick-reply button of a template message. */
  button: z.object({ text: z.string().max(256) }).optional(),
  location: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    })
    .optional(),
  image: Media.optional(),
  document: Media.optional(),
});
export type WebhookMessage = z.infer<typeof WebhookMessage>;

/** The message type for logs: WhatsApp's type names are short lowercase words, nothing else. */
export function loggableType(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' && /^[a-z_]{1,32}$/.test(type) ? type : 'unrecognised';
}
