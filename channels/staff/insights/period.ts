/**
 * The period an insights view covers: one of a few fixed choices, so links and CSV exports are
 * reproducible and no query can ask the store for an unbounded or odd range.
 */

/** The periods offered, in days. */
export const PERIOD_DAYS = [7, 30, 90] as const;

export type PeriodDays = (typeof PERIOD_DAYS)[number];

/** Used when `?days=` is absent or not one of `PERIOD_DAYS`. */
export const DEFAULT_PERIOD_DAYS: PeriodDays = 30;

export interface Period {
  days: PeriodDays;
  /** ISO-8601 UTC start of the period (`now` minus `days`). */
  since: string;
}

/** Reads `?days=`; anything but an offered period falls back to the default rather than failing. */
export function parsePeriod(query: unknown, now: Date): Period {
  const raw = (query as { days?: unknown } | undefined)?.days;
  const wanted = typeof raw === 'string' ? Number(raw) : Number.NaN;
  const days = PERIOD_DAYS.find((d) => d === wanted) ?? DEFAULT_PERIOD_DAYS;
  return { days, since: new Date(now.getTime() - days * 86_400_000).toISOString() };
}

const dateFormat = new Intl.DateTimeFormat('de-DE', {
  dateStyle: 'medium',
  timeZone: 'Europe/Berlin',
});
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Berlin',
});

/** A stored ISO timestamp as a German date ("12.03.2026"). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** A stored ISO timestamp as German date and time, in German time. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
