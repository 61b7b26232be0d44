/**
 * Checks the stores apply to what callers hand them. A value the schema would refuse (an unknown
 * status, an over-long department) is a bug in the caller; failing here with
 * `LOTSE_STORAGE_INVALID_INPUT` and the offending value beats a driver's constraint error that
 * reads differently on SQLite and PostgreSQL.
 */
import { StorageError } from './errors.js';

/** The `LOTSE_STORAGE_INVALID_INPUT` error to throw; `message` names the field and the value. */
export function invalidInput(message: string): StorageError {
  return new StorageError('LOTSE_STORAGE_INVALID_INPUT', `storage: ${message}`);
}

/** `value` must be one of `allowed`; returns it typed. */
export function assertOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidInput(
      `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** Every entry of `values` must be one of `allowed`, and there must be at least one. */
export function assertAllOneOf<T extends string>(
  name: string,
  values: readonly unknown[],
  allowed: readonly T[],
): T[] {
  if (values.length === 0) throw invalidInput(`${name} must name at least one value`);
  return values.map((value) => assertOneOf(name, value, allowed));
}

/** A non-empty string of at most `max` characters. */
export function assertText(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalidInput(
      `${name} must be a non-empty text of at most ${max} characters, got ${JSON.stringify(
        typeof value === 'string' && value.length > 60 ? `${value.slice(0, 60)}…` : value,
      )}`,
    );
  }
  return value;
}

/** A row limit: an integer from 1 to `max`. */
export function assertLimit(name: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalidInput(`${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}

/** `$from, $from+1, …` for an `IN (…)` list of `count` parameters. */
export function placeholders(from: number, count: number): string {
  return Array.from({ length: count }, (_, index) => `$${from + index}`).join(', ');
}
