/**
 * The CSV exports of the insights page, one per section, built from the same rows as the page.
 * Semicolon-separated with decimal commas, so German Excel opens them by double click (see
 * csv.ts). Numbers are plain (no thousands separators), timestamps ISO-8601 UTC, so spreadsheets
 * sort and compute with them; names are added next to ids for people.
 */
import { toCsv } from './csv.js';
import type { Period } from './period.js';
import {
  DEAD_LETTER_EXPORT_LIMIT,
  deadLetterRows,
  feedbackRows,
  funnelViews,
  type ReportSources,
  unansweredRows,
} from './report.js';
import { T } from './texts.js';

/** A CSV export: its download name and content. */
export interface CsvExport {
  filename: string;
  body: string;
}

/** `30-tage`: the period in the file name, so several downloads do not overwrite each other. */
function stamp(period: Period): string {
  return `${period.days}-tage`;
}

export async function unansweredCsv(sources: ReportSources, period: Period): Promise<CsvExport> {
  const u = T.unanswered;
  const rows = await unansweredRows(sources, period);
  return {
    filename: `unbeantwortete-fragen-${stamp(period)}.csv`,
    body: toCsv(
      [
        u.example,
        u.groupKey,
        u.count,
        u.abstained,
        u.lowConfidence,
        u.service,
        'serviceId',
        u.lastAsked,
      ],
      rows.map((r) => [
        r.example,
        r.groupKey,
        r.count,
        r.abstained,
        r.lowConfidence,
        r.serviceName,
        r.serviceId,
        r.lastAskedAt,
      ]),
    ),
  };
}

export async function feedbackCsv(sources: ReportSources, period: Period): Promise<CsvExport> {
  const f = T.feedback;
  const rows = await feedbackRows(sources, period);
  return {
    filename: `rueckmeldungen-${stamp(period)}.csv`,
    body: toCsv(
      [f.service, f.serviceId, f.facet, f.up, f.down],
      rows.map((r) => [r.serviceName, r.serviceId, r.facetLabel, r.up, r.down]),
    ),
  };
}

export async function funnelsCsv(sources: ReportSources, period: Period): Promise<CsvExport> {
  const f = T.funnels;
  const funnels = await funnelViews(sources, period);
  return {
    filename: `antragsstrecken-${stamp(period)}.csv`,
    body: toCsv(
      [f.flow, 'flow', f.kind, f.stage, 'field', f.runs, f.percent],
      funnels.flatMap((funnel) =>
        funnel.stages.map((s) => [
          funnel.title,
          funnel.flow,
          f.kinds[s.kind],
          s.label,
          s.kind === 'step' ? s.key : '',
          s.runs,
          s.percent,
        ]),
      ),
    ),
  };
}

/** All dead submissions (up to `DEAD_LETTER_EXPORT_LIMIT`), whatever the period: each needs action. */
export async function deadLettersCsv(sources: ReportSources, now: Date): Promise<CsvExport> {
  const d = T.deadLetters;
  const rows = await deadLetterRows(sources, DEAD_LETTER_EXPORT_LIMIT);
  return {
    filename: `unzustellbare-antraege-${now.toISOString().slice(0, 10)}.csv`,
    body: toCsv(
      [d.receipt, d.flow, 'flow', d.connector, d.attempts, d.lastError, d.createdAt],
      rows.map((r) => [
        r.receipt,
        r.flowTitle,
        r.flow,
        r.connector,
        r.attempts,
        r.lastError,
        r.createdAt,
      ]),
    ),
  };
}
