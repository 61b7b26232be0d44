/**
 * Sends Lotse's messages into Matrix rooms. Matrix has no buttons or lists that every client
 * shows, so the capabilities say none and the renderer always numbers the choices in the text;
 * this client only formats (Markdown → HTML) and sends one `m.room.message` per rendered part,
 * with the plain text as `body` for clients without HTML. Each part gets its own transaction id,
 * kept across retries, so a retried PUT never posts the same message twice.
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
import { escapeHtml, matrixHtml } from './format.js';
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

/** The content of one text message (`m.text` with an HTML version). */
export interface MatrixTextContent {
  msgtype: 'm.text';
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
 * The messages for one rendered message. Choices are already numbered in the text (the renderer
 * does that for channels without buttons); were a renderer to ask for buttons or a list anyway,
 * they are numbered here so no choice is lost. Web links (`openUrl` actions) are added as lines.
 */
export function messageContents(message: RenderedMessage, maxLength: number): MatrixTextContent[] {
  const parts = message.parts.map((html, i) => ({ html, plain: message.plainParts[i] ?? '' }));
  const extra = { html: [] as string[], plain: [] as string[] };
  if (message.presentation === 'buttons' || message.presentation === 'list') {
    for (const choice of message.choices) {
      extra.html.push(`${choice.number}. ${escapeHtml(choice.title)}`);
      extra.plain.push(`${choice.number}. ${choice.title}`);
    }
  }
  for (const link of message.links) {
    const href = httpUrl(link.url);
    extra.html.push(
      href
        ? `<a href="${escapeHtml(href)}">${escapeHtml(link.title)}</a>`
        : escapeHtml(`${link.title}: ${link.url}`),
    );
    extra.plain.push(`${link.title}: ${link.url}`);
  }
  if (extra.plain.length) {
    const html = extra.html.join('<br>');
    const plain = extra.plain.join('\n');
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
