import { describe, expect, it } from 'vitest';
import { AuthenticationError } from 'botframework-connector';
import { classifyAuthFailure } from '../../../channels/bot-framework/auth-failure.js';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('classifying authentication failures', () => {
  it('treats botbuilder 401 errors as unauthorized', () => {
    const e = new AuthenticationError('Unauthorized. Invalid AppId passed on token: x', 401);
    expect(classifyAuthFailure(e).code).toBe('LOTSE_UNAUTHORIZED');
  });

  it('treats jsonwebtoken errors, which botbuilder lets through as 500s, as unauthorized', () => {
    for (const name of ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']) {
      expect(classifyAuthFailure(named(name, 'invalid signature')).code).toBe('LOTSE_UNAUTHORIZED');
    }
  });

  it('treats a key endpoint that answered with an error as unavailable', () => {
    const e = new AuthenticationError('Failed to load openID config: 404', 500);
    expect(classifyAuthFailure(e)).toEqual({
      code: 'LOTSE_AUTH_UNAVAILABLE',
      reason: 'Error: Failed to load openID config: 404',
    });
  });

  it('treats a key endpoint that could not be reached as unavailable', () => {
    expect(classifyAuthFailure(named('FetchError', 'ECONNREFUSED')).code).toBe(
      'LOTSE_AUTH_UNAVAILABLE',
    );
  });

  it('refuses the request when the error is of an unknown kind', () => {
    expect(classifyAuthFailure(new TypeError('x is undefined')).code).toBe('LOTSE_UNAUTHORIZED');
    expect(classifyAuthFailure('a string').code).toBe('LOTSE_UNAUTHORIZED');
  });
});
