/**
 * Uploaded files in the shared database, so that every instance behind the load balancer serves a
 * photo that another one received (the in-memory store only works for one process). Files are
 * small (the upload limit is a few MiB) and few; they go with their conversation, by retention
 * or by the user's "Daten löschen" (storage/conversation-purge.ts).
 *
 * Ids are 256 random bits in base64url, as `MemoryUploadStore` makes them, so the attachment
 * route's `isUploadId` check holds for both.
 */
import { randomBytes } from 'node:crypto';
import type { StoredUpload, UploadStore } from '../channels/directline/uploads.js';
import { allowedType, isUploadId } from '../channels/directline/uploads.js';
import type { SqlClient } from './sql.js';

interface UploadRow {
  conversation_id: string;
  content_type: string;
  name: string;
  bytes: Buffer | Uint8Array;
  created_at: string;
}

export class SqlUploadStore implements UploadStore {
  constructor(private readonly sql: SqlClient) {}

  /** Stores the file and returns its unguessable id. */
  async put(upload: StoredUpload): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.sql.run(
      `INSERT INTO uploads (id, conversation_id, content_type, name, bytes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, upload.conversationId, upload.contentType, upload.name, upload.bytes, upload.createdAt],
    );
    return id;
  }

  /** The file, or undefined for an unknown or malformed id (never a query for a malformed one). */
  async get(id: string): Promise<StoredUpload | undefined> {
    if (!isUploadId(id)) return undefined;
    const [row] = await this.sql.query<UploadRow>(
      'SELECT conversation_id, content_type, name, bytes, created_at FROM uploads WHERE id = $1',
      [id],
    );
    // A type we no longer accept is not served: it was checked against the list of its day.
    const contentType = row && allowedType(row.content_type);
    if (!row || !contentType) return undefined;
    return {
      conversationId: row.conversation_id,
      contentType,
      name: row.name,
      bytes: Buffer.isBuffer(row.bytes) ? row.bytes : Buffer.from(row.bytes),
      createdAt: row.created_at,
    };
  }
}
