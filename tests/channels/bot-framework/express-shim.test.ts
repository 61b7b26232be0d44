import { describe, expect, it } from 'vitest';
import { ResponseT } from 'botbuilder/lib/interfaces/response.js';
import {
  createRequestShim,
  createResponseShim,
} from '../../../channels/bot-framework/express-shim.js';

describe('the express-like response shim', () => {
  it('is accepted by botbuilder as a response', () => {
    expect(ResponseT.safeParse(createResponseShim().response).success).toBe(true);
  });

  it('captures nothing until botbuilder calls end()', () => {
    const shim = createResponseShim();
    shim.response.status(202);
    shim.response.send({ a: 1 });
    expect(shim.captured()).toBeUndefined();
  });

  it('captures status, lower-cased headers and body at end()', () => {
    const shim = createResponseShim();
    shim.response.status(200);
    shim.response.header('Content-Type', 'application/json');
    shim.response.send({ activities: [] });
    shim.response.end();
    expect(shim.captured()).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { activities: [] },
    });
  });

  it('ignores everything after the first end()', () => {
    const shim = createResponseShim();
    shim.response.status(200);
    shim.response.end();
    shim.response.status(500);
    shim.response.send('late');
    shim.response.end();
    expect(shim.captured()).toEqual({ status: 200, headers: {}, body: undefined });
  });

  it('presents the parsed body as a POST request', () => {
    const req = createRequestShim({ type: 'message' }, { authorization: 'Bearer t' });
    expect(req).toEqual({
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: { type: 'message' },
    });
  });
});
