/**
 * Files users send on messengers: fetched through the channel's loader (which must not throw,
 * but a loader that does counts as "not delivered"), checked like web chat uploads — JPEG, PNG or
 * PDF by their magic bytes, within the size limit — and kept in the upload store, whose links
 * the flows carry into applications.
 */
import type { Attachment } from 'botbuilder';
import {
  allowedType,
  matchesSignature,
  safeFileName,
  type UploadStore,
} from '../directline/uploads.js';
import type { InboundFile } from './types.js';

/** Runs a channel's file loader. */
export async function fetchFile(load: () => Promise<InboundFile>): Promise<InboundFile> {
  try {
    return await load();
  } catch {
    return { bytes: Buffer.alloc(0), contentType: '', problem: 'unavailable' };
  }
}

export interface KeepOptions {
  uploads: UploadStore;
  maxUploadBytes: number;
  /** The Direct Line base URL that serves stored files. */
  attachmentBase: () => string;
  now: () => Date;
}

/** Keeps a photo or PDF as an attachment of the conversation; undefined when it is none. */
export async function keepFile(
  options: KeepOptions,
  conversationId: string,
  file: InboundFile,
): Promise<Attachment | undefined> {
  const type = allowedType(file.contentType);
  if (file.problem || !type || file.bytes.length > options.maxUploadBytes) return undefined;
  if (!matchesSignature(type, file.bytes)) return undefined;
  const name = safeFileName(file.name, type === 'application/pdf' ? 'dokument.pdf' : 'foto');
  const id = await options.uploads.put({
    conversationId,
    contentType: type,
    name,
    bytes: file.bytes,
    createdAt: options.now().toISOString(),
  });
  return { contentType: type, contentUrl: `${options.attachmentBase()}/attachments/${id}`, name };
}
