/**
 * Errors of the storage layer, each with a stable code. The HTTP layer maps them to statuses
 * (`LOTSE_STORAGE_UNAVAILABLE` → 503 on /readyz, `LOTSE_STORAGE_ETAG_CONFLICT` → retry the turn);
 * messages name the database (password masked), the key or the migration concerned.
 */
export type StorageErrorCode =
  /** The database could not be opened or reached; the operator fixes the URL, file or server. */
  | 'LOTSE_STORAGE_UNAVAILABLE'
  /** A schema migration failed; nothing of it was applied. */
  | 'LOTSE_STORAGE_MIGRATION_FAILED'
  /** Another writer changed a state item since it was read (optimistic concurrency). */
  | 'LOTSE_STORAGE_ETAG_CONFLICT'
  /** A caller passed a value the store cannot keep (a bug in the caller, not in the data). */
  | 'LOTSE_STORAGE_INVALID_INPUT'
  /** A write kept losing a race with other writers; retrying the turn is the way out. */
  | 'LOTSE_STORAGE_CONTENDED'
  /** The SQL client was used in a way that would deadlock or escape a transaction. */
  | 'LOTSE_STORAGE_MISUSE'
  /** Writing to a conversation that was deleted ("Daten löschen", retention): nothing is kept. */
  | 'LOTSE_STORAGE_CONVERSATION_GONE';

/** A storage failure with a stable code; `cause` keeps the driver's error for the log. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/**
 * A database URL fit for messages and logs: the password (in the user-info part, a `password`
 * query parameter or a `password=` keyword) is replaced by `***`. Works on strings that are not
 * valid URLs too, because those are exactly the ones that end up in error messages.
 */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString().replace('%2A%2A%2A', '***');
  } catch {
    return url.replace(/(\/\/[^/@:]*:)[^@]*@/, '$1***@').replace(/(password=)[^&\s]*/gi, '$1***');
  }
}
