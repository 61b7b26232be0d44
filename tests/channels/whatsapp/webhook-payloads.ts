/**
 * Webhook bodies in the documented format of the Cloud API's `messages` webhook
 * (`object: whatsapp_business_account`, `entry[].changes[].value.messages[]` / `statuses[]`), and
 * the `X-Hub-Signature-256` Meta puts on them — for driving the webhook as Meta would.
 */
import { createHmac } from 'node:crypto';

/** `sha256=<hex HMAC-SHA256 of the raw body with the app secret>`, as Meta sends it. */
export function signWhatsApp(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A body and the headers Meta would send it with, ready for `app.inject` or `fetch`. */
export function signedRequest(
  body: unknown,
  secret: string,
): { payload: string; headers: Record<string, string> } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    payload,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWhatsApp(payload, secret),
    },
  };
}

/** Unix seconds as the webhook writes them (a string). */
export const waTimestamp = (date: Date = new Date()) => String(Math.floor(date.getTime() / 1000));

interface Sender {
  /** The user's WhatsApp id (their number), e.g. `4917612345678`. */
  from: string;
  /** The message id (`wamid.…`); the adapter deduplicates by it. */
  id: string;
  /** Default: now. */
  at?: Date;
}

const common = (s: Sender, type: string) => ({
  from: s.from,
  id: s.id,
  timestamp: waTimestamp(s.at),
  type,
});

export const waText = (s: Sender, body: string) => ({ ...common(s, 'text'), text: { body } });

/** A pressed reply button: `id` is what Lotse put into the button. */
export const waButtonReply = (s: Sender, id: string, title: string) => ({
  ...common(s, 'interactive'),
  context: { from: '15550783881', id: 'wamid.sent-by-lotse' },
  interactive: { type: 'button_reply', button_reply: { id, title } },
});

/** A chosen list row. */
export const waListReply = (s: Sender, id: string, title: string) => ({
  ...common(s, 'interactive'),
  context: { from: '15550783881', id: 'wamid.sent-by-lotse' },
  interactive: { type: 'list_reply', list_reply: { id, title, description: '' } },
});

export const waLocation = (s: Sender, latitude: number, longitude: number) => ({
  ...common(s, 'location'),
  location: { latitude, longitude, name: 'Rathausmarkt', address: 'Rathausmarkt 1, Hamburg' },
});

/** An image; `mediaId` is what the Graph peer's `addMedia` returned. */
export const waImage = (s: Sender, mediaId: string, mimeType = 'image/jpeg', caption?: string) => ({
  ...common(s, 'image'),
  image: {
    ...(caption ? { caption } : {}),
    mime_type: mimeType,
    sha256: 'aGVsbG8=',
    id: mediaId,
  },
});

/** A status of a message Lotse sent (sent, delivered, read, failed). */
export const waStatus = (recipient: string, status: string, id = 'wamid.sent-by-lotse') => ({
  id,
  status,
  timestamp: waTimestamp(),
  recipient_id: recipient,
});

/** The webhook envelope around messages and statuses for the business number `phoneId`. */
export function waWebhook(options: {
  phoneId: string;
  messages?: unknown[];
  statuses?: unknown[];
  /** Profile names by WhatsApp id, for `contacts[]`. */
  names?: Record<string, string>;
}): Record<string, unknown> {
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '15550783881', phone_number_id: options.phoneId },
  };
  if (options.names) {
    value.contacts = Object.entries(options.names).map(([waId, name]) => ({
      profile: { name },
      wa_id: waId,
    }));
  }
  if (options.messages) value.messages = options.messages;
  if (options.statuses) value.statuses = options.statuses;
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ value, field: 'messages' }] }],
  };
}
