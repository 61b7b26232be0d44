/**
 * Stand-ins for the parts around the WhatsApp channel: a messenger adapter that records what the
 * webhook hands it (with the adapter's `receive` / `runInBackground` / `whenIdle`), a channel
 * store that only knows last inbound times, and a logger that keeps every line.
 */
import type { InboundMessage } from '../../../channels/messaging/types.js';

export interface RecordingAdapter {
  received: InboundMessage[];
  receive(message: InboundMessage): Promise<'processed'>;
  runInBackground(task: () => Promise<unknown>): void;
  whenIdle(): Promise<void>;
  /** Makes `receive` wait until the returned function is called (to show the 200 came first). */
  hold(): () => void;
}

export function recordingAdapter(): RecordingAdapter {
  const background = new Set<Promise<unknown>>();
  let gate: Promise<void> | undefined;
  return {
    received: [],
    async receive(message) {
      if (gate) await gate;
      this.received.push(message);
      return 'processed';
    },
    runInBackground(task) {
      const running = task().catch(() => undefined);
      background.add(running);
      void running.then(() => background.delete(running));
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
