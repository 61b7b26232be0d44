/**
 * The smallest request/response pair `CloudAdapter.process` accepts. botbuilder was written for
 * express and restify: it calls `status()`, maybe `send()`, then `end()` on the response. The shim
 * only records what botbuilder wants to answer, so the fastify route decides what is sent and
 * sends it exactly once.
 */
import type { Request, Response } from 'botbuilder';

/** What botbuilder asked to send. */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  /** The invoke or expect-replies body; `undefined` for a plain acknowledgement. */
  body: unknown;
}

export interface ResponseShim {
  /** The object handed to `adapter.process`. */
  response: Response;
  /** The response as of the first `end()`; `undefined` while botbuilder has not ended it. */
  captured(): CapturedResponse | undefined;
}

/** Wraps an already-parsed body and the request headers in the shape botbuilder reads. */
export function createRequestShim(
  body: Record<string, unknown>,
  headers: Request['headers'],
): Request {
  return { method: 'POST', headers, body };
}

/** A response that records status, headers and body; everything after `end()` is ignored. */
export function createResponseShim(): ResponseShim {
  let status = 200;
  let body: unknown;
  const headers: Record<string, string> = {};
  let ended: CapturedResponse | undefined;

  const response: Response = {
    socket: undefined,
    status(code: number) {
      if (!ended) status = code;
      return response;
    },
    header(name: string, value: unknown) {
      if (!ended) headers[name.toLowerCase()] = String(value);
      return response;
    },
    send(payload?: unknown) {
      if (!ended) body = payload;
      return response;
    },
    end() {
      ended ??= { status, headers: { ...headers }, body };
      return response;
    },
  };
  return { response, captured: () => ended };
}
