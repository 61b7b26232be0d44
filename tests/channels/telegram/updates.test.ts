import { describe, expect, it, vi } from 'vitest';
import { TelegramFileTooLargeError } from '../../../channels/telegram/errors.js';
import {
  commandText,
  TelegramUpdateSchema,
  toInboundMessage,
  updateType,
  type UpdateMappingDeps,
} from '../../../channels/telegram/updates.js';

const from = { id: 42, is_bot: false, first_name: 'Erika', language_code: 'de' };
const privateChat = { id: 42, type: 'private', first_name: 'Erika' };
const DATE = 1_736_150_400; // 2025-01-06T08:00:00Z

function update(message: Record<string, unknown>, updateId = 1001) {
  return TelegramUpdateSchema.parse({
    update_id: updateId,
    message: { message_id: 7, from, chat: privateChat, date: DATE, ...message },
  });
}

function deps(overrides: Partial<UpdateMappingDeps> = {}): UpdateMappingDeps {
  return {
    download: vi.fn(async () => Buffer.from('jpeg')),
    maxFileBytes: 1000,
    now: () => new Date('2025-01-06T09:00:00Z'),
    ...overrides,
  };
}

describe('Telegram updates → inbound messages', () => {
  it('maps a text message with sender, chat, locale, time and delivery id', () => {
    expect(toInboundMessage(update({ text: 'Was kostet ein Reisepass?' }), deps())).toEqual({
      deliveryId: '1001',
      chat: { chatId: '42' },
      userId: '42',
      userName: 'Erika',
      locale: 'de',
      text: 'Was kostet ein Reisepass?',
      sentAt: new Date('2025-01-06T08:00:00Z'),
    });
  });

  it('turns commands into words the bot understands, also with @botname', () => {
    expect(commandText('/start')).toBe('Hilfe');
    expect(commandText('/hilfe@LotseBot')).toBe('Hilfe');
    expect(commandText('/help')).toBe('Help');
    expect(commandText('/neustart')).toBe('Neustart');
    expect(commandText('/unbekannt Parkausweis')).toBe('unbekannt Parkausweis');
    expect(commandText('a/b')).toBe('a/b');
    // Names of Object.prototype's members are commands like any other, not lookups into it.
    expect(commandText('/constructor')).toBe('constructor');
    expect(commandText('/__proto__')).toBe('__proto__');
    expect(commandText('/toString jetzt')).toBe('tostring jetzt');
    expect(commandText('/hasOwnProperty')).toBe('hasownproperty');
    const message = toInboundMessage(
      update({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }),
      deps(),
    );
    expect(message?.text).toBe('Hilfe');
  });

  it('maps a pressed inline button to its choice token', () => {
    const pressed = TelegramUpdateSchema.parse({
      update_id: 1002,
      callback_query: {
        id: 'cq-9',
        from,
        chat_instance: '1',
        message: { message_id: 8, chat: privateChat, date: DATE },
        data: 'c:abc',
      },
    });
    expect(toInboundMessage(pressed, deps())).toEqual({
      deliveryId: '1002',
      chat: { chatId: '42' },
      userId: '42',
      userName: 'Erika',
      locale: 'de',
      choiceToken: 'c:abc',
      sentAt: new Date('2025-01-06T09:00:00Z'),
    });
  });

  it('maps a shared location', () => {
    const message = toInboundMessage(
      update({ location: { latitude: 53.55, longitude: 9.99 } }),
      deps(),
    );
    expect(message?.location).toEqual({ latitude: 53.55, longitude: 9.99 });
  });

  it('downloads the largest photo size that fits only when the loader is called', async () => {
    const d = deps();
    const message = toInboundMessage(
      update({
        caption: 'Schlagloch',
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 60, file_size: 100 },
          { file_id: 'medium', file_unique_id: 'm', width: 320, height: 240, file_size: 900 },
          { file_id: 'large', file_unique_id: 'l', width: 1280, height: 960, file_size: 5000 },
        ],
      }),
      d,
    );
    expect(message?.text).toBe('Schlagloch');
    expect(d.download).not.toHaveBeenCalled();
    expect(await message?.file?.()).toEqual({
      bytes: Buffer.from('jpeg'),
      contentType: 'image/jpeg',
    });
    expect(d.download).toHaveBeenCalledWith('medium', 1000);
  });

  it('downloads an image sent as a document with its type and name', async () => {
    const d = deps();
    const message = toInboundMessage(
      update({
        document: {
          file_id: 'doc',
          file_unique_id: 'd',
          file_name: 'a.png',
          mime_type: 'image/png',
          file_size: 10,
        },
      }),
      d,
    );
    expect(await message?.file?.()).toEqual({
      bytes: Buffer.from('jpeg'),
      contentType: 'image/png',
      name: 'a.png',
    });
    expect(d.download).toHaveBeenCalledWith('doc', 1000);
  });

  it('reports a file known to be too large without downloading it', async () => {
    const d = deps();
    const document = toInboundMessage(
      update({
        document: { file_id: 'y', file_unique_id: 'y', mime_type: 'image/jpeg', file_size: 5000 },
      }),
      d,
    );
    expect(await document?.file?.()).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'image/jpeg',
      problem: 'too-large',
    });
    const photo = toInboundMessage(
      update({
        photo: [{ file_id: 'p', file_unique_id: 'p', width: 9, height: 9, file_size: 5000 }],
      }),
      d,
    );
    expect(await photo?.file?.()).toMatchObject({ bytes: Buffer.alloc(0), problem: 'too-large' });
    expect(d.download).not.toHaveBeenCalled();
  });

  it('reports a file that grew past the limit while downloading as too large', async () => {
    const grew = toInboundMessage(
      update({ photo: [{ file_id: 'z', file_unique_id: 'z', width: 1, height: 1 }] }),
      deps({ download: async () => Promise.reject(new TelegramFileTooLargeError(2000, 1000)) }),
    );
    expect(await grew?.file?.()).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'image/jpeg',
      problem: 'too-large',
    });
  });

  it('reports a failed download as unavailable instead of throwing, and says so', async () => {
    const failures: unknown[] = [];
    const message = toInboundMessage(
      update({ photo: [{ file_id: 'gone', file_unique_id: 'g', width: 1, height: 1 }] }),
      deps({
        download: async () => Promise.reject(new Error('telegram getFile: 400 file is gone')),
        onDownloadFailure: (error) => failures.push(error),
      }),
    );
    expect(await message?.file?.()).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'image/jpeg',
      problem: 'unavailable',
    });
    expect(failures).toHaveLength(1);
  });

  it('hands on a file of a type Lotse does not keep without fetching it, for the adapter to refuse', async () => {
    const d = deps();
    const other = toInboundMessage(
      update({
        document: {
          file_id: 'x',
          file_unique_id: 'x',
          mime_type: 'application/zip',
          file_size: 10,
        },
      }),
      d,
    );
    expect(await other?.file?.()).toEqual({
      bytes: Buffer.alloc(0),
      contentType: 'application/zip',
    });
    expect(d.download).not.toHaveBeenCalled();
  });

  it('ignores group chats, messages without content and other update types', () => {
    expect(
      toInboundMessage(update({ text: 'hi', chat: { id: -5, type: 'group' } }), deps()),
    ).toBeUndefined();
    expect(toInboundMessage(update({ sticker: { file_id: 's' } }), deps())).toBeUndefined();
    const edited = {
      update_id: 5,
      edited_message: { message_id: 1, date: DATE, chat: privateChat },
    };
    expect(toInboundMessage(TelegramUpdateSchema.parse(edited), deps())).toBeUndefined();
    expect(updateType(edited)).toBe('edited_message');
  });

  it('rejects bodies that are not an Update', () => {
    expect(TelegramUpdateSchema.safeParse({}).success).toBe(false);
    expect(TelegramUpdateSchema.safeParse({ update_id: 'x' }).success).toBe(false);
    expect(
      TelegramUpdateSchema.safeParse({ update_id: 1, message: { text: 'no chat' } }).success,
    ).toBe(false);
    expect(TelegramUpdateSchema.safeParse([1]).success).toBe(false);
  });
});
