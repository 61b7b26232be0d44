/**
 * Runs Microsoft's botframework-directlinejs in Node against our server.
 *
 * The library is written for browsers: it takes the global `WebSocket` (Node 20 has none; `ws`
 * has the same `onopen`/`onmessage`/`onclose` interface) and does HTTP through RxJS 5's
 * `Observable.ajax`, which needs `XMLHttpRequest`. Instead of a polyfill we pass its documented
 * `ajax` service: a small fetch-based function that returns the same RxJS Observable (from the
 * very rxjs copy directlinejs loads, so its patched operators apply) with the fields it reads:
 * `response`, `status` and `xhr.getResponseHeader`.
 */
import {
  type Activity,
  ConnectionStatus,
  DirectLine,
  type DirectLineOptions,
} from 'botframework-directlinejs';
import { createRequire } from 'node:module';
import { WebSocket as NodeWebSocket } from 'ws';

const requireHere = createRequire(import.meta.url);
const requireFromDirectLine = createRequire(requireHere.resolve('botframework-directlinejs'));
const { Observable } = requireFromDirectLine('rxjs/Observable') as {
  Observable: new <T>(subscribe: (subscriber: Subscriber<T>) => () => void) => unknown;
};

interface Subscriber<T> {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
}

interface AjaxRequest {
  url?: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeout?: number;
  responseType?: string;
}

interface AjaxResult {
  status: number;
  response: unknown;
  xhr: { status: number; getResponseHeader(name: string): string | null };
}

/** RxJS 5's `Observable.ajax`, reduced to what directlinejs uses, on top of fetch. */
export function fetchAjax(urlOrRequest: string | AjaxRequest): unknown {
  const request = typeof urlOrRequest === 'string' ? { url: urlOrRequest } : urlOrRequest;
  return new Observable<AjaxResult>((subscriber) => {
    const controller = new AbortController();
    const timer = request.timeout
      ? setTimeout(() => controller.abort(), request.timeout)
      : undefined;
    const headers: Record<string, string> = { ...request.headers };
    let body: RequestInit['body'];
    if (request.body instanceof FormData) {
      body = request.body;
      delete headers['Content-Type']; // fetch adds the multipart boundary itself
    } else if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    }
    fetch(request.url ?? '', {
      method: request.method ?? 'GET',
      headers,
      body,
      signal: controller.signal,
    })
      .then(async (res) => {
        const response =
          request.responseType === 'arraybuffer'
            ? await res.arrayBuffer()
            : parse(await res.text());
        const result: AjaxResult = {
          status: res.status,
          response,
          xhr: { status: res.status, getResponseHeader: (name) => res.headers.get(name) },
        };
        if (res.ok) {
          subscriber.next(result);
          subscriber.complete();
        } else {
          subscriber.error(result);
        }
      })
      .catch((error: unknown) =>
        subscriber.error({
          status: 0,
          response: null,
          xhr: { status: 0, getResponseHeader: () => null },
          error,
        }),
      )
      .finally(() => clearTimeout(timer));
    return () => clearTimeout(timer);
  });
}

function parse(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Gives Node the browser's `WebSocket` global that directlinejs checks for. */
export function installWebSocketGlobal(): void {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
    Object.assign(globalThis, { WebSocket: NodeWebSocket });
  }
}

/** An activity as received, with the fields tests look at (directlinejs types them per kind). */
export type ReceivedActivity = Activity & {
  text?: string;
  attachments?: { contentType: string; contentUrl: string; name?: string }[];
};

/**
 * A directlinejs client plus a recorder of everything it receives, so tests can wait for an
 * activity (by promise, no sleeps) and then inspect all that arrived before it.
 */
export class DirectLineClient {
  readonly directLine: DirectLine;
  readonly received: ReceivedActivity[] = [];
  private readonly waiters: {
    match: (a: ReceivedActivity) => boolean;
    resolve: (a: ReceivedActivity) => void;
  }[] = [];
  private readonly subscription: { unsubscribe(): void };

  constructor(options: DirectLineOptions) {
    installWebSocketGlobal();
    this.directLine = new DirectLine({
      ...options,
      ajax: fetchAjax as never,
      WebSocket: NodeWebSocket as never,
      pollingInterval: 200,
    } as DirectLineOptions);
    this.subscription = this.directLine.activity$.subscribe((received) => {
      const activity = received as ReceivedActivity;
      this.received.push(activity);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(activity)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(activity);
        }
      }
    });
  }

  /** The first activity (already received or still to come) that matches. */
  waitFor(match: (activity: ReceivedActivity) => boolean): Promise<ReceivedActivity> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The first message with this text. */
  waitForText(text: string): Promise<ReceivedActivity> {
    return this.waitFor((activity) => activity.type === 'message' && activity.text === text);
  }

  /** Posts through directlinejs and resolves with the id the server assigned. */
  post(activity: Activity): Promise<string> {
    return new Promise((resolve, reject) => {
      this.directLine.postActivity(activity).subscribe({ next: resolve, error: reject });
    });
  }

  /** Resolves once the connection status is `status`. */
  waitForStatus(status: ConnectionStatus): Promise<void> {
    return new Promise((resolve) => {
      const sub = this.directLine.connectionStatus$.subscribe((current) => {
        if (current === status) {
          resolve();
          queueMicrotask(() => sub.unsubscribe());
        }
      });
    });
  }

  /** The watermark the client would resume from (what Web Chat keeps across reloads). */
  get watermark(): string {
    return (this.directLine as unknown as { watermark: string }).watermark;
  }

  /** Ends the conversation on the client: stops the token refresh and closes the stream. */
  end(): void {
    this.subscription.unsubscribe();
    this.directLine.end();
  }
}

export { ConnectionStatus };
