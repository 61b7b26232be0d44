/**
 * The self-hosted Direct Line 3.0 channel: what the composition root needs to mount web chat.
 */
export { directLine, type DirectLineOptions } from './routes.js';
export {
  type BotLogic,
  DIRECT_LINE_CHANNEL_ID,
  DirectLineAdapter,
  type DirectLineAdapterOptions,
} from './adapter.js';
export { StreamHub, type StreamHubOptions } from './stream-hub.js';
export { loadOrCreateSecret, SECRET_FILE_NAME } from './secret.js';
export { MemoryUploadStore, type StoredUpload, type UploadStore } from './uploads.js';
export { DirectLineError, type DirectLineErrorCode } from './errors.js';
export { type IssuedToken, TokenIssuer, type TokenIssuerOptions } from './tokens.js';
