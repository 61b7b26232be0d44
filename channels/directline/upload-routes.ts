/**
 * `POST /conversations/:id/upload` (files from web chat, as directlinejs sends them: a multipart
 * body with an `activity` part and one part per file) and `GET /attachments/:id` (the links the
 * resulting message carries). Files are size-limited, restricted to JPEG, PNG and PDF, and
 * checked against their magic bytes before they are kept.
 */
import type { Activity, Attachment } from 'botbuilder';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  authoriseConversation,
  channelFields,
  type DirectLineContext,
  httpBase,
  startTurn,
} from './context.js';
import { senderId } from './conversation-routes.js';
import { DirectLineErrors } from './errors.js';
import { parseOrThrow, UploadActivitySchema, type UploadActivity } from './schemas.js';
import {
  ALLOWED_UPLOAD_TYPES,
  allowedType,
  isUploadId,
  matchesSignature,
  safeFileName,
  type StoredUpload,
} from './uploads.js';

/** Files per upload; Web Chat sends one per picked file. */
const MAX_FILES = 10;
/** Room for multipart headers and boundaries on top of the files and the activity part. */
const MULTIPART_OVERHEAD = 64 * 1024;

interface UploadRoute {
  Params: { id: string };
  Querystring: { userId?: unknown };
}

/** Adds the upload endpoint and the attachment links it hands out. */
export function registerUploadRoutes(app: FastifyInstance, ctx: DirectLineContext): void {
  app.post<UploadRoute>('/conversations/:id/upload', async (request) => {
    const { principal, conversation } = await authoriseConversation(
      ctx,
      request,
      request.params.id,
    );
    rejectDeclaredOversize(ctx, request);
    const { template, files } = await readParts(ctx, request, conversation.id);
    if (files.length === 0)
      throw DirectLineErrors.badArgument('directline: the upload has no file');

    const base = httpBase(ctx, request);
    const attachments: Attachment[] = [];
    for (const file of files) {
      const id = await ctx.uploads.put(file);
      attachments.push({
        contentType: file.contentType,
        contentUrl: `${base}/attachments/${id}`,
        name: file.name,
      });
    }
    const claimed = typeof request.query.userId === 'string' ? request.query.userId : undefined;
    const userId = senderId(principal, conversation, template.from?.id ?? claimed);
    const { from, ...fields } = template;
    const activity: Partial<Activity> = {
      ...(fields as Partial<Activity>),
      ...channelFields(ctx, request, conversation.id, { id: userId, name: from?.name }),
      attachments,
    };
    const recorded = await ctx.adapter.record(activity);
    startTurn(ctx, recorded.activity);
    return { id: recorded.id };
  });

  app.get<{ Params: { id: string } }>('/attachments/:id', async (request, reply) => {
    const upload = isUploadId(request.params.id)
      ? await ctx.uploads.get(request.params.id)
      : undefined;
    if (!upload) throw DirectLineErrors.notFound('directline: no such attachment');
    const disposition = upload.contentType === 'application/pdf' ? 'attachment' : 'inline';
    return reply
      .header('content-type', upload.contentType)
      .header('content-disposition', contentDisposition(disposition, upload.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'private, max-age=3600')
      .send(upload.bytes);
  });
}

/** Refuses a body that announces more bytes than could ever be accepted, before reading it. */
function rejectDeclaredOversize(ctx: DirectLineContext, request: FastifyRequest): void {
  const declared = Number(request.headers['content-length']);
  const limit = ctx.maxUploadBytes + ctx.maxActivityBytes + MULTIPART_OVERHEAD;
  if (Number.isFinite(declared) && declared > limit) {
    throw tooBig(ctx);
  }
}

function tooBig(ctx: DirectLineContext) {
  return DirectLineErrors.tooBig(
    `directline: uploads may hold at most ${ctx.maxUploadBytes} bytes of files`,
  );
}

/** Reads the multipart body: the optional `activity` template and the checked files. */
async function readParts(
  ctx: DirectLineContext,
  request: FastifyRequest,
  conversationId: string,
): Promise<{ template: UploadActivity; files: StoredUpload[] }> {
  let template: UploadActivity = { type: 'message' };
  const files: StoredUpload[] = [];
  let total = 0;
  const parts = request.parts({
    limits: {
      fileSize: ctx.maxUploadBytes,
      files: MAX_FILES + 1,
      fields: 5,
      fieldSize: ctx.maxActivityBytes,
      parts: MAX_FILES + 6,
    },
  });
  for await (const part of parts) {
    if (part.fieldname === 'activity') {
      const raw =
        part.type === 'file' ? await readActivityFile(ctx, await part.toBuffer()) : part.value;
      template = parseOrThrow(UploadActivitySchema, parseJson(raw), 'upload activity');
      continue;
    }
    if (part.type !== 'file') continue;
    const contentType = allowedType(part.mimetype);
    if (!contentType) {
      throw DirectLineErrors.unsupportedMediaType(
        `directline: only ${ALLOWED_UPLOAD_TYPES.join(', ')} can be uploaded`,
      );
    }
    const bytes = await part.toBuffer();
    total += bytes.length;
    if (total > ctx.maxUploadBytes) throw tooBig(ctx);
    if (!matchesSignature(contentType, bytes)) {
      throw DirectLineErrors.unsupportedMediaType(
        `directline: the file is not a valid ${contentType}`,
      );
    }
    files.push({
      conversationId,
      contentType,
      name: safeFileName(part.filename, `upload-${files.length + 1}`),
      bytes,
      createdAt: new Date(ctx.now()).toISOString(),
    });
  }
  return { template, files };
}

async function readActivityFile(ctx: DirectLineContext, bytes: Buffer): Promise<string> {
  if (bytes.length > ctx.maxActivityBytes) {
    throw DirectLineErrors.tooBig('directline: the upload activity is too large');
  }
  return bytes.toString('utf8');
}

function parseJson(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    // Like fastify's own JSON parsing: a `__proto__` key must not reach any object we build.
    return JSON.parse(raw, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    throw DirectLineErrors.badArgument('directline: the upload activity is not valid JSON');
  }
}

/** `inline; filename="…"; filename*=UTF-8''…` with a plain-ASCII fallback name. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
