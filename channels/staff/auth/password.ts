/**
 * Staff passwords, hashed with scrypt (memory-hard, in node:crypto, no native add-on) and stored
 * as PHC strings (`$scrypt$ln=15,r=8,p=3$<salt>$<hash>`), so the parameters travel with each hash
 * and can be raised later: `needsRehash` tells the login to re-hash with the current ones.
 * Hashing runs on libuv's thread pool (the async `scrypt`), so a login never blocks the server.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^ln, block size r, parallelism p. */
export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}

/**
 * OWASP's recommendation for scrypt: N=2^15, r=8, p=3 (32 MiB per hash, about 0.1–0.3 s).
 * Tests may pass weaker parameters for speed; production code uses these.
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = { ln: 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Bounds for parameters read from a stored hash, so a tampered row cannot exhaust memory. */
const LIMITS = { ln: [1, 20], r: [1, 32], p: [1, 16] } as const;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
/** A fixed salt for the dummy hash of unknown users; its result is never compared with anything secret. */
const DUMMY_SALT = Buffer.alloc(SALT_BYTES, 0x5a);

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number) {
  const N = 2 ** params.ln;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // Node refuses when 128·N·r reaches maxmem (32 MiB by default), exactly our cost: allow twice.
    maxmem: 256 * N * params.r + 1024 * 1024,
  };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}

function within(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function parse(encoded: string): ParsedHash | undefined {
  const m = PHC.exec(encoded);
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (!within(params.ln, LIMITS.ln) || !within(params.r, LIMITS.r) || !within(params.p, LIMITS.p))
    return undefined;
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { params, salt, hash };
}

/** Hashes a password with a fresh random salt; returns the PHC string to store. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, HASH_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

/**
 * True when `password` matches `encoded`. With no stored hash (unknown user) or a malformed one it
 * still spends one hash with `dummyParams` and returns false, so the response time does not tell
 * whether a user name exists. The comparison is constant-time.
 */
export async function verifyPassword(
  password: string,
  encoded: string | undefined,
  dummyParams: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<boolean> {
  const parsed = encoded === undefined ? undefined : parse(encoded);
  if (!parsed) {
    await derive(password, DUMMY_SALT, dummyParams, HASH_BYTES);
    return false;
  }
  const candidate = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a stored hash is malformed or weaker than `current` in any parameter. */
export function needsRehash(
  encoded: string,
  current: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): boolean {
  const parsed = parse(encoded);
  if (!parsed) return true;
  const { params } = parsed;
  return (
    params.ln < current.ln ||
    params.r < current.r ||
    params.p < current.p ||
    parsed.hash.length < HASH_BYTES
  );
}
