/** Small argument helpers shared by the CLI commands. */
import { UsageError } from './io.js';

/** Parses a positive integer option, with a usage error naming the option otherwise. */
export function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Returns a required string option, with a usage error naming the option otherwise. */
export function required(name: string, raw: string | undefined): string {
  if (!raw) throw new UsageError(`${name} is required`);
  return raw;
}
