import { describe, expect, it } from 'vitest';
import { isTransientStatus, parseRetryAfter } from '../../../flows/connectors/connector.js';
import { classifySmtpError } from '../../../flows/connectors/email.js';

const now = new Date('2026-03-02T09:00:00Z');

describe('classifying delivery failures', () => {
  it('counts 408, 429 and 5xx as passing, every other status as a refusal', () => {
    const transient = [400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504].filter(
      isTransientStatus,
    );
    expect(transient).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('treats SMTP authentication and connection failures as passing, 5xx replies as refusals', () => {
    const smtp = (fields: object) => Object.assign(new Error('smtp'), fields);
    expect(classifySmtpError(smtp({ code: 'EAUTH', responseCode: 535 })).kind).toBe('transient');
    expect(classifySmtpError(smtp({ code: 'ECONNECTION' })).kind).toBe('transient');
    expect(classifySmtpError(smtp({ code: 'EENVELOPE', responseCode: 550 })).kind).toBe(
      'permanent',
    );
    expect(classifySmtpError(smtp({ code: 'EENVELOPE', responseCode: 452 })).kind).toBe(
      'transient',
    );
    expect(classifySmtpError(smtp({ code: 'EENVELOPE' })).kind).toBe('permanent');
    expect(classifySmtpError(new Error('something odd')).kind).toBe('transient');
  });
});
