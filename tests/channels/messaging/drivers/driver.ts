/**
 * What the cross-channel conversation test does as a user, whatever the channel: type, press a
 * choice by its title, share a location, send a photo, and read what the bot said. Each channel
 * has a driver that does these things the way that channel's users do (Web Chat over Direct Line,
 * Telegram through the Bot API peer, WhatsApp through signed webhooks).
 */
export interface ChannelDriver {
  readonly name: string;
  say(text: string): Promise<void>;
  /** Picks the offered choice with this title as the channel shows it (button, list row, number). */
  press(title: string): Promise<void>;
  shareLocation(latitude: number, longitude: number): Promise<void>;
  sendPhoto(bytes: Buffer): Promise<void>;
  /** Everything the bot said since the last call, as plain text. */
  replies(): Promise<string>;
  close(): Promise<void>;
}

/** Removes channel markup (HTML tags, Markdown/WhatsApp emphasis) to compare texts across channels. */
export function plain(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)[*_]([^*_\n]+)[*_]/g, '$1$2');
}
