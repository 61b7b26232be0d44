/**
 * The one comparison of secrets in the channels: webhook secrets and verify tokens, signatures,
 * CSRF tokens, resume credentials and the Direct Line secret all go through `sameSecret`, so there
 * is one place to get it right. `===` stops at the first differing character, and the time that
 * takes tells an attacker how much of a guess was right — enough to find a secret piece by piece.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` equals `expected`, in a time that depends on neither where they differ nor how
 * long `expected` is. Both are hashed with SHA-256 first: `timingSafeEqual` needs buffers of equal
 * length, and comparing the raw strings would have to refuse a wrong length early, which tells
 * the length of the secret. Equal digests mean equal strings (SHA-256 has no known collisions).
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
