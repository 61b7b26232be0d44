/**
 * A small local Bot API server for what telegram-test-api does not cover (getFile and file
 * downloads, flood control, error answers). It checks requests like Telegram does: the token in
 * the path, POST with a JSON body, a non-empty `text`, well-formed HTML for `parse_mode: 'HTML'`,
 * inline keyboard buttons with exactly one of `callback_data` (1–64 bytes) or an http(s) `url`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
}

/** An answer: `{ ok: true, result }` or a Bot API error. */
export type PeerAnswer =
  | { result: unknown }
  | { status: number; error_code: number; description: string; retry_after?: number };

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
]);

/** Why Telegram would refuse this HTML, or undefined when it parses. */
export function htmlProblem(text: string): string | undefined {
  const open: string[] = [];
  const tag =
    /<(\/?)([a-z]+)((?:\s+[a-z]+="[^"<>]*")*)\s*>|<|>|&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);)/gi;
  for (const m of text.matchAll(tag)) {
    if (m[2] === undefined) return `can't parse entities: unescaped "${m[0]}"`;
    const name = m[2].toLowerCase();
    if (!TAGS.has(name)) return `can't parse entities: unsupported start tag "${name}"`;
    if (m[1]) {
      if (open.pop() !== name) return `can't parse entities: unmatched end tag "${name}"`;
    } else {
      if (name === 'a' && !/^\s+href="https?:\/\/[^"]+"$/.test(m[3] ?? '')) {
        return "can't parse entities: bad href";
      }
      open.push(name);
    }
  }
  return open.length ? "can't parse entities: unclosed tag" : undefined;
}

export class BotApiPeer {
  readonly calls: RecordedCall[] = [];
  /** Files for getFile: id → path and bytes. */
  private readonly files = new Map<string, { path: string; bytes: Buffer }>();
  private readonly scripted = new Map<string, PeerAnswer[]>();
  private readonly server: Server;
  private messageId = 100;
  /** Called after each answered method call. */
  onCall: ((call: RecordedCall) => void) | undefined;
  /** While set, file downloads wait for it (see `holdDownloads`). */
  private downloadGate: Promise<void> | undefined;
  private onDownloadHeld: (() => void) | undefined;
  apiBase = '';

  constructor(readonly token: string) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.apiBase = `http://127.0.0.1:${port}`;
    return this.apiBase;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next calls of `method` get these answers, in order; then the default answer again. */
  script(method: string, ...answers: PeerAnswer[]): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...answers]);
  }

  /** Makes a file downloadable; returns what a PhotoSize or Document carries. */
  addFile(fileId: string, bytes: Buffer, path = `photos/${fileId}.jpg`) {
    this.files.set(fileId, { path, bytes });
    return { file_id: fileId, file_unique_id: `u-${fileId}`, file_size: bytes.length };
  }

  /**
   * Makes file downloads wait until `release` is called, like a slow file server; `requested`
   * resolves when the first download has arrived and is waiting.
   */
  holdDownloads(): { requested: Promise<void>; release: () => void } {
    let release!: () => void;
    this.downloadGate = new Promise<void>((resolve) => (release = resolve));
    const requested = new Promise<void>((resolve) => (this.onDownloadHeld = resolve));
    return {
      requested,
      release: () => {
        this.downloadGate = undefined;
        release();
      },
    };
  }

  callsOf(method: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://peer');
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      if (this.downloadGate) {
        const gate = this.downloadGate;
        this.onDownloadHeld?.();
        await gate;
      }
      return this.serveFile(file[1] ?? '', decodeURIComponent(file[2] ?? ''), res);
    }
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call || call[1] !== this.token) {
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    const method = call[2] ?? '';
    if (req.method !== 'POST' || !req.headers['content-type']?.startsWith('application/json')) {
      return send(res, 400, {
        ok: false,
        error_code: 400,
        description: 'Bad Request: expected a JSON POST',
      });
    }
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return send(res, 400, {
        ok: false,
        error_code: 400,
        description: 'Bad Request: invalid JSON',
      });
    }
    const recorded = { method, params };
    this.calls.push(recorded);
    const answer = this.scripted.get(method)?.shift() ?? this.defaultAnswer(method, params);
    if ('result' in answer) send(res, 200, { ok: true, result: answer.result });
    else {
      send(res, answer.status, {
        ok: false,
        error_code: answer.error_code,
        description: answer.description,
        ...(answer.retry_after !== undefined
          ? { parameters: { retry_after: answer.retry_after } }
          : {}),
      });
    }
    this.onCall?.(recorded);
  }

  private defaultAnswer(method: string, p: Record<string, unknown>): PeerAnswer {
    const bad = (description: string): PeerAnswer => ({
      status: 400,
      error_code: 400,
      description: `Bad Request: ${description}`,
    });
    switch (method) {
      case 'sendMessage': {
        if (p.chat_id === undefined) return bad('chat_id is empty');
        if (typeof p.text !== 'string' || !p.text.trim()) return bad('message text is empty');
        if (p.parse_mode === 'HTML') {
          const problem = htmlProblem(p.text);
          if (problem) return bad(problem);
        }
        const visible = p.parse_mode === 'HTML' ? visibleText(p.text) : p.text;
        if (visible.length > 4096) return bad('message is too long');
        const keyboardProblem = checkKeyboard(p.reply_markup);
        if (keyboardProblem) return bad(keyboardProblem);
        return {
          result: {
            message_id: this.messageId++,
            chat: { id: p.chat_id, type: 'private' },
            date: 0,
            text: p.text,
          },
        };
      }
      case 'answerCallbackQuery':
        return typeof p.callback_query_id === 'string'
          ? { result: true }
          : bad('query id is invalid');
      case 'setWebhook':
        if (typeof p.url !== 'string' || !/^https?:\/\//.test(p.url)) return bad('bad webhook url');
        if (
          p.secret_token !== undefined &&
          !/^[A-Za-z0-9_-]{1,256}$/.test(String(p.secret_token))
        ) {
          return bad('secret token contains unallowed characters');
        }
        return { result: true };
      case 'getFile': {
        const file = this.files.get(String(p.file_id));
        if (!file) return bad('invalid file_id');
        return {
          result: {
            file_id: p.file_id,
            file_unique_id: `u-${String(p.file_id)}`,
            file_size: file.bytes.length,
            file_path: file.path,
          },
        };
      }
      default:
        return { status: 404, error_code: 404, description: 'Not Found' };
    }
  }

  private serveFile(token: string, path: string, res: ServerResponse): void {
    const file = [...this.files.values()].find((f) => f.path === path);
    if (token !== this.token || !file)
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': file.bytes.length,
    });
    res.end(file.bytes);
  }
}

/** The text a user sees of Telegram HTML: tags dropped, entities (named and numeric) resolved. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}

function checkKeyboard(markup: unknown): string | undefined {
  if (markup === undefined) return undefined;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray))
    return "can't parse reply keyboard markup JSON object";
  for (const button of rows.flat() as Record<string, unknown>[]) {
    if (typeof button.text !== 'string' || !button.text) return 'BUTTON_TEXT_INVALID';
    const kinds = ['callback_data', 'url'].filter((k) => button[k] !== undefined);
    if (kinds.length !== 1) return 'BUTTON_TYPE_INVALID';
    if (button.callback_data !== undefined) {
      const bytes = Buffer.byteLength(String(button.callback_data));
      if (bytes < 1 || bytes > 64) return 'BUTTON_DATA_INVALID';
    }
    if (button.url !== undefined && !/^https?:\/\//.test(String(button.url)))
      return 'BUTTON_URL_INVALID';
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
