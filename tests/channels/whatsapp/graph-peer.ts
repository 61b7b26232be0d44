/**
 * A local stand-in for the Graph API's WhatsApp Cloud endpoints, checking every request as Graph
 * does: the bearer token, the path `/{version}/{phone-number-id}/messages`, `messaging_product`,
 * and the documented limits of text, reply-button, list and template messages. It answers like
 * Graph (a message id, or `{ error: { message, type, code, error_data, fbtrace_id } }`), records
 * what it accepted, serves media (`GET /{media-id}` → `{ url, mime_type, … }`, then the bytes at
 * that URL with the same token), and can play rate limits (with `Retry-After`), a closed 24-hour
 * window, a slow or redirecting media download and a media URL on another host.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphPeerOptions {
  token: string;
  phoneId: string;
  /** The Graph version in the path. Default `v21.0`. */
  version?: string;
}

/** A message body Graph accepted (as the client posted it). */
export interface SentMessage {
  messaging_product: string;
  recipient_type?: string;
  to: string;
  type: 'text' | 'interactive' | 'template';
  text?: { body: string; preview_url?: boolean };
  interactive?: {
    type: 'button' | 'list';
    body: { text: string };
    action: {
      buttons?: { type: string; reply: { id: string; title: string } }[];
      button?: string;
      sections?: { title?: string; rows: { id: string; title: string }[] }[];
    };
  };
  template?: { name: string; language: { code: string } };
}

/** Every request the peer saw, accepted or not. */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** Graph's error code when the peer refused. */
  errorCode?: number;
}

export interface GraphPeer {
  /** Use as the client's `apiBase` (`http://127.0.0.1:<port>/v21.0`). */
  apiBase: string;
  messages: SentMessage[];
  requests: RecordedRequest[];
  /** Serves a media file; returns its media id (for an `image.id` in a webhook). */
  addMedia(bytes: Buffer, mimeType: string): string;
  /**
   * The next `times` message posts are refused with a rate-limit error (default 130429/400),
   * with a `Retry-After` header when `retryAfterSeconds` is given.
   */
  rateLimitNext(
    times: number,
    answer?: { status: number; code: number; retryAfterSeconds?: number },
  ): void;
  /**
   * Media downloads wait until `release` is called, like a slow CDN; `requested` resolves when
   * the first download has arrived and is waiting.
   */
  holdDownloads(): { requested: Promise<void>; release: () => void };
  /** Graph's media info for `mediaId` names `url` instead of the peer's own download URL. */
  setMediaUrl(mediaId: string, url: string): void;
  /** The download of `mediaId` answers with a redirect to `location`. */
  redirectDownload(mediaId: string, location: string): void;
  /** Refuses free-form messages to `to` with 131047, as Graph does outside the 24-hour window. */
  closeWindow(to: string): void;
  /** The next request gets no answer at all (for timeouts). */
  stallNext(): void;
  /** Text bodies and interactive bodies sent to `to`, in order. */
  textsTo(to: string): string[];
  close(): Promise<void>;
}

const TEXT_MAX = 4096;
const INTERACTIVE_BODY_MAX = 1024;

const chars = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : -1);
const within = (s: unknown, max: number) => chars(s) >= 1 && chars(s) <= max;

/** Why Graph would refuse this message body, or undefined when it is valid. */
export function messageViolation(body: unknown): string | undefined {
  const m = body as Partial<SentMessage> | null;
  if (!m || typeof m !== 'object') return 'body must be an object';
  if (m.messaging_product !== 'whatsapp') return 'messaging_product must be whatsapp';
  if (m.recipient_type !== undefined && m.recipient_type !== 'individual') {
    return 'recipient_type must be individual';
  }
  if (typeof m.to !== 'string' || !/^\+?\d{6,15}$/.test(m.to)) return 'to must be a phone number';
  if (m.type === 'text') {
    if (!within(m.text?.body, TEXT_MAX)) return 'text.body must have 1 to 4096 characters';
    return undefined;
  }
  if (m.type === 'template') {
    if (!/^[a-z0-9_]{1,512}$/.test(m.template?.name ?? '')) return 'template.name is invalid';
    if (!within(m.template?.language?.code, 15)) return 'template.language.code is required';
    return undefined;
  }
  if (m.type !== 'interactive') return `type ${String(m.type)} is not supported here`;
  const i = m.interactive;
  if (!i || !within(i.body?.text, INTERACTIVE_BODY_MAX)) {
    return 'interactive.body.text must have 1 to 1024 characters';
  }
  if (i.type === 'button') {
    const buttons = i.action?.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
      return 'action.buttons must have 1 to 3 buttons';
    }
    for (const b of buttons) {
      if (b.type !== 'reply') return 'button type must be reply';
      if (!within(b.reply?.id, 256)) return 'button id must have 1 to 256 characters';
      if (!within(b.reply?.title, 20)) return 'button title must have 1 to 20 characters';
    }
    if (new Set(buttons.map((b) => b.reply.id)).size !== buttons.length) return 'button ids repeat';
    if (new Set(buttons.map((b) => b.reply.title)).size !== buttons.length) {
      return 'button titles repeat';
    }
    return undefined;
  }
  if (i.type === 'list') {
    if (!within(i.action?.button, 20)) return 'action.button must have 1 to 20 characters';
    const sections = i.action?.sections;
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
      return 'action.sections must have 1 to 10 sections';
    }
    if (sections.length > 1 && sections.some((s) => !within(s.title, 24))) {
      return 'every section needs a title when there are several';
    }
    const rows = sections.flatMap((s) => (Array.isArray(s.rows) ? s.rows : []));
    if (rows.length < 1 || rows.length > 10) return 'a list has 1 to 10 rows in total';
    for (const r of rows) {
      if (!within(r.id, 200)) return 'row id must have 1 to 200 characters';
      if (!within(r.title, 24)) return 'row title must have 1 to 24 characters';
    }
    if (new Set(rows.map((r) => r.id)).size !== rows.length) return 'row ids repeat';
    return undefined;
  }
  return `interactive.type ${String(i.type)} is not supported here`;
}

/** Starts the peer on a free port of 127.0.0.1. */
export async function startGraphPeer(options: GraphPeerOptions): Promise<GraphPeer> {
  const version = options.version ?? 'v21.0';
  const messages: SentMessage[] = [];
  const requests: RecordedRequest[] = [];
  const media = new Map<string, { bytes: Buffer; mimeType: string }>();
  const closedWindows = new Set<string>();
  const rateLimits: { status: number; code: number; retryAfterSeconds?: number }[] = [];
  const mediaUrls = new Map<string, string>();
  const redirects = new Map<string, string>();
  let downloadGate: Promise<void> | undefined;
  let onDownloadHeld: (() => void) | undefined;
  const stalled: ServerResponse[] = [];
  let stallNext = false;
  let origin = '';

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    errorCode?: number,
    headers: Record<string, string> = {},
  ) => {
    requests.push({
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      status,
      ...(errorCode === undefined ? {} : { errorCode }),
    });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: number,
    message: string,
    details?: string,
    headers?: Record<string, string>,
  ) =>
    answer(
      req,
      res,
      status,
      {
        error: {
          message,
          type: 'OAuthException',
          code,
          ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
          fbtrace_id: 'AbCdEfGhIjK',
        },
      },
      code,
      headers,
    );

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, chunks));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) => {
    if (stallNext) {
      stallNext = false;
      stalled.push(res);
      return;
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return refuse(req, res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    const download = /^\/media\/(\w+)$/.exec(path);
    if (req.method === 'GET' && download) {
      if (downloadGate) {
        const gate = downloadGate;
        onDownloadHeld?.();
        await gate;
      }
      const file = media.get(download[1] as string);
      if (!file) return refuse(req, res, 404, 100, 'Unsupported get request.');
      const location = redirects.get(download[1] as string);
      if (location) {
        requests.push({ method: 'GET', path, status: 302 });
        res.writeHead(302, { location });
        return res.end();
      }
      requests.push({ method: 'GET', path, status: 200 });
      res.writeHead(200, {
        'content-type': file.mimeType,
        'content-length': String(file.bytes.length),
      });
      return res.end(file.bytes);
    }
    const mediaInfo = new RegExp(`^/${version}/(\\w+)$`).exec(path);
    if (req.method === 'GET' && mediaInfo) {
      const mediaId = mediaInfo[1] as string;
      const file = media.get(mediaId);
      if (!file) return refuse(req, res, 400, 100, 'Unsupported get request.');
      return answer(req, res, 200, {
        messaging_product: 'whatsapp',
        url: mediaUrls.get(mediaId) ?? `${origin}/media/${mediaId}`,
        mime_type: file.mimeType,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        file_size: file.bytes.length,
        id: mediaId,
      });
    }
    if (req.method !== 'POST' || path !== `/${version}/${options.phoneId}/messages`) {
      return refuse(req, res, 400, 2500, 'Unknown path components');
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      return refuse(req, res, 400, 100, 'Invalid parameter', 'the body must be JSON');
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(req, res, 400, 100, 'Invalid parameter', 'the body must be JSON');
    }
    const limited = rateLimits.shift();
    if (limited) {
      const headers: Record<string, string> =
        limited.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(limited.retryAfterSeconds) };
      return refuse(
        req,
        res,
        limited.status,
        limited.code,
        '(#130429) Rate limit hit',
        undefined,
        headers,
      );
    }
    const violation = messageViolation(body);
    if (violation) return refuse(req, res, 400, 100, '(#100) Invalid parameter', violation);
    const message = body as SentMessage;
    if (message.type !== 'template' && closedWindows.has(message.to)) {
      return refuse(
        req,
        res,
        400,
        131047,
        '(#131047) Re-engagement message',
        'More than 24 hours have passed since the recipient last replied to the sender number.',
      );
    }
    messages.push(message);
    return answer(req, res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: message.to, wa_id: message.to }],
      messages: [{ id: `wamid.peer${messages.length}` }],
    });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  let mediaCount = 0;
  return {
    apiBase: `${origin}/${version}`,
    messages,
    requests,
    addMedia(bytes, mimeType) {
      const id = `${1_000_000 + ++mediaCount}`;
      media.set(id, { bytes, mimeType });
      return id;
    },
    rateLimitNext(times, limit = { status: 400, code: 130429 }) {
      for (let i = 0; i < times; i++) rateLimits.push(limit);
    },
    closeWindow(to) {
      closedWindows.add(to);
    },
    stallNext() {
      stallNext = true;
    },
    holdDownloads() {
      let release!: () => void;
      downloadGate = new Promise<void>((resolve) => (release = resolve));
      const requested = new Promise<void>((resolve) => (onDownloadHeld = resolve));
      return {
        requested,
        release: () => {
          downloadGate = undefined;
          release();
        },
      };
    },
    setMediaUrl(mediaId, url) {
      mediaUrls.set(mediaId, url);
    },
    redirectDownload(mediaId, location) {
      redirects.set(mediaId, location);
    },
    textsTo(to) {
      return messages
        .filter((m) => m.to === to)
        .flatMap((m) => (m.text ? [m.text.body] : m.interactive ? [m.interactive.body.text] : []));
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
