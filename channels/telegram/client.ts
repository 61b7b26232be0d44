/**
 * Lotse's side of the Telegram Bot API: sends rendered messages (HTML text, inline keyboards for
 * choices, URL buttons for web links), answers button presses, fetches the photos users send and
 * registers the webhook. It implements the shared `ChannelClient`, so the messenger adapter and
 * the renderer treat Telegram like any other messenger.
 */
import type {
  ChannelCapabilities,
  ChannelClient,
  ChatAddress,
  ProactiveOutcome,
  RenderedMessage,
} from '../messaging/types.js';
import { httpUrl } from '../../knowledge/html.js';
import { escapeHtml } from '../html-escape.js';
import { fetchWithTimeout, readCapped, transportReason } from '../messaging/http.js';
import { BotApi, type BotApiOptions, type TelegramLog } from './bot-api.js';
import { TelegramApiError, TelegramFileTooLargeError, TelegramTransportError } from './errors.js';
import { toTelegramHtml } from './format.js';
import { telegramTexts } from './texts.js';

/**
 * What Telegram shows: up to 8 inline buttons (one per row, readable on a phone), titles that
 * fit a button, no list messages, 4,096 characters per message.
 */
export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 8,
  maxButtonTitle: 64,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 4096,
};

/** Telegram allows 1–64 bytes of `callback_data` per button. */
const MAX_CALLBACK_DATA_BYTES = 64;

export interface TelegramClientOptions extends Omit<BotApiOptions, 'apiBase'> {
  /** Default `https://api.telegram.org`; a local peer in tests. */
  apiBase?: string;
  /** Time for a file download, in ms (default 30 s). */
  fileTimeoutMs?: number;
  log?: TelegramLog;
}

/** An inline keyboard button: exactly one of `callback_data` and `url`. */
export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
}

/** The parts of the Bot API `File` object Lotse reads. */
interface TelegramFile {
  file_id: string;
  file_size?: number;
  file_path?: string;
}

/** Sends into Telegram chats and talks to the Bot API for one bot. */
export class TelegramClient implements ChannelClient {
  readonly channelId = 'telegram';
  readonly capabilities = TELEGRAM_CAPABILITIES;
  private readonly api: BotApi;
  private readonly fileTimeoutMs: number;

  constructor(options: TelegramClientOptions) {
    this.api = new BotApi({
      ...options,
      apiBase: (options.apiBase ?? 'https://api.telegram.org').replace(/\/+$/, ''),
    });
    this.fileTimeoutMs = options.fileTimeoutMs ?? 30_000;
  }

  format(markdown: string): string {
    return toTelegramHtml(markdown);
  }

  /**
   * Sends the parts in order as separate messages; the keyboard (choice buttons, then link
   * buttons) goes with the last part, so it sits under the text it belongs to.
   */
  async send(chat: ChatAddress, message: RenderedMessage): Promise<void> {
    const keyboard = inlineKeyboard(message);
    const parts = message.parts.filter((part) => part.trim() !== '');
    if (parts.length === 0) {
      if (!keyboard) return;
      // Telegram refuses an empty text, and buttons need a message to hang on.
      parts.push(escapeHtml(telegramTexts.buttonsOnly));
    }
    const chatId = chatIdOf(chat);
    for (const [i, text] of parts.entries()) {
      const last = i === parts.length - 1;
      await this.api.call('sendMessage', {
        chat_id: chatId,
        text,
        parse_mode: 'HTML',
        ...(last && keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      });
    }
  }

  /**
   * A message Lotse starts (an agent's reply, a status update): Telegram has no window for
   * these, but a user who blocked the bot cannot be reached (403) — that is `skipped`.
   */
  async sendProactive(chat: ChatAddress, message: RenderedMessage): Promise<ProactiveOutcome> {
    try {
      await this.send(chat, message);
      return 'sent';
    } catch (error) {
      if (error instanceof TelegramApiError && error.errorCode === 403) return 'skipped';
      throw error;
    }
  }

  /** Stops the spinner on a pressed inline button (Telegram expects an answer to every press). */
  async answerCallbackQuery(callbackQueryId: string): Promise<void> {
    await this.api.call('answerCallbackQuery', { callback_query_id: callbackQueryId });
  }

  /**
   * Tells Telegram where to deliver updates, with the secret it must send along in
   * `X-Telegram-Bot-Api-Secret-Token`, and only the update types Lotse handles. Pending updates
   * are kept: a restart must not lose what citizens wrote meanwhile.
   */
  async setWebhook(url: string, secretToken: string): Promise<void> {
    await this.api.call('setWebhook', {
      url,
      secret_token: secretToken,
      allowed_updates: ['message', 'callback_query'],
      drop_pending_updates: false,
    });
  }

  /**
   * Downloads a file the user sent (`getFile`, then the file URL). Refuses before downloading
   * when Telegram (or the download's Content-Length) reports a size over `maxBytes`, and stops
   * reading when the body grows past it.
   */
  async downloadFile(fileId: string, maxBytes: number): Promise<Buffer> {
    const file = await this.api.call<TelegramFile>('getFile', { file_id: fileId });
    if (file.file_size !== undefined && file.file_size > maxBytes) {
      throw new TelegramFileTooLargeError(file.file_size, maxBytes);
    }
    if (!file.file_path) {
      throw new TelegramTransportError('getFile', 'the answer has no file_path');
    }
    const broken = (error: unknown) =>
      new TelegramTransportError('file download', transportReason(error, this.fileTimeoutMs), {
        cause: error,
      });
    let response: Response;
    try {
      response = await fetchWithTimeout(
        this.api.fileUrl(file.file_path),
        { redirect: 'error' },
        { timeoutMs: this.fileTimeoutMs },
      );
    } catch (error) {
      throw broken(error);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new TelegramApiError('file download', response.status, `HTTP ${response.status}`);
    }
    return readCapped(response, maxBytes, {
      tooLarge: (size) => new TelegramFileTooLargeError(size, maxBytes),
      broken,
    });
  }
}

/** Numeric chat ids as numbers (as Telegram sends them), anything else (`@channel`) as text. */
function chatIdOf(chat: ChatAddress): number | string {
  return /^-?\d{1,16}$/.test(chat.chatId) ? Number(chat.chatId) : chat.chatId;
}

/**
 * One button per row: choices (as buttons only) first, then web links. The renderer passes only
 * http(s) links here (it writes `tel:` and the like into the text); the check stays as the one
 * guard against a RenderedMessage built otherwise, because Telegram would refuse the whole last
 * part for it (BUTTON_URL_INVALID) after the earlier parts went out — so it throws before anything
 * is sent, like a choice token Telegram would refuse.
 */
export function inlineKeyboard(message: RenderedMessage): InlineKeyboardButton[][] | undefined {
  const rows: InlineKeyboardButton[][] = [];
  if (message.presentation === 'buttons') {
    for (const choice of message.choices) {
      const bytes = Buffer.byteLength(choice.token, 'utf8');
      if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) {
        throw new Error(
          `telegram: choice token for button ${choice.number} has ${bytes} bytes; Telegram allows 1–${MAX_CALLBACK_DATA_BYTES}`,
        );
      }
      rows.push([{ text: choice.title, callback_data: choice.token }]);
    }
  }
  for (const [i, link] of message.links.entries()) {
    const url = httpUrl(link.url);
    if (!url)
      throw new Error(`telegram: link ${i + 1} is not an http(s) URL; it cannot be a button`);
    rows.push([{ text: link.title, url }]);
  }
  return rows.length ? rows : undefined;
}
