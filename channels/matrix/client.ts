/**
 * Sends Lotse's messages into Matrix rooms. Matrix has no buttons or lists that every client
 * shows, so the capabilities say none and the renderer always numbers the choices in the text;
 * this client only formats (Markdown → HTML) and sends one `m.room.message` per rendered part,
 * with the plain text as `body` for clients without HTML, and web links as links under the text.
 * Each part gets its own transaction id, kept across retries, so a retried PUT never posts the
 * same message twice.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type {
  ChannelCapabilities,
  ChannelClient,
  ChatAddress,
  RenderedMessage,
} from '../messaging/types.js';
import { httpUrl } from '../../knowledge/html.js';
import { escapeHtml } from '../html-escape.js';
import { matrixHtml } from './format.js';
import { MatrixHttp, type MatrixHttpOptions, pathSegment } from './http.js';

/**
 * No buttons, no lists: choices are numbered text. 16,000 characters of HTML plus as much plain
 * text keep a German message (body and formatted_body together) below the spec's 64 KiB event
 * limit.
 */
export const MATRIX_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonTitle: 0,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 16_000,
};

export interface MatrixClientOptions extends MatrixHttpOptions {
  /** Transaction ids; default a random UUID each. Unique per access token, as the spec asks. */
  newTxnId?: () => string;
}

/**
 * The content of one text message with an HTML version: `m.text` for what the bot says,
 * `m.notice` for the channel's own automatic notices (clients and bots do not answer those).
 */
export interface MatrixTextContent {
  msgtype: 'm.text' | 'm.notice';
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
}

const SendResponse = z.object({ event_id: z.string() });

/** The Matrix `ChannelClient`; also owns the HTTP connection the sync loop shares. */
export class MatrixClient implements ChannelClient {
  readonly channelId = 'matrix';
  readonly capabilities = MATRIX_CAPABILITIES;
  readonly http: MatrixHttp;
  private readonly newTxnId: () => string;

  constructor(options: MatrixClientOptions) {
    this.http = new MatrixHttp(options);
    this.newTxnId = options.newTxnId ?? (() => `lotse.${randomUUID()}`);
  }

  format(markdown: string): string {
    return matrixHtml(markdown);
  }

  /** Sends each part as its own message, in order; links the renderer left aside go last. */
  async send(chat: ChatAddress, message: RenderedMessage): Promise<void> {
    for (const content of messageContents(message, this.capabilities.maxTextLength)) {
      await this.sendContent(chat.chatId, content);
    }
  }

  /** Sends one text message; resolves with the event id the homeserver gave it. */
  async sendText(roomId: string, body: string, html?: string): Promise<string> {
    return this.sendContent(roomId, {
      msgtype: 'm.text',
      body,
      format: 'org.matrix.custom.html',
      formatted_body: html ?? escapeHtml(body),
    });
  }

  /** Sends an automatic notice (`m.notice`), e.g. that Lotse cannot read an encrypted room. */
  async sendNotice(roomId: string, body: string): Promise<string> {
    return this.sendContent(roomId, {
      msgtype: 'm.notice',
      body,
      format: 'org.matrix.custom.html',
      formatted_body: escapeHtml(body),
    });
  }

  private async sendContent(roomId: string, content: MatrixTextContent): Promise<string> {
    const txnId = this.newTxnId();
    const answer = await this.http.json(
      {
        call: 'send',
        method: 'PUT',
        path: `/_matrix/client/v3/rooms/${pathSegment(roomId)}/send/m.room.message/${pathSegment(txnId)}`,
        body: content,
        idempotent: true,
      },
      SendResponse,
    );
    return answer.event_id;
  }
}

/**
 * The messages for one rendered message: its parts, and its web links (`openUrl` actions) as
 * links under the last part, or as a message of their own when they do not fit. The renderer
 * numbers the choices in the text (Matrix shows no buttons) and puts other links (`tel:`) into the
 * text; only http(s) links reach `links`. The URL check stays as the one guard that no other
 * scheme (`javascript:`) ever becomes an `href`: a RenderedMessage built otherwise is refused
 * before anything is sent.
 */
export function messageContents(message: RenderedMessage, maxLength: number): MatrixTextContent[] {
  const parts = message.parts.map((html, i) => ({ html, plain: message.plainParts[i] ?? '' }));
  if (message.links.length) {
    const html = message.links
      .map((link, i) => {
        const href = httpUrl(link.url);
        if (!href) throw new Error(`matrix: link ${i + 1} is not an http(s) URL`);
        return `<a href="${escapeHtml(href)}">${escapeHtml(link.title)}</a>`;
      })
      .join('<br>');
    const plain = message.links.map((link) => `${link.title}: ${link.url}`).join('\n');
    const last = parts.at(-1);
    if (
      last &&
      Math.max(last.html.length + html.length, last.plain.length + plain.length) + 8 <= maxLength
    ) {
      last.html = last.html ? `${last.html}<br><br>${html}` : html;
      last.plain = last.plain ? `${last.plain}\n\n${plain}` : plain;
    } else {
      parts.push({ html, plain });
    }
  }
  return parts
    .filter((p) => p.plain.trim() !== '' || p.html.trim() !== '')
    .map((p) => ({
      msgtype: 'm.text',
      body: p.plain,
      format: 'org.matrix.custom.html',
      formatted_body: p.html,
    }));
}
