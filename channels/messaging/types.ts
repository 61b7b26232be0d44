/**
 * What every messenger channel (Telegram, WhatsApp, Matrix) shares with the generic messenger
 * adapter: an inbound message in channel-neutral form, the chat it came from, what the channel can
 * show, and the client that sends a rendered message back. The bot and the flow engine never see
 * any of this — they speak Bot Framework activities; the adapter translates both ways.
 */

/** A chat on a channel: a Telegram chat id, a WhatsApp phone number, a Matrix room id. */
export interface ChatAddress {
  /** The channel's own id of the chat, e.g. `123456789`, `4917612345678`, `!abc:example.org`. */
  chatId: string;
}

/** A photo or document the user sent, downloaded from the channel. */
export interface InboundFile {
  /** Empty when `problem` says why there are none. */
  bytes: Buffer;
  /** As the channel declared it; the adapter checks the magic bytes. */
  contentType: string;
  name?: string;
  /**
   * Why the file could not be fetched: larger than the limit, or the channel did not deliver it
   * (network, expired media). The adapter answers the user either way, in their language.
   */
  problem?: 'too-large' | 'unavailable';
}

/** One message from a user, as a channel's webhook or sync loop delivers it. */
export interface InboundMessage {
  /**
   * The channel's id of this delivery (Telegram `update_id`, WhatsApp message `id`, Matrix event
   * id): a delivery seen before is not processed again.
   */
  deliveryId: string;
  chat: ChatAddress;
  /** The sender's id on the channel (Telegram user id, WhatsApp number, Matrix user id). */
  userId: string;
  userName?: string;
  /** The user's language tag when the channel tells it (Telegram `language_code`). */
  locale?: string;
  text?: string;
  /** A pressed button or list row: the token Lotse put into it when it rendered the choices. */
  choiceToken?: string;
  location?: { latitude: number; longitude: number };
  /**
   * Fetches the file the user sent. Called by the adapter only when the message's turn comes —
   * after the duplicate check and the flood limit — so replays and floods download nothing.
   * It should not throw: a failure is `{ problem: 'unavailable' }` (a throw is treated so too).
   */
  file?: () => Promise<InboundFile>;
  /** When the user sent it (for the WhatsApp 24-hour window). */
  sentAt: Date;
}

/** What a channel can show; the rendering layer decides buttons, list or numbered text by it. */
export interface ChannelCapabilities {
  /** Most choices shown as buttons (WhatsApp reply buttons: 3; Matrix: 0). */
  maxButtons: number;
  /** Longest button title; a longer title makes the choices a list or numbered text. */
  maxButtonTitle: number;
  /** Most rows of a list message (WhatsApp: 10; channels without lists: 0). */
  maxListRows: number;
  maxListRowTitle: number;
  /** Longest text of one message, after formatting; longer texts are split. */
  maxTextLength: number;
}

/** A choice as shown: what it says, its number, and the token that comes back when pressed. */
export interface RenderedChoice {
  number: number;
  title: string;
  token: string;
}

/** A link the user opens rather than a choice the bot reads (`openUrl`: "115 anrufen"). */
export interface RenderedLink {
  title: string;
  url: string;
}

/** One bot message in the form a channel client sends it. */
export interface RenderedMessage {
  /**
   * The text in the channel's own format (Telegram HTML, WhatsApp markup, Matrix HTML), already
   * escaped and split to fit `maxTextLength`; numbered choices are part of the last part.
   */
  parts: string[];
  /** The same text as plain text (Matrix `body`, logs of length), split the same way. */
  plainParts: string[];
  presentation: 'none' | 'buttons' | 'list' | 'numbered';
  choices: RenderedChoice[];
  links: RenderedLink[];
  /** A heading for list messages (WhatsApp list button label). */
  listButton?: string;
}

/** How a channel writes Lotse's Markdown subset (bold, italics, links, lists, paragraphs). */
export interface ChannelFormat {
  capabilities: ChannelCapabilities;
  /** Turns one block of Lotse Markdown into the channel's format, escaping everything else. */
  format(markdown: string): string;
}

/** Sends rendered messages into a channel's chats. */
export interface ChannelClient extends ChannelFormat {
  /** The Bot Framework `channelId` of the channel: `telegram`, `whatsapp`, `matrix`. */
  readonly channelId: string;
  /**
   * Sends one message. Throws on failure after the client's own retries (a 429 is waited out
   * as the channel says).
   */
  send(chat: ChatAddress, message: RenderedMessage): Promise<void>;
  /**
   * Sends a message Lotse starts itself (an agent's reply, a status update). Channels with rules
   * for that (WhatsApp's 24-hour window) apply them here: `sent` — the message went out;
   * `template` — only the configured template went out (it asks the user to write back), not
   * this message; `skipped` — nothing went out.
   */
  sendProactive?(chat: ChatAddress, message: RenderedMessage): Promise<ProactiveOutcome>;
}

/** What became of a message Lotse started itself. */
export type ProactiveOutcome = 'sent' | 'template' | 'skipped';
