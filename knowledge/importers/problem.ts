/**
 * What an importer says about a record it had to skip or repair. Operators fix their exports from
 * these lines, so each names the file, the record, the field and the reason, never just "invalid".
 */
import type { z } from 'zod';

export interface ImportProblem {
  file: string;
  /** The record's id where it has one, otherwise its position as `#index`. */
  record: string;
  /** Dotted path of the offending field, or `(record)` for the record as a whole. */
  field: string;
  reason: string;
  /** `skipped`: the record is left out; `dropped-field`: the record is kept without that value. */
  action: 'skipped' | 'dropped-field';
}

/** Formats a problem as one line for a terminal or a log. */
export function formatProblem(p: ImportProblem): string {
  const what = p.action === 'skipped' ? 'record skipped' : 'value dropped';
  return `${p.file}: record ${p.record}: field "${p.field}": ${p.reason} (${what})`;
}

/** Turns zod issues into problems, one per issue. */
export function problemsFromZod(
  file: string,
  record: string,
  error: z.ZodError,
  action: ImportProblem['action'],
): ImportProblem[] {
  return error.issues.map((issue) => ({
    file,
    record,
    field: issue.path.length ? issue.path.map(String).join('.') : '(record)',
    reason: issue.message,
    action,
  }));
}

/** The id of a raw record for messages, before it has been validated. */
export function rawRecordId(raw: unknown, index: number): string {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return `#${index}`;
}
