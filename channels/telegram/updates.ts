/**
 * Telegram `Update` objects → Lotse's channel-neutral `InboundMessage`. Only what the bot uses is
 * read: text and commands, a pressed inline button, a shared location, a photo or an image sent
 * as a file. Everything else (edited messages, stickers, group chats, other update types) maps to
 * undefined and is ignored by the caller.
 */
import { z } from 'zod';
import { allowedType } from '../directline/uploads.js';
import type { InboundFile, InboundMessage } from '../messaging/types.js';
import { TelegramFileTooLargeError } from './errors.js';
import { telegramTexts } from './texts.js';

const User = z.object({
  id: z.number().int(),
  first_name: z.string().optional(),
  language_code: z.string().optional(),
});
const Chat = z.object({ id: z.number().int(), type: z.string() });
const PhotoSize = z.object({
  file_id: z.string().min(1),
  width: z.number(),
  height: z.number(),
  file_size: z.number().optional(),
});
const Message = z.object({
  message_id: z.number().int(),
  from: User.optional(),
  chat: Chat,
  date: z.number(),
  text: z.string().optional(),
  caption: z.string().optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  photo: z.array(PhotoSize).optional(),
  document: z
    .object({
      file_id: z.string().min(1),
      file_name: z.string().optional(),
      mime_type: z.string().optional(),
      file_size: z.number().optional(),
    })
    .optional(),
});
const CallbackQuery = z.object({
  id: z.string().min(1),
  from: User,
  message: z.object({ chat: Chat }).optional(),
  data: z.string().optional(),
});

/** The fields of a Bot API `Update` Lotse reads; other fields and update types are allowed. */
export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: Message.optional(),
  callback_query: CallbackQuery.optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

/** The update's type, for logs: `message`, `callback_query`, `edited_message`, … */
export function updateType(raw: unknown): string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'unknown';
  const key = Object.keys(raw).find((k) => k !== 'update_id');
  if (key === undefined) return 'empty';
  // Only a word like Telegram's own field names is logged, never arbitrary text.
  return /^[a-z_]{1,40}$/.test(key) ? key : 'unknown';
}

export interface UpdateMappingDeps {
  /** Downloads a file by id (`TelegramClient.downloadFile`). */
  download(fileId: string, maxBytes: number): Promise<Buffer>;
  maxFileBytes: number;
  /** When a button was pressed (a callback query has no date). */
  now?: () => Date;
  /** Told when a download failed for another reason than the size (for the log). */
  onDownloadFailure?: (error: unknown) => void;
}

/**
 * Maps an update. A photo or file is not downloaded here: the message carries a loader the
 * adapter calls when the message's turn comes, so a replayed or rate-limited update downloads
 * nothing and the webhook can queue the message at once. Photos: the largest size that fits
 * `maxFileBytes`.
 */
export function toInboundMessage(
  update: TelegramUpdate,
  deps: UpdateMappingDeps,
): InboundMessage | undefined {
  const deliveryId = String(update.update_id);
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat ?? { id: query.from.id, type: 'private' };
    if (chat.type !== 'private' || query.data === undefined) return undefined;
    return {
      deliveryId,
      chat: { chatId: String(chat.id) },
      ...sender(query.from),
      choiceToken: query.data,
      sentAt: (deps.now ?? (() => new Date()))(),
    };
  }
  const message = update.message;
  if (!message?.from || message.chat.type !== 'private') return undefined;
  const base = {
    deliveryId,
    chat: { chatId: String(message.chat.id) },
    ...sender(message.from),
    sentAt: new Date(message.date * 1000),
  };
  if (message.location) {
    const { latitude, longitude } = message.location;
    return { ...base, location: { latitude, longitude } };
  }
  const file = fileLoader(message, deps);
  const text = file ? message.caption : commandText(message.text);
  if (!file && !text) return undefined;
  return { ...base, ...(text ? { text } : {}), ...(file ? { file } : {}) };
}

function sender(
  from: z.infer<typeof User>,
): Pick<InboundMessage, 'userId' | 'userName' | 'locale'> {
  return {
    userId: String(from.id),
    ...(from.first_name ? { userName: from.first_name } : {}),
    ...(from.language_code ? { locale: from.language_code } : {}),
  };
}

/**
 * `/start`, `/hilfe@LotseBot`, `/neustart` → the words the bot understands; other commands
 * arrive as their words without the slash; plain text as it is.
 */
export function commandText(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const command = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (!command) return trimmed;
  const name = (command[1] ?? '').toLowerCase();
  const rest = command[2]?.trim();
  // Own entries only: `/constructor` or `/__proto__` must not find Object.prototype's members.
  const commands = telegramTexts.commands;
  if (Object.hasOwn(commands, name)) return commands[name];
  return rest ? `${name} ${rest}` : name;
}

/**
 * The loader of a message's photo or file, or undefined when it has none. What is known to be
 * too large is reported without a download; a file of a type Lotse does not keep (only JPEG, PNG
 * and PDF) is not fetched and handed on without bytes, so the adapter refuses it by its type.
 */
function fileLoader(
  message: z.infer<typeof Message>,
  deps: UpdateMappingDeps,
): (() => Promise<InboundFile>) | undefined {
  if (message.photo?.length) {
    const fitting = message.photo
      .filter((p) => p.file_size === undefined || p.file_size <= deps.maxFileBytes)
      .sort((a, b) => b.width * b.height - a.width * a.height)[0];
    const contentType = 'image/jpeg';
    if (!fitting)
      return async () => ({ bytes: Buffer.alloc(0), contentType, problem: 'too-large' });
    return () => download(fitting.file_id, { contentType }, deps);
  }
  const document = message.document;
  if (!document) return undefined;
  const described = {
    contentType: document.mime_type ?? 'application/octet-stream',
    ...(document.file_name ? { name: document.file_name } : {}),
  };
  if (document.file_size !== undefined && document.file_size > deps.maxFileBytes) {
    return async () => ({ bytes: Buffer.alloc(0), ...described, problem: 'too-large' });
  }
  if (!allowedType(described.contentType)) {
    return async () => ({ bytes: Buffer.alloc(0), ...described });
  }
  return () => download(document.file_id, described, deps);
}

/** Downloads; never throws — a failure is a `problem` the adapter tells the user about. */
async function download(
  fileId: string,
  described: Omit<InboundFile, 'bytes'>,
  deps: UpdateMappingDeps,
): Promise<InboundFile> {
  try {
    const bytes = await deps.download(fileId, deps.maxFileBytes);
    return { bytes, ...described };
  } catch (error) {
    if (error instanceof TelegramFileTooLargeError) {
      return { bytes: Buffer.alloc(0), ...described, problem: 'too-large' };
    }
    deps.onDownloadFailure?.(error);
    return { bytes: Buffer.alloc(0), ...described, problem: 'unavailable' };
  }
}
