/**
 * Uploads in the shared database, on both backends: byte-exact round trips (a 1 MiB photo), ids
 * as unguessable as the in-memory store's, and a file put through one instance's connection is
 * served through another's.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredUpload } from '../../channels/directline/uploads.js';
import { isUploadId } from '../../channels/directline/uploads.js';
import { SqlUploadStore } from '../../storage/upload-store.js';
import { backends, openClient, uniqueId, useStores } from './backends.js';

/** A JPEG-signed file of `size` random bytes: every byte value occurs, NULs included. */
function jpeg(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return bytes;
}

describe.each(backends)('upload store on $name', (backend) => {
  const context = useStores(backend);
  const upload = (bytes: Buffer): StoredUpload => ({
    conversationId: uniqueId('conv'),
    contentType: 'image/jpeg',
    name: 'Schlagloch Ecke Hauptstraße.jpg',
    bytes,
    createdAt: '2030-01-01T10:00:00.000Z',
  });

  it('gives a 1 MiB JPEG back byte for byte', async () => {
    const file = upload(jpeg(1024 * 1024));
    const id = await context.stores.uploads.put(file);
    const back = await context.stores.uploads.get(id);
    // Compared with Buffer#equals: a deep toEqual walks a MiB element by element for seconds.
    const { bytes, ...rest } = back ?? { bytes: undefined };
    expect(rest).toEqual({ ...file, bytes: undefined });
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes?.length).toBe(file.bytes.length);
    expect(bytes?.equals(file.bytes)).toBe(true);
  });

  it('hands out unguessable ids of the attachment route’s format', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => context.stores.uploads.put(upload(jpeg(10)))),
    );
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(isUploadId(id)).toBe(true);
  });

  it('finds nothing for an unknown or malformed id', async () => {
    expect(await context.stores.uploads.get(randomBytes(32).toString('base64url'))).toBeUndefined();
    expect(await context.stores.uploads.get("x' OR 1=1 --")).toBeUndefined();
  });

  it('serves through another instance’s connection what one instance stored', async () => {
    const other = await openClient(context.database.options);
    try {
      const file = {
        ...upload(Buffer.from('%PDF-1.7\n%\u00e4\n')),
        contentType: 'application/pdf' as const,
      };
      const id = await context.stores.uploads.put(file);
      expect(await new SqlUploadStore(other).get(id)).toEqual(file);
    } finally {
      await other.close();
    }
  });
});
