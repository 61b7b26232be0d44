/**
 * The services' vectors on disk, so a restart does not embed the whole catalogue again (seconds
 * to minutes with a real model). The cache is only ever a shortcut: a missing, stale or damaged
 * file means "compute again", never an error, and a failed write only costs the next start.
 *
 * File layout (`vectors-<model>-<catalogue>.bin`, little-endian):
 * magic `LOTSEVEC1\n` · uint32 header length · header JSON · zero padding to 4 bytes ·
 * float32 vectors, one row per id. The header repeats the full key (hashes in the name could
 * collide) and a SHA-256 of the vector bytes, which catches torn or corrupted files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the cached vectors were computed from; any difference makes the file stale. */
export interface VectorCacheKey {
  /** {@link Embedder.id}: the model and its settings. */
  embedderId: string;
  /** The catalogue version the services came from. */
  catalogueVersion: string;
  /** Digest of the embedded ids and texts (see {@link textsDigest}). */
  textsDigest: string;
}

/** Vectors of several items, row-major in one array for fast scanning. */
export interface VectorMatrix {
  ids: string[];
  dimension: number;
  /** `ids.length × dimension` floats; row i belongs to `ids[i]`. */
  data: Float32Array;
}

/** Why a cache read returned nothing (or `hit` when it did). */
export type CacheOutcome = 'hit' | 'missing' | 'stale' | 'damaged';

/** The result of a cache read: the vectors on a hit, otherwise only why there are none. */
export type CacheRead =
  { outcome: 'hit'; matrix: VectorMatrix } | { outcome: Exclude<CacheOutcome, 'hit'> };

interface Header extends VectorCacheKey {
  ids: string[];
  dimension: number;
  sha256: string;
}

const MAGIC = Buffer.from('LOTSEVEC1\n', 'latin1');
const FILE_PATTERN = /^vectors-([0-9a-f]{16})-([0-9a-f]{16})\.bin$/;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Digest of ids and texts, so a change in how service texts are built also invalidates. */
export function textsDigest(items: { id: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const { id, text } of items) hash.update(JSON.stringify([id, text])).update('\n');
  return hash.digest('hex');
}

/** The file for a key: named by model and catalogue, so older catalogues can be found and removed. */
export function vectorCacheFile(dir: string, key: VectorCacheKey): string {
  return join(dir, `vectors-${shortHash(key.embedderId)}-${shortHash(key.catalogueVersion)}.bin`);
}

function payloadBytes(data: Float32Array): Buffer {
  const bytes = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i += 1) bytes.writeFloatLE(data[i]!, i * 4);
  return bytes;
}

/** Serialises vectors with their key; exported for tests that damage files on purpose. */
export function encodeVectors(key: VectorCacheKey, matrix: VectorMatrix): Buffer {
  const payload = payloadBytes(matrix.data);
  const header: Header = {
    embedderId: key.embedderId,
    catalogueVersion: key.catalogueVersion,
    textsDigest: key.textsDigest,
    ids: matrix.ids,
    dimension: matrix.dimension,
    sha256: createHash('sha256').update(payload).digest('hex'),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const padding = Buffer.alloc((4 - ((MAGIC.length + 4 + json.length) % 4)) % 4);
  return Buffer.concat([MAGIC, length, json, padding, payload]);
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  return (
    typeof h.embedderId === 'string' &&
    typeof h.catalogueVersion === 'string' &&
    typeof h.textsDigest === 'string' &&
    typeof h.sha256 === 'string' &&
    Number.isInteger(h.dimension) &&
    (h.dimension as number) >= 0 &&
    Array.isArray(h.ids) &&
    h.ids.every((id) => typeof id === 'string')
  );
}

/** Parses a cache file; `undefined` when it is not a complete, intact one. */
export function decodeVectors(
  bytes: Buffer,
): { key: VectorCacheKey; matrix: VectorMatrix } | undefined {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    return undefined;
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) return undefined;
  let header: unknown;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isHeader(header)) return undefined;
  const start = headerEnd + ((4 - (headerEnd % 4)) % 4);
  const payload = bytes.subarray(start);
  if (payload.length !== header.ids.length * header.dimension * 4) return undefined;
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) return undefined;
  const data = new Float32Array(payload.length / 4);
  for (let i = 0; i < data.length; i += 1) data[i] = payload.readFloatLE(i * 4);
  const { embedderId, catalogueVersion, textsDigest: digest, ids, dimension } = header;
  return {
    key: { embedderId, catalogueVersion, textsDigest: digest },
    matrix: { ids, dimension, data },
  };
}

/**
 * Reads the vectors stored for `key`. `stale` means a file for this model exists but was made
 * from another catalogue or other texts; `damaged` means the file is unreadable or corrupt.
 */
export async function readVectorCache(dir: string, key: VectorCacheKey): Promise<CacheRead> {
  const file = vectorCacheFile(dir, key);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { outcome: 'damaged' };
    const model = shortHash(key.embedderId);
    const names = await readdir(dir).catch(() => [] as string[]);
    const older = names.some((n) => FILE_PATTERN.exec(n)?.[1] === model);
    return { outcome: older ? 'stale' : 'missing' };
  }
  const decoded = decodeVectors(bytes);
  if (!decoded) return { outcome: 'damaged' };
  const same =
    decoded.key.embedderId === key.embedderId &&
    decoded.key.catalogueVersion === key.catalogueVersion &&
    decoded.key.textsDigest === key.textsDigest;
  return same ? { outcome: 'hit', matrix: decoded.matrix } : { outcome: 'stale' };
}

/**
 * Stores vectors for `key` atomically (temporary file + rename, so readers never see half a
 * file) and removes this model's files for other catalogue versions. Throws on I/O errors; the
 * caller decides whether that matters.
 */
export async function writeVectorCache(
  dir: string,
  key: VectorCacheKey,
  matrix: VectorMatrix,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = vectorCacheFile(dir, key);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, encodeVectors(key, matrix));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const model = shortHash(key.embedderId);
  for (const name of await readdir(dir)) {
    const match = FILE_PATTERN.exec(name);
    if (match?.[1] === model && join(dir, name) !== file)
      await rm(join(dir, name), { force: true });
  }
  return file;
}
