/**
 * The shared HTTP plumbing of the messenger clients: requests give up after their time limit,
 * failure reasons never carry the URL (where Telegram keeps the bot token), rate limits are waited
 * out within bounds, and downloads never hold more than allowed — refused by Content-Length
 * before reading, or cut off while streaming.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fetchWithTimeout,
  mediaTypeOf,
  readCapped,
  retryAfterMs,
  transportReason,
  withRetries,
} from '../../../channels/messaging/http.js';

const TOKEN = '123456:SECRET-token';

/** A server that accepts requests and never answers them. */
async function silentServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/** The reason `fetchWithTimeout` fails with for `url`, or a test failure when it succeeds. */
async function failureReason(url: string, timeoutMs = 1000): Promise<string> {
  try {
    await fetchWithTimeout(url, {}, { timeoutMs });
  } catch (error) {
    return transportReason(error, timeoutMs);
  }
  throw new Error('the request succeeded');
}

describe('fetchWithTimeout and transportReason', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('gives up when no answer comes within the time limit, and says so', async () => {
    const silent = await silentServer();
    server = silent.server;
    const reason = await failureReason(`${silent.url}/bot${TOKEN}/getMe`, 50);
    expect(reason).toBe('no answer within 50 ms');
  });

  it('aborts with the caller’s signal too', async () => {
    const silent = await silentServer();
    server = silent.server;
    const caller = new AbortController();
    const request = fetchWithTimeout(silent.url, { signal: caller.signal }, { timeoutMs: 60_000 });
    caller.abort(new Error('stopping'));
    await expect(request).rejects.toThrow('stopping');
  });

  it('names the error code of a refused connection, never the URL with its token', async () => {
    const silent = await silentServer();
    const url = `${silent.url}/bot${TOKEN}/sendMessage`;
    await new Promise((resolve) => silent.server.close(resolve));
    const reason = await failureReason(url);
    expect(reason).toBe('request failed (ECONNREFUSED)');
  });

  it('keeps the URL out even where fetch writes it into its own message', async () => {
    let thrown: unknown;
    try {
      await fetchWithTimeout(`http://exa mple.org/bot${TOKEN}/getMe`, {}, { timeoutMs: 1000 });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toContain(TOKEN);
    const reason = transportReason(thrown, 1000);
    expect(reason).toMatch(/^request failed/);
    expect(reason).not.toContain(TOKEN);
    expect(reason).not.toContain('exa mple');
  });

  it('takes only a code-like word from the error, never free text', () => {
    const error = new TypeError('fetch failed', { cause: { code: `bad https://x/${TOKEN}` } });
    expect(transportReason(error, 1000)).toBe('request failed (TypeError)');
    expect(transportReason('just a string', 1000)).toBe('request failed');
    expect(transportReason(undefined, 1000)).toBe('request failed');
  });

  it('passes the injected fetch the combined signal', async () => {
    const fetchFn = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      expect(init?.signal).toBeInstanceOf(AbortSignal);
      expect(init?.method).toBe('PUT');
      return new Response('ok');
    });
    const response = await fetchWithTimeout(
      'https://matrix.example/x',
      { method: 'PUT' },
      { timeoutMs: 1000, fetch: fetchFn as typeof fetch },
    );
    expect(await response.text()).toBe('ok');
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });
});

class RateLimited extends Error {
  constructor(readonly waitMs?: number) {
    super('429');
  }
}

describe('withRetries', () => {
  const options = (sleeps: number[], overrides = {}) => ({
    maxRetries: 3,
    maxWaitMs: 10_000,
    sleep: async (ms: number) => void sleeps.push(ms),
    waitMs: (error: unknown) => (error instanceof RateLimited ? error.waitMs : undefined),
    ...overrides,
  });

  it('waits as asked and tries again until the call succeeds', async () => {
    const sleeps: number[] = [];
    const onWait = vi.fn();
    const answers = [new RateLimited(3000), new RateLimited(1000)];
    const result = await withRetries(options(sleeps, { onWait }), async (attempt) => {
      const refusal = answers.shift();
      if (refusal) throw refusal;
      return `done after attempt ${attempt}`;
    });
    expect(result).toBe('done after attempt 2');
    expect(sleeps).toEqual([3000, 1000]);
    expect(onWait.mock.calls).toEqual([
      [3000, 1],
      [1000, 2],
    ]);
  });

  it('gives up after the maximum number of retries with the last error', async () => {
    const sleeps: number[] = [];
    let attempts = 0;
    const call = withRetries(options(sleeps), async () => {
      attempts++;
      throw new RateLimited(10);
    });
    await expect(call).rejects.toBeInstanceOf(RateLimited);
    expect(attempts).toBe(4);
    expect(sleeps).toEqual([10, 10, 10]);
  });

  it('does not wait out a wait longer than the cap', async () => {
    const sleeps: number[] = [];
    const call = withRetries(options(sleeps), async () => {
      throw new RateLimited(10_001);
    });
    await expect(call).rejects.toMatchObject({ waitMs: 10_001 });
    expect(sleeps).toEqual([]);
  });

  it('rethrows an error that is not retried at once', async () => {
    const sleeps: number[] = [];
    const call = withRetries(options(sleeps), async () => {
      throw new Error('bad request');
    });
    await expect(call).rejects.toThrow('bad request');
    expect(sleeps).toEqual([]);
  });

  it('gives waitMs the attempt number, for a backoff', async () => {
    const sleeps: number[] = [];
    const call = withRetries(
      options(sleeps, { waitMs: (_: unknown, attempt: number) => 100 * 2 ** attempt }),
      async () => {
        throw new Error('5xx');
      },
    );
    await expect(call).rejects.toThrow('5xx');
    expect(sleeps).toEqual([100, 200, 400]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = new Date('2025-01-01T12:00:00Z');
    const answer = (value?: string) =>
      new Response(null, { status: 429, headers: value ? { 'retry-after': value } : {} });
    expect(retryAfterMs(answer('5'), now)).toBe(5000);
    expect(retryAfterMs(answer('Wed, 01 Jan 2025 12:00:30 GMT'), now)).toBe(30_000);
    expect(retryAfterMs(answer('soon'), now)).toBeUndefined();
    expect(retryAfterMs(answer(), now)).toBeUndefined();
  });
});

/** A body served chunk by chunk, recording how far it was read and whether it was cancelled. */
function trackedBody(chunks: Uint8Array[]) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[state.pulled];
      state.pulled++;
      if (next) controller.enqueue(next);
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

class TooLarge extends Error {
  constructor(readonly size: number) {
    super(`too large: ${size}`);
  }
}

const errors = {
  tooLarge: (size: number) => new TooLarge(size),
  broken: (cause: unknown) => new Error('broken', { cause }),
};

describe('readCapped', () => {
  const kib = (n: number) => new Uint8Array(1024).fill(n);

  it('reads a body up to exactly the limit', async () => {
    const { stream } = trackedBody([kib(1), kib(2)]);
    const bytes = await readCapped(new Response(stream), 2048, errors);
    expect(bytes.length).toBe(2048);
    expect(bytes[0]).toBe(1);
    expect(bytes[2047]).toBe(2);
  });

  it('refuses by Content-Length before reading anything', async () => {
    const { stream, state } = trackedBody([kib(1)]);
    const response = new Response(stream, { headers: { 'content-length': '5000' } });
    await expect(readCapped(response, 4096, errors)).rejects.toMatchObject({ size: 5000 });
    expect(state.cancelled).toBe(true);
    // The stream pulls once on its own when it is created; nothing was read beyond that.
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  it('stops reading and cancels the download as soon as the body grows past the limit', async () => {
    const { stream, state } = trackedBody([kib(1), kib(2), kib(3), kib(4), kib(5)]);
    // No Content-Length: the size shows only while streaming.
    await expect(readCapped(new Response(stream), 2500, errors)).rejects.toMatchObject({
      size: 3072,
    });
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(5);
  });

  it('does not trust a Content-Length that understates the body', async () => {
    const { stream, state } = trackedBody([kib(1), kib(2), kib(3), kib(4), kib(5)]);
    const response = new Response(stream, { headers: { 'content-length': '10' } });
    await expect(readCapped(response, 2048, errors)).rejects.toBeInstanceOf(TooLarge);
    expect(state.cancelled).toBe(true);
  });

  it('reports a body that breaks off as broken, with the cause', async () => {
    const failure = new Error('socket hang up');
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) controller.error(failure);
        else controller.enqueue(kib(1));
        sent = true;
      },
    });
    await expect(readCapped(new Response(stream), 4096, errors)).rejects.toMatchObject({
      message: 'broken',
      cause: failure,
    });
  });

  it('reads an empty body as no bytes', async () => {
    expect((await readCapped(new Response(null), 10, errors)).length).toBe(0);
  });
});

describe('mediaTypeOf', () => {
  it('drops parameters and blanks', () => {
    expect(mediaTypeOf('image/jpeg; charset=binary')).toBe('image/jpeg');
    expect(mediaTypeOf(' application/pdf ')).toBe('application/pdf');
    expect(mediaTypeOf(null)).toBe('');
    expect(mediaTypeOf(undefined)).toBe('');
  });
});
