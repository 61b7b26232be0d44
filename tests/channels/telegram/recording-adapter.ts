/**
 * Stands in for the messenger adapter in the Telegram route tests: records what it receives (in
 * the order `receive` is entered), loads a message's file as the real adapter does when the turn
 * comes, queues per chat like `inOrder`, and runs background tasks so tests can await
 * `whenIdle()`.
 */
import { BackgroundTasks } from '../../../channels/background-tasks.js';
import { KeyedQueue } from '../../../channels/directline/keyed-queue.js';
import type { InboundFile, InboundMessage } from '../../../channels/messaging/types.js';
import type { InboundQueue } from '../../../channels/messaging/inbound-queue.js';

/** A received message with its file loaded (filled in once the loader has finished). */
export type ReceivedMessage = Omit<InboundMessage, 'file'> & { file?: InboundFile };

export class RecordingAdapter implements InboundQueue {
  readonly received: ReceivedMessage[] = [];
  private readonly background = new BackgroundTasks();
  private readonly chats = new KeyedQueue();
  private readonly waiting = new Set<() => void>();

  /** `reply` runs for each message, e.g. to send an answer through the client. */
  constructor(private readonly reply?: (message: InboundMessage) => Promise<void>) {}

  async receive(message: InboundMessage): Promise<'processed'> {
    const { file, ...rest } = message;
    const record: ReceivedMessage = rest;
    this.received.push(record);
    for (const check of [...this.waiting]) check();
    if (file) record.file = await file();
    await this.reply?.(message);
    return 'processed';
  }

  /** Resolves once `receive` has been entered `count` times. */
  waitForReceived(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.received.length < count) return;
        this.waiting.delete(check);
        resolve();
      };
      this.waiting.add(check);
      check();
    });
  }

  async inOrder(chatId: string, task: () => Promise<unknown>): Promise<void> {
    await this.chats.run(chatId, task);
  }

  runInBackground(task: () => Promise<unknown>): void {
    this.background.run(task);
  }

  whenIdle(): Promise<void> {
    return this.background.whenIdle();
  }
}

/** A logger that keeps what was logged, to check that no message text ends up in logs. */
export function recordingLog() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
