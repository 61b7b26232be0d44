/**
 * Stands in for the messenger adapter in the Telegram route tests: records what it receives and
 * runs background tasks like the real one, so tests can await `whenIdle()`.
 */
import type { InboundMessage } from '../../../channels/messaging/types.js';
import type { TelegramInboundAdapter } from '../../../channels/telegram/routes.js';

export class RecordingAdapter implements TelegramInboundAdapter {
  readonly received: InboundMessage[] = [];
  private readonly background = new Set<Promise<void>>();

  /** `reply` runs for each message, e.g. to send an answer through the client. */
  constructor(private readonly reply?: (message: InboundMessage) => Promise<void>) {}

  async receive(message: InboundMessage): Promise<'processed'> {
    this.received.push(message);
    await this.reply?.(message);
    return 'processed';
  }

  runInBackground(task: () => Promise<void>): void {
    const running = task().catch(() => undefined);
    this.background.add(running);
    void running.then(() => this.background.delete(running));
  }

  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
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
