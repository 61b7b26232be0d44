import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeVectors,
  encodeVectors,
  readVectorCache,
  textsDigest,
  vectorCacheFile,
  writeVectorCache,
  type VectorCacheKey,
  type VectorMatrix,
} from '../../../../knowledge/search/dense/vector-cache.js';

const key: VectorCacheKey = {
  embedderId: 'model-a',
  catalogueVersion: 'v1',
  textsDigest: textsDigest([
    { id: 's1', text: 'Personalausweis' },
    { id: 's2', text: 'Reisepass' },
  ]),
};
const matrix: VectorMatrix = {
  ids: ['s1', 's2'],
  dimension: 3,
  data: Float32Array.from([0.6, 0.8, 0, -1, 0, 0.125]),
};

describe('the vector cache', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lotse-vector-cache-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back exactly the vectors it wrote, under a name made of model and catalogue', async () => {
    const file = await writeVectorCache(dir, key, matrix);
    expect(file).toMatch(/vectors-[0-9a-f]{16}-[0-9a-f]{16}\.bin$/);
    expect(file).toBe(vectorCacheFile(dir, key));
    const read = await readVectorCache(dir, key);
    expect(read).toEqual({ outcome: 'hit', matrix });
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('says missing when nothing was stored, also when the directory does not exist', async () => {
    expect(await readVectorCache(dir, key)).toEqual({ outcome: 'missing' });
    expect(await readVectorCache(join(dir, 'absent'), key)).toEqual({ outcome: 'missing' });
  });

  it('says stale for another catalogue version, and keeps only the newest file per model', async () => {
    await writeVectorCache(dir, key, matrix);
    const next = { ...key, catalogueVersion: 'v2' };
    expect(await readVectorCache(dir, next)).toEqual({ outcome: 'stale' });
    await writeVectorCache(dir, next, matrix);
    expect(await readdir(dir)).toEqual([vectorCacheFile(dir, next).slice(dir.length + 1)]);
    expect((await readVectorCache(dir, key)).outcome).toBe('stale');
  });

  it('says stale when the texts changed under the same catalogue version', async () => {
    await writeVectorCache(dir, key, matrix);
    const edited = { ...key, textsDigest: textsDigest([{ id: 's1', text: 'Perso' }]) };
    expect(await readVectorCache(dir, edited)).toEqual({ outcome: 'stale' });
  });

  it("leaves other models' files alone", async () => {
    await writeVectorCache(dir, key, matrix);
    await writeVectorCache(dir, { ...key, embedderId: 'model-b', catalogueVersion: 'v9' }, matrix);
    expect(await readdir(dir)).toHaveLength(2);
    expect((await readVectorCache(dir, key)).outcome).toBe('hit');
  });

  it('says damaged, never throws, for a truncated, corrupted or foreign file', async () => {
    const file = await writeVectorCache(dir, key, matrix);
    const bytes = await readFile(file);
    const damages: Buffer[] = [
      bytes.subarray(0, bytes.length - 4),
      Buffer.concat([bytes, Buffer.from([0, 0, 0, 0])]),
      Buffer.from('{"not":"a cache"}'),
      Buffer.alloc(0),
    ];
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 0xff;
    damages.push(flipped);
    const badHeader = Buffer.from(bytes);
    badHeader[15] = 0x7b;
    damages.push(badHeader);
    for (const damaged of damages) {
      await writeFile(file, damaged);
      expect(await readVectorCache(dir, key)).toEqual({ outcome: 'damaged' });
    }
  });

  it('says damaged when the file cannot be read at all', async () => {
    await mkdir(vectorCacheFile(dir, key));
    expect(await readVectorCache(dir, key)).toEqual({ outcome: 'damaged' });
  });

  it('encodes the key and a checksum into the file', () => {
    const bytes = encodeVectors(key, matrix);
    expect(bytes.subarray(0, 10).toString('latin1')).toBe('LOTSEVEC1\n');
    expect(decodeVectors(bytes)).toEqual({ key, matrix });
    const header = JSON.parse(bytes.subarray(14, 14 + bytes.readUInt32LE(10)).toString('utf8'));
    expect(header).toMatchObject({ embedderId: 'model-a', catalogueVersion: 'v1', dimension: 3 });
    expect(header.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bytes.length % 4).toBe(0);
  });

  it('distinguishes texts that only differ in how id and text are split', () => {
    expect(textsDigest([{ id: 'a', text: 'bc' }])).not.toBe(textsDigest([{ id: 'ab', text: 'c' }]));
    expect(textsDigest([])).toMatch(/^[0-9a-f]{64}$/);
  });
});
