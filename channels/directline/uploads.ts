/**
 * Files users attach in web chat (a photo of a defect, a scanned form). They are kept apart from
 * the transcript, which only holds a link; the link's id is 256 random bits, so only those who
 * were given it (the user's own chat and the bot) can fetch the file.
 *
 * Only the types the bot can use are accepted, and the declared type must match the file's first
 * bytes: a file that says it is a PNG but is HTML is refused, so nothing we serve back can run as
 * a page in the user's browser.
 */
import { randomBytes } from 'node:crypto';

/** A file as it was uploaded, with the checked type. */
export interface StoredUpload {
  conversationId: string;
  contentType: AllowedUploadType;
  name: string;
  bytes: Buffer;
  createdAt: string;
}

/** Where uploads are kept; in memory by default, a database or object store in production. */
export interface UploadStore {
  /** Stores the file and returns an unguessable id. */
  put(upload: StoredUpload): Promise<string>;
  get(id: string): Promise<StoredUpload | undefined>;
}

/** What the bot can use: photos of a defect, scanned forms. Anything else is refused with 415. */
export const ALLOWED_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
/** One of `ALLOWED_UPLOAD_TYPES`. */
export type AllowedUploadType = (typeof ALLOWED_UPLOAD_TYPES)[number];

const SIGNATURES: Record<AllowedUploadType, number[]> = {
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
};

/** The declared type if it is one we accept, else undefined. */
export function allowedType(declared: string): AllowedUploadType | undefined {
  const type = declared.split(';')[0]?.trim().toLowerCase();
  return ALLOWED_UPLOAD_TYPES.find((allowed) => allowed === type);
}

/** Whether the file starts with the magic bytes of its declared type. */
export function matchesSignature(type: AllowedUploadType, bytes: Buffer): boolean {
  const signature = SIGNATURES[type];
  return bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
}

/**
 * A file name safe to store and to put into a Content-Disposition header: no path, no control
 * characters, at most 200 characters; `fallback` when nothing is left.
 */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200);
  return clean.length > 0 ? clean : fallback;
}

/** Upload ids are 32 random bytes in base64url. */
export function isUploadId(id: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(id);
}

/** The memory budget of `MemoryUploadStore`. */
export interface MemoryUploadStoreOptions {
  /** Total bytes kept; the oldest files are dropped beyond it. Default 256 MiB. */
  maxBytes?: number;
}

/**
 * Keeps uploads in this process, oldest dropped first when the budget is used up. Fine for one
 * instance; several instances need a shared store, since a file may be fetched from any of them.
 */
export class MemoryUploadStore implements UploadStore {
  private readonly files = new Map<string, StoredUpload>();
  private readonly maxBytes: number;
  private totalBytes = 0;

  constructor(options: MemoryUploadStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  async put(upload: StoredUpload): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    this.files.set(id, upload);
    this.totalBytes += upload.bytes.length;
    for (const [oldId, old] of this.files) {
      if (this.totalBytes <= this.maxBytes || oldId === id) break;
      this.files.delete(oldId);
      this.totalBytes -= old.bytes.length;
    }
    return id;
  }

  async get(id: string): Promise<StoredUpload | undefined> {
    return this.files.get(id);
  }
}
