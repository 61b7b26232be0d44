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
  if (!raw || typeof raw !== 'object') return 'unknown';
  return Object.keys(raw).find((key) => key !== 'update_id') ?? 'empty';
}

export interface UpdateMappingDeps {
  /** Downloads a file by id (`TelegramClient.downloadFile`). */
  download(fileId: string, maxBytes: number): Promise<Buffer>;
  maxFileBytes: number;
  /** When a button was pressed (a callback query has no date). */
  now?: () => Date;
}

/**
 * Maps an update, downloading a photo or image file on the way. Photos: the largest size that
 * fits `maxFileBytes`. A file that cannot be taken (too large, not an image or PDF) is handed on
 * with no bytes and its declared type, so the adapter's check refuses it and tells the user why
 * instead of the message vanishing.
 */
export async function toInboundMessage(
  update: TelegramUpdate,
  deps: UpdateMappingDeps,
): Promise<InboundMessage | undefined> {
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
  const file = await fileOf(message, deps);
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
  const mapped = telegramTexts.commands[name];
  if (mapped) return mapped;
  return rest ? `${name} ${rest}` : name;
}

async function fileOf(
  message: z.infer<typeof Message>,
  deps: UpdateMappingDeps,
): Promise<InboundFile | undefined> {
  if (message.photo?.length) {
    const fitting = message.photo
      .filter((p) => p.file_size === undefined || p.file_size <= deps.maxFileBytes)
      .sort((a, b) => b.width * b.height - a.width * a.height)[0];
    if (!fitting) return { bytes: Buffer.alloc(0), contentType: 'image/jpeg' };
    return download(fitting.file_id, 'image/jpeg', undefined, deps);
  }
  const document = message.document;
  if (!document) return undefined;
  const contentType = document.mime_type ?? 'application/octet-stream';
  const name = document.file_name;
  const tooLarge = document.file_size !== undefined && document.file_size > deps.maxFileBytes;
  // Only the types Lotse keeps (JPEG, PNG, PDF) are fetched; the adapter still checks the bytes.
  if (!allowedType(contentType) || tooLarge) {
    return { bytes: Buffer.alloc(0), contentType, ...(name ? { name } : {}) };
  }
  return download(document.file_id, contentType, name, deps);
}

async function download(
  fileId: string,
  contentType: string,
  name: string | undefined,
  deps: UpdateMappingDeps,
): Promise<InboundFile> {
  try {
    const bytes = await deps.download(fileId, deps.maxFileBytes);
    return { bytes, contentType, ...(name ? { name } : {}) };
  } catch (error) {
    if (!(error instanceof TelegramFileTooLargeError)) throw error;
    return { bytes: Buffer.alloc(0), contentType, ...(name ? { name } : {}) };
  }
}
