import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  signWebhook,
  verifyWebhookSignature,
} from '../../../flows/connectors/webhook-signature.js';

const secret = 'a-long-shared-secret-0123456789';
const now = new Date('2026-03-02T09:00:00Z');
const body = '{"receipt":"LT-2026-7K3F-9Q2M"}';

function headersFor(raw: string, at = now, key = secret): Record<string, string> {
  const signed = signWebhook(key, raw, at);
  return {
    'x-lotse-timestamp': signed['X-Lotse-Timestamp'],
    'x-lotse-signature': signed['X-Lotse-Signature'],
  };
}

describe('webhook signatures', () => {
  it('sign `${timestamp}.${rawBody}` with HMAC-SHA256, as documented', () => {
    expect(signWebhook('k', 'b', new Date(1_700_000_000_000))).toEqual({
      'X-Lotse-Timestamp': '1700000000',
      'X-Lotse-Signature':
        'sha256=c881bb5d0f8788e4c2bdabbb0fa4b2e2d1abbb36aaf091b356d20e271136e681',
    });
  });

  it('verify a request signed with the secret, from Node headers or fetch Headers', () => {
    expect(verifyWebhookSignature(secret, body, headersFor(body), now)).toEqual({
      ok: true,
      timestamp: now.getTime() / 1000,
    });
    const fetchHeaders = new Headers(headersFor(body));
    expect(verifyWebhookSignature(secret, Buffer.from(body), fetchHeaders, now).ok).toBe(true);
  });

  it('refuse any change to the body', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (other) => {
        fc.pre(other !== body);
        expect(verifyWebhookSignature(secret, other, headersFor(body), now)).toEqual({
          ok: false,
          reason: 'mismatch',
        });
      }),
    );
  });

  it('refuse a timestamp outside the tolerance in either direction', () => {
    const old = headersFor(body, new Date(now.getTime() - 301_000));
    const future = headersFor(body, new Date(now.getTime() + 301_000));
    const edge = headersFor(body, new Date(now.getTime() - 300_000));
    expect(verifyWebhookSignature(secret, body, old, now)).toMatchObject({ reason: 'stale' });
    expect(verifyWebhookSignature(secret, body, future, now)).toMatchObject({ reason: 'stale' });
    expect(verifyWebhookSignature(secret, body, edge, now).ok).toBe(true);
    expect(verifyWebhookSignature(secret, body, old, now, 600).ok).toBe(true);
  });

  it('refuse a timestamp changed after signing', () => {
    const headers = { ...headersFor(body), 'x-lotse-timestamp': String(now.getTime() / 1000 - 1) };
    expect(verifyWebhookSignature(secret, body, headers, now)).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('refuse missing and malformed headers without throwing', () => {
    expect(verifyWebhookSignature(secret, body, {}, now)).toMatchObject({
      reason: 'missing-headers',
    });
    for (const signature of ['sha256=abc', 'md5=' + '0'.repeat(64), 'sha256=' + 'g'.repeat(64)]) {
      const headers = { ...headersFor(body), 'x-lotse-signature': signature };
      expect(verifyWebhookSignature(secret, body, headers, now)).toMatchObject({
        reason: 'malformed',
      });
    }
  });

  it('accept the old and the new secret while a secret is rotated', () => {
    const signedWithOld = headersFor(body, now, 'the-old-secret-0000000');
    expect(
      verifyWebhookSignature([secret, 'the-old-secret-0000000'], body, signedWithOld, now).ok,
    ).toBe(true);
    expect(verifyWebhookSignature(secret, body, signedWithOld, now).ok).toBe(false);
  });
});
