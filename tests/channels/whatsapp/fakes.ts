/**
 * Stand-ins for the parts around the WhatsApp channel: a messenger adapter that records what the
 * webhook hands it (with the adapter's `receive` / `runInBackground` / `inOrder` / `whenIdle`,
 * loading a message's file when its turn comes as the real one does), a channel store that only
 * knows last inbound times, and a logger that keeps every line.
 */
import { KeyedQueue } from '../../../channels/directline/keyed-queue.js';
import type { InboundFile, InboundMessage } from '../../../channels/messaging/types.js';

/** A received message with its file loaded (filled in once the loader has finished). */
export type ReceivedMessage = Omit<InboundMessage, 'file'> & { file?: InboundFile };

export interface RecordingAdapter {
  /** In the order `receive` was entered. */
  received: ReceivedMessage[];
  receive(message: InboundMessage): Promise<'processed'>;
  runInBackground(task: () => Promise<unknown>): void;
  /** A per-chat promise chain, as the adapter's `inOrder`. */
  inOrder(chatId: string, task: () => Promise<unknown>): Promise<void>;
  whenIdle(): Promise<void>;
  /** Makes `receive` wait until the returned function is called (to show the 200 came first). */
  hold(): () => void;
}

export function recordingAdapter(): RecordingAdapter {
  const background = new Set<Promise<unknown>>();
  const chats = new KeyedQueue();
  let gate: Promise<void> | undefined;
  return {
    received: [],
    async receive(message) {
      if (gate) await gate;
      const { file, ...rest } = message;
      const record: ReceivedMessage = rest;
      this.received.push(record);
      if (file) record.file = await file();
      return 'processed';
    },
    runInBackground(task) {
      const running = task().catch(() => undefined);
      background.add(running);
      void running.then(() => background.delete(running));
    },
    async inOrder(chatId, task) {
      await chats.run(chatId, task);
    },
    async whenIdle() {
      while (background.size > 0) await Promise.all([...background]);
    },
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = undefined;
          resolve();
        };
      });
      return release;
    },
  };
}

/** A `lastInbound` store over a plain map of chat id → ISO time. */
export function inboundTimes(times: Record<string, string> = {}) {
  return {
    times,
    async lastInbound(channel: string, chatId: string): Promise<string | undefined> {
      return channel === 'whatsapp' ? times[chatId] : undefined;
    },
  };
}

export interface LogLine {
  level: 'info' | 'warn';
  details: object;
  message: string;
}

/** A logger keeping its lines; `text()` is everything it was given, for "never logs X" checks. */
export function recordingLog() {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (details: object, message: string) => lines.push({ level: 'info', details, message }),
    warn: (details: object, message: string) => lines.push({ level: 'warn', details, message }),
    text: () => JSON.stringify(lines),
  };
}
