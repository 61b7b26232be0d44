/**
 * `sameSecret` accepts exactly the expected string and nothing else, whatever the lengths, and
 * compares digests of equal length in constant time (never the raw strings).
 */
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sameSecret } from '../../channels/secrets.js';

const SECRET = 'a-secret-of-sufficient-length';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

describe('sameSecret', () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it('accepts the expected secret', () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    expect(sameSecret('', '')).toBe(true);
  });

  it('refuses anything else, longer, shorter, empty or differing in one character', () => {
    expect(sameSecret(`${SECRET}x`, SECRET)).toBe(false);
    expect(sameSecret(SECRET.slice(0, -1), SECRET)).toBe(false);
    expect(sameSecret('', SECRET)).toBe(false);
    expect(sameSecret(SECRET, '')).toBe(false);
    expect(sameSecret(`${SECRET.slice(0, -1)}X`, SECRET)).toBe(false);
    expect(sameSecret(SECRET.toUpperCase(), SECRET)).toBe(false);
  });

  it('tells apart strings whose UTF-8 differs only beyond ASCII', () => {
    expect(sameSecret('geheim-ä', 'geheim-ä')).toBe(true);
    expect(sameSecret('geheim-ä', 'geheim-a\u0308')).toBe(false);
  });

  it('compares two 32-byte digests with timingSafeEqual, also when the lengths differ', () => {
    expect(sameSecret('short', SECRET)).toBe(false);
    const compare = vi.mocked(crypto.timingSafeEqual);
    expect(compare).toHaveBeenCalledTimes(1);
    const [a, b] = compare.mock.calls[0] as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
    expect(Buffer.from(a).equals(crypto.createHash('sha256').update('short').digest())).toBe(true);
  });
});
