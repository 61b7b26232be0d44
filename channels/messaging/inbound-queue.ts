/**
 * How a webhook hands messages to the messenger adapter. A webhook must answer at once (Telegram
 * and Meta retry slow ones), yet a chat's messages must reach the bot in the order they were sent
 * — also when one of them waits for its photo to download. So each message enters its chat's queue
 * while the request is handled, before anything is awaited, and is processed in the background.
 */
import type { InboundMessage } from './types.js';

/** What a webhook needs of the messenger adapter (`MessengerAdapter` has all three). */
export interface InboundQueue {
  receive(message: InboundMessage): Promise<unknown>;
  runInBackground(task: () => Promise<unknown>): void;
  /** Runs `task` after the chat's earlier tasks (a per-chat queue entered at call time). */
  inOrder(chatId: string, task: () => Promise<unknown>): Promise<void>;
}

/**
 * Puts `message` into its chat's queue now (synchronously, so a later request cannot get ahead of
 * it) and lets the adapter process it in the background. A failed turn goes to `onFailure`, for a
 * log line, and does not stop the chat's later messages.
 */
export function queueInbound(
  adapter: InboundQueue,
  message: InboundMessage,
  onFailure: (error: unknown) => void,
): void {
  adapter.runInBackground(() =>
    adapter.inOrder(message.chat.chatId, async () => {
      try {
        await adapter.receive(message);
      } catch (error) {
        onFailure(error);
      }
    }),
  );
}
