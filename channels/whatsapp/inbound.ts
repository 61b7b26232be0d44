/**
 * A webhook message as the channel-neutral `InboundMessage` the messenger adapter takes. Mapping
 * is split in two: `mapMessage` is pure and instant (the webhook answers Meta at once), the file
 * of an image or document is fetched afterwards, in the background, by `attachMedia`.
 */
import type { InboundFile, InboundMessage } from '../messaging/types.js';
import type { WhatsAppLogger } from './client.js';
import type { WebhookMessage } from './payload.js';

/** Where files users sent are fetched from (the `WhatsAppClient`). */
export interface MediaSource {
  downloadMedia(mediaId: string): Promise<InboundFile>;
}

/** A mapped message and, for images and documents, the media still to fetch. */
export interface MappedMessage {
  message: InboundMessage;
  media?: { id: string; contentType: string; name?: string };
}

/**
 * The inbound message for a webhook message of a kind Lotse understands (text, a pressed reply
 * button or list row, a template's quick-reply button, a location, an image or document), or
 * undefined for any other kind. The sender's WhatsApp id is both the user and the chat.
 */
export function mapMessage(raw: WebhookMessage, userName?: string): MappedMessage | undefined {
  const base: InboundMessage = {
    deliveryId: raw.id,
    chat: { chatId: raw.from },
    userId: raw.from,
    sentAt: new Date(Number(raw.timestamp) * 1000),
    ...(userName ? { userName } : {}),
  };
  switch (raw.type) {
    case 'text':
      return raw.text ? { message: { ...base, text: raw.text.body } } : undefined;
    case 'interactive': {
      const reply = raw.interactive?.button_reply ?? raw.interactive?.list_reply;
      return reply ? { message: { ...base, choiceToken: reply.id } } : undefined;
    }
    case 'button':
      return raw.button ? { message: { ...base, text: raw.button.text } } : undefined;
    case 'location':
      return raw.location
        ? {
            message: {
              ...base,
              location: { latitude: raw.location.latitude, longitude: raw.location.longitude },
            },
          }
        : undefined;
    case 'image':
    case 'document': {
      const media = raw[raw.type];
      if (!media) return undefined;
      return {
        message: { ...base, ...(media.caption ? { text: media.caption } : {}) },
        media: {
          id: media.id,
          contentType: media.mime_type?.split(';')[0]?.trim() ?? '',
          ...(media.filename ? { name: media.filename } : {}),
        },
      };
    }
    default:
      return undefined;
  }
}

/**
 * The message with its file downloaded. A file that cannot be fetched (too large, gone, Graph
 * down) is passed on empty, so the adapter refuses it with its polite "cannot accept this file"
 * instead of the user's photo vanishing without a word.
 */
export async function attachMedia(
  mapped: MappedMessage,
  source: MediaSource,
  log: WhatsAppLogger,
): Promise<InboundMessage> {
  const { media } = mapped;
  if (!media) return mapped.message;
  const name = media.name ? { name: media.name } : {};
  try {
    const file = await source.downloadMedia(media.id);
    return { ...mapped.message, file: { ...file, ...name } };
  } catch (error) {
    log.warn(
      { channel: 'whatsapp', err: (error as Error).message },
      'whatsapp: media download failed',
    );
    return {
      ...mapped.message,
      file: { bytes: Buffer.alloc(0), contentType: media.contentType, ...name },
    };
  }
}
