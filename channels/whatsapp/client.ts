/**
 * The WhatsApp Cloud API as a `ChannelClient`: it formats Lotse's Markdown as WhatsApp markup,
 * sends rendered messages as text, reply-button or list messages, downloads the media users send,
 * and applies WhatsApp's 24-hour customer-service window to messages Lotse starts itself — inside
 * the window they go out as usual; outside it only an approved template may be sent, so the
 * configured one is sent instead, or nothing (and the caller learns so).
 */
import type { ChannelStore } from '../../storage/types.js';
import type {
  ChannelCapabilities,
  ChannelClient,
  ChatAddress,
  InboundFile,
  ProactiveOutcome,
  RenderedMessage,
} from '../messaging/types.js';
import { mediaTypeOf } from '../messaging/http.js';
import { splitToFit } from '../messaging/render.js';
import {
  GRAPH_REENGAGEMENT_CODE,
  WhatsAppApiError,
  WhatsAppMediaTooLargeError,
  WhatsAppTransportError,
} from './errors.js';
import { formatWhatsApp, neutralise } from './format.js';
import { GraphApi, type GraphOptions } from './graph.js';
import {
  buttonMessage,
  type GraphMessage,
  listMessage,
  templateMessage,
  textMessage,
  WHATSAPP_LIMITS,
  type WhatsAppTemplate,
} from './outgoing.js';
import { WHATSAPP_TEXTS, type WhatsAppLanguage } from './texts.js';

/** The pino-compatible subset the channel logs through; never given texts, numbers or tokens. */
export interface WhatsAppLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface WhatsAppClientOptions extends GraphOptions {
  /** The business phone number id messages are sent from (`LOTSE_WHATSAPP_PHONE_ID`). */
  phoneId: string;
  /** Sent instead of a proactive message outside the 24-hour window; none: such messages wait. */
  template?: WhatsAppTemplate | undefined;
  /** Where the adapter records when each chat last wrote (the 24-hour window). */
  store: Pick<ChannelStore, 'lastInbound'>;
  log: WhatsAppLogger;
  /** The language of the channel's own short texts. Default German. */
  language?: WhatsAppLanguage;
  /** Largest media file downloaded from a user, in bytes. Default 4 MiB. */
  maxMediaBytes?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** WhatsApp's customer-service window: free-form messages only this long after the user wrote. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Media ids are numeric strings; anything else must not reach a Graph path. */
const MEDIA_ID = /^[A-Za-z0-9_.-]{1,128}$/;

export class WhatsAppClient implements ChannelClient {
  readonly channelId = 'whatsapp';
  /** What WhatsApp can show; the renderer picks buttons, a list or numbered text by it. */
  readonly capabilities: ChannelCapabilities = {
    maxButtons: WHATSAPP_LIMITS.buttons,
    maxButtonTitle: WHATSAPP_LIMITS.buttonTitle,
    maxListRows: WHATSAPP_LIMITS.listRows,
    maxListRowTitle: WHATSAPP_LIMITS.rowTitle,
    maxTextLength: WHATSAPP_LIMITS.text,
  };
  readonly phoneId: string;
  private readonly graph: GraphApi;
  private readonly texts: (typeof WHATSAPP_TEXTS)[WhatsAppLanguage];
  private readonly now: () => number;
  private readonly maxMediaBytes: number;

  constructor(private readonly options: WhatsAppClientOptions) {
    this.phoneId = options.phoneId;
    this.graph = new GraphApi(options);
    this.texts = WHATSAPP_TEXTS[options.language ?? 'de'];
    this.now = options.now ?? Date.now;
    this.maxMediaBytes = options.maxMediaBytes ?? 4 * 2 ** 20;
  }

  /** Lotse Markdown as WhatsApp markup (see `formatWhatsApp`). */
  format(markdown: string): string {
    return formatWhatsApp(markdown);
  }

  /** Sends a rendered message as one or more Graph messages, in order. */
  async send(chat: ChatAddress, message: RenderedMessage): Promise<void> {
    for (const body of this.messagesFor(chat.chatId, message)) {
      await this.graph.call('POST', `/${encodeURIComponent(this.phoneId)}/messages`, body);
    }
  }

  /**
   * Sends a message Lotse starts itself. Inside the 24-hour window (the user wrote less than a
   * day ago) it goes out as usual (`sent`); outside — or when Graph says the window closed
   * meanwhile — only the configured template goes out (`template`: it asks the user to write
   * back; the message itself did not go out), or nothing (`skipped`) when none is configured.
   */
  async sendProactive(chat: ChatAddress, message: RenderedMessage): Promise<ProactiveOutcome> {
    const last = await this.options.store.lastInbound(this.channelId, chat.chatId);
    const lastMs = last ? Date.parse(last) : Number.NaN;
    if (Number.isFinite(lastMs) && this.now() - lastMs < CUSTOMER_SERVICE_WINDOW_MS) {
      try {
        await this.send(chat, message);
        return 'sent';
      } catch (error) {
        if (!(error instanceof WhatsAppApiError && error.code === GRAPH_REENGAGEMENT_CODE)) {
          throw error;
        }
      }
    }
    const { template } = this.options;
    if (!template) {
      this.options.log.warn(
        { channel: this.channelId, reason: 'outside-24h-window' },
        'whatsapp: proactive message skipped: outside the 24-hour window and no template set',
      );
      return 'skipped';
    }
    await this.graph.call(
      'POST',
      `/${encodeURIComponent(this.phoneId)}/messages`,
      templateMessage(chat.chatId, template),
    );
    this.options.log.info(
      { channel: this.channelId, template: template.name },
      'whatsapp: outside the 24-hour window: sent the template instead',
    );
    return 'template';
  }

  /**
   * Downloads a file a user sent: Graph first gives a short-lived URL for the media id, which is
   * then fetched with the same token. A file over the limit throws `WhatsAppMediaTooLargeError` —
   * before the download when Graph tells its `file_size`.
   */
  async downloadMedia(mediaId: string): Promise<InboundFile> {
    if (!MEDIA_ID.test(mediaId)) throw new WhatsAppTransportError('the media id is malformed');
    const info = await this.graph.call<{ url?: unknown; mime_type?: unknown; file_size?: unknown }>(
      'GET',
      `/${mediaId}`,
    );
    const size = Number(info.file_size);
    if (Number.isFinite(size) && size > this.maxMediaBytes) {
      throw new WhatsAppMediaTooLargeError(this.maxMediaBytes);
    }
    if (typeof info.url !== 'string') throw new WhatsAppTransportError('Graph gave no media URL');
    const file = await this.graph.download(info.url, this.maxMediaBytes);
    const declared = typeof info.mime_type === 'string' ? info.mime_type : file.contentType;
    return { bytes: file.bytes, contentType: mediaTypeOf(declared) };
  }

  /**
   * The Graph messages for one rendered message: the text parts (the renderer split them to
   * `maxTextLength` already), the links as "title: url" lines (with the last part when they fit,
   * else on their own, split at lines like the renderer splits), and — when the choices are
   * buttons or a list — the last text as the body of the interactive message, or a short prompt
   * when it is too long for one (1,024 characters).
   */
  messagesFor(to: string, message: RenderedMessage): GraphMessage[] {
    const texts = message.parts.filter((p) => p.trim());
    if (message.links.length) {
      const block = message.links.map((l) => `${neutralise(l.title)}: ${l.url}`).join('\n');
      const last = texts[texts.length - 1];
      if (last !== undefined && last.length + 2 + block.length <= WHATSAPP_LIMITS.text) {
        texts[texts.length - 1] = `${last}\n\n${block}`;
      } else {
        texts.push(...splitToFit(block, WHATSAPP_LIMITS.text, (chunk) => chunk.length));
      }
    }
    const interactive =
      (message.presentation === 'buttons' || message.presentation === 'list') &&
      message.choices.length > 0;
    if (!interactive) return texts.map((t) => textMessage(to, t));
    let body = texts.pop() ?? '';
    if (!body || body.length > WHATSAPP_LIMITS.interactiveBody) {
      if (body) texts.push(body);
      body = this.texts.choosePrompt;
    }
    const useButtons =
      message.presentation === 'buttons' && message.choices.length <= WHATSAPP_LIMITS.buttons;
    const last = useButtons
      ? buttonMessage(to, body, message.choices)
      : listMessage(to, body, message.listButton ?? this.texts.listButton, message.choices);
    return [...texts.map((t) => textMessage(to, t)), last];
  }
}
