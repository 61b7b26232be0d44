/**
 * Errors of the knowledge layer, each with a stable code. Callers (CLI, HTTP) map codes to exit
 * codes or statuses; messages name the module, the file and the offending value.
 */
export type KnowledgeErrorCode =
  | 'LOTSE_CATALOGUE_NOT_FOUND'
  | 'LOTSE_CATALOGUE_INVALID_JSON'
  | 'LOTSE_CATALOGUE_INVALID'
  | 'LOTSE_CATALOGUE_EMPTY'
  | 'LOTSE_EVAL_INVALID_LINE'
  | 'LOTSE_MODEL_UNAVAILABLE'
  | 'LOTSE_SYNONYMS_UNREADABLE';

/** A failure the operator can fix: the message says what and where. */
export class KnowledgeError extends Error {
  constructor(
    readonly code: KnowledgeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KnowledgeError';
  }
}
