/**
 * Every error the Direct Line endpoints answer with, in one place. The body has Direct Line's
 * shape, `{ error: { code, message } }`, so Web Chat and other Direct Line clients read it as they
 * read Azure's; the status decides what the client does next (403 → token expired, 404 →
 * conversation ended), so each failure must map to the status the clients expect.
 */

/** Stable codes; the names follow the Direct Line 3.0 service where it has one. */
export type DirectLineErrorCode =
  | 'BadArgument'
  | 'Unauthorized'
  | 'TokenExpired'
  | 'Forbidden'
  | 'ConversationNotFound'
  | 'NotFound'
  | 'MessageSizeTooBig'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'ServiceError';

/** The JSON body of every error answer. */
export interface DirectLineErrorBody {
  error: { code: DirectLineErrorCode; message: string };
}

/** A failure with the HTTP status and code it is answered with. */
export class DirectLineError extends Error {
  constructor(
    readonly code: DirectLineErrorCode,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'DirectLineError';
  }

  toBody(): DirectLineErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Constructors for the errors the routes raise, so codes and statuses never drift apart. */
export const DirectLineErrors = {
  badArgument: (message: string) => new DirectLineError('BadArgument', 400, message),
  unauthorized: (message: string) => new DirectLineError('Unauthorized', 401, message),
  tokenExpired: () =>
    new DirectLineError('TokenExpired', 403, 'directline: the token has expired; get a new one'),
  forbidden: (message: string) => new DirectLineError('Forbidden', 403, message),
  conversationNotFound: (id: string) =>
    new DirectLineError(
      'ConversationNotFound',
      404,
      `directline: conversation ${JSON.stringify(id.slice(0, 100))} does not exist`,
    ),
  notFound: (message: string) => new DirectLineError('NotFound', 404, message),
  tooBig: (message: string) => new DirectLineError('MessageSizeTooBig', 413, message),
  unsupportedMediaType: (message: string) =>
    new DirectLineError('UnsupportedMediaType', 415, message),
  tooManyRequests: (message: string) => new DirectLineError('TooManyRequests', 429, message),
  serviceError: () =>
    new DirectLineError('ServiceError', 500, 'directline: the service failed; please retry'),
};

const CODE_BY_STATUS: Record<number, DirectLineErrorCode> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  413: 'MessageSizeTooBig',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
};

/**
 * Turns anything thrown in a route, hook or body parser into a coded error. Fastify's and the
 * plugins' own errors (bad JSON, body too large, file too large, rate limit) carry a 4xx
 * `statusCode` and a message meant for the caller, so they keep both; anything else is our fault
 * and becomes a 500 whose message reveals nothing.
 */
export function toDirectLineError(error: unknown): DirectLineError {
  if (error instanceof DirectLineError) return error;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'BadArgument';
    const message = (error as Error).message || 'directline: the request was rejected';
    // 406 (not multipart) and other odd 4xx statuses are all "your request is malformed".
    return new DirectLineError(code, CODE_BY_STATUS[status] ? status : 400, message);
  }
  return DirectLineErrors.serviceError();
}
