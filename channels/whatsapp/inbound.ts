/**
 * A webhook message as the channel-neutral `InboundMessage` the messenger adapter takes. Mapping
 * is split in two: `mapMessage` is pure and instant (the webhook answers Meta at once), and the
 * file of an image or document becomes a loader (`withMediaLoader`) the adapter calls when the
 * message's turn comes — so a replayed or rate-limited message downloads nothing.
 */
import { mediaTypeOf } from '../messaging/http.js';
import type { InboundFile, InboundMessage } from '../messaging/types.js';
import type { WhatsAppLogger } from './client.js';
import { WhatsAppMediaTooLargeError } from './errors.js';
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
          contentType: mediaTypeOf(media.mime_type),
          ...(media.filename ? { name: media.filename } : {}),
        },
      };
    }
    default:
      return undefined;
  }
}

/**
 * The message with a loader for its file. The loader never throws: a file over the limit is
 * `too-large`, one that cannot be fetched (gone, Graph down, a media URL off Meta's hosts) is
 * `unavailable` — the adapter tells the user either way instead of the photo vanishing.
 */
export function withMediaLoader(
  mapped: MappedMessage,
  source: MediaSource,
  log: WhatsAppLogger,
): InboundMessage {
  const { media } = mapped;
  if (!media) return mapped.message;
  const described = { contentType: media.contentType, ...(media.name ? { name: media.name } : {}) };
  const file = async (): Promise<InboundFile> => {
    try {
      return {
        ...(await source.downloadMedia(media.id)),
        ...(media.name ? { name: media.name } : {}),
      };
    } catch (error) {
      if (error instanceof WhatsAppMediaTooLargeError) {
        return { bytes: Buffer.alloc(0), ...described, problem: 'too-large' };
      }
      log.warn(
        { channel: 'whatsapp', err: (error as Error).message },
        'whatsapp: media download failed',
      );
      return { bytes: Buffer.alloc(0), ...described, problem: 'unavailable' };
    }
  };
  return { ...mapped.message, file };
}
