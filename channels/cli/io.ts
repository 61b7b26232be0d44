/**
 * Where CLI commands write. Commands take an `Io` instead of touching the process streams, so
 * tests run them in-process and read exactly what a user would see.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Writes to the process's standard streams. */
export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Exit codes: 0 success, 1 operational failure, 2 usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A wrong command line; the message is shown with the usage hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
