/**
 * The insights page: a period selector, then one section per question editors and operators ask
 * ("what could Lotse not answer?", "which answers did not help?", "where do applications stop?",
 * "what did not reach the backend?"). Each chart is followed by a table with the same numbers,
 * the text alternative for screen readers and the place to read exact values; each section links
 * its CSV export. Works without scripts: the period is a GET form, the retry a POST form.
 */
import type { StaffPrincipal } from '../contract.js';
import { can } from '../contract.js';
import { html, type SafeHtml } from '../html.js';
import { barChart, CHART_COLOURS, formatNumber } from './chart.js';
import { formatDate, formatDateTime, PERIOD_DAYS } from './period.js';
import {
  DEAD_LETTER_PAGE_LIMIT,
  OUTBOX_ORDER,
  percentOf,
  type DeadLetterRow,
  type FeedbackRow,
  type FunnelView,
  type InsightsReport,
  type UnansweredRow,
} from './report.js';
import { T } from './texts.js';

/** Rows of the feedback chart (the table lists all). */
export const FEEDBACK_CHART_ROWS = 10;

/** The CSV exports, by file name. */
export const EXPORTS = {
  unanswered: 'unanswered.csv',
  feedback: 'feedback.csv',
  funnels: 'funnels.csv',
  deadLetters: 'dead-letters.csv',
} as const;

/** A message after a retry, shown once at the top of the page. */
export type Notice = { kind: 'requeued'; receipt: string } | { kind: 'not-requeued' };

/** A table column: its heading, and whether it holds numbers (right-aligned). */
interface Column {
  heading: string;
  number?: boolean;
}

/**
 * A data table: caption, column headings with `scope="col"`, the first cell of each row a row
 * header, inside a wrapper that scrolls sideways on narrow screens.
 */
function table(caption: string, columns: readonly Column[], rows: readonly SafeHtml[][]): SafeHtml {
  const cls = (c: Column | undefined) => (c?.number ? html` class="number"` : '');
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${columns.map((c) => html`<th scope="col" ${cls(c)}>${c.heading}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          ([head, ...cells]) =>
            html`<tr>
              <th scope="row" ${cls(columns[0])}>${head}</th>
              ${cells.map((cell, i) => html`<td ${cls(columns[i + 1])}>${cell}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Plain text or a number as a cell. */
function cell(value: string | number): SafeHtml {
  return html`${typeof value === 'number' ? formatNumber(value) : value}`;
}

function percentText(percent: number | undefined): string {
  return percent === undefined ? '–' : `${formatNumber(percent)} %`;
}

function csvLink(file: string, what: string, days?: number): SafeHtml {
  const href = `/staff/insights/${file}${days === undefined ? '' : `?days=${days}`}`;
  return html`<p><a href="${href}" download>${T.csv(what)}</a></p>`;
}

function none(): SafeHtml {
  return html`<p>${T.none}</p>`;
}

function periodForm(report: InsightsReport): SafeHtml {
  const p = T.period;
  return html`<form class="actions" method="get" action="/staff/insights">
      <label for="insights-days">${p.label}</label>
      <select id="insights-days" name="days">
        ${PERIOD_DAYS.map(
          (d) =>
            html`<option value="${d}" ${d === report.period.days ? html`selected` : ''}>
              ${p.option(d)}
            </option>`,
        )}
      </select>
      <button type="submit">${p.submit}</button>
    </form>
    <p class="muted">${p.current(report.period.days, formatDate(report.period.since))}</p>`;
}

function unansweredSection(rows: UnansweredRow[], days: number): SafeHtml {
  const u = T.unanswered;
  const body = table(
    u.caption,
    [
      { heading: u.example },
      { heading: u.count, number: true },
      { heading: u.abstained, number: true },
      { heading: u.lowConfidence, number: true },
      { heading: u.service },
      { heading: u.lastAsked },
    ],
    rows.map((r) => [
      cell(r.example),
      cell(r.count),
      cell(r.abstained),
      cell(r.lowConfidence),
      cell(r.serviceName ?? r.serviceId ?? u.noService),
      cell(formatDateTime(r.lastAskedAt)),
    ]),
  );
  return html`<section aria-labelledby="insights-unanswered">
    <h2 id="insights-unanswered">${u.heading}</h2>
    <p>${u.explain}</p>
    ${csvLink(EXPORTS.unanswered, u.csvName, days)} ${rows.length > 0 ? body : none()}
  </section>`;
}

function feedbackSection(rows: FeedbackRow[], days: number): SafeHtml {
  const f = T.feedback;
  const charted = rows.slice(0, FEEDBACK_CHART_ROWS);
  const chart = barChart({
    title: f.chartTitle(charted.length),
    series: [
      { label: f.up, colour: CHART_COLOURS.positive },
      { label: f.down, colour: CHART_COLOURS.negative },
    ],
    rows: charted.map((r) => ({
      label: `${r.serviceName} · ${r.facetLabel}`,
      values: [r.up, r.down],
    })),
  });
  const body = table(
    f.caption,
    [
      { heading: f.service },
      { heading: f.facet },
      { heading: f.up, number: true },
      { heading: f.down, number: true },
      { heading: f.share, number: true },
    ],
    rows.map((r) => [
      cell(r.serviceName),
      cell(r.facetLabel),
      cell(r.up),
      cell(r.down),
      cell(percentText(percentOf(r.down, r.up + r.down))),
    ]),
  );
  return html`<section aria-labelledby="insights-feedback">
    <h2 id="insights-feedback">${f.heading}</h2>
    <p>${f.explain}</p>
    ${csvLink(EXPORTS.feedback, f.csvName, days)}
    ${rows.length > 0 ? html`${chart} ${body}` : none()}
  </section>`;
}

function funnelBlock(funnel: FunnelView, index: number): SafeHtml {
  const f = T.funnels;
  const chart = barChart({
    title: f.chartTitle(funnel.title, funnel.started, funnel.completed),
    series: [{ label: f.runs, colour: CHART_COLOURS.primary }],
    rows: funnel.stages.map((s) => ({
      label: s.label,
      values: [s.runs],
      valueLabels: [
        s.percent === undefined
          ? formatNumber(s.runs)
          : `${formatNumber(s.runs)} (${percentText(s.percent)})`,
      ],
    })),
  });
  const body = table(
    f.caption(funnel.title),
    [{ heading: f.stage }, { heading: f.runs, number: true }, { heading: f.percent, number: true }],
    funnel.stages.map((s) => [cell(s.label), cell(s.runs), cell(percentText(s.percent))]),
  );
  return html`<h3 id="insights-funnel-${index}">${funnel.title}</h3>
    ${chart} ${body}`;
}

function funnelSection(funnels: FunnelView[], days: number): SafeHtml {
  const f = T.funnels;
  return html`<section aria-labelledby="insights-funnels">
    <h2 id="insights-funnels">${f.heading}</h2>
    <p>${f.explain}</p>
    ${csvLink(EXPORTS.funnels, f.csvName, days)}
    ${funnels.length > 0 ? funnels.map(funnelBlock) : none()}
  </section>`;
}

function retryForm(row: DeadLetterRow, staff: StaffPrincipal, days: number): SafeHtml {
  const d = T.deadLetters;
  const action = `/staff/insights/dead-letters/${encodeURIComponent(row.id)}/retry?days=${days}`;
  return html`<form method="post" action="${action}">
    <input type="hidden" name="_csrf" value="${staff.csrfToken}" />
    <button type="submit">
      ${d.retry}<span class="visually-hidden"> – ${d.retryTarget(row.receipt)}</span>
    </button>
  </form>`;
}

function deadLetterTable(rows: DeadLetterRow[], staff: StaffPrincipal, days: number): SafeHtml {
  const d = T.deadLetters;
  const admin = can(staff.role, 'admin');
  return table(
    d.caption,
    [
      { heading: d.receipt },
      { heading: d.flow },
      { heading: d.connector },
      { heading: d.attempts, number: true },
      { heading: d.lastError },
      { heading: d.createdAt },
      ...(admin ? [{ heading: d.action }] : []),
    ],
    rows.map((r) => [
      cell(r.receipt),
      cell(r.flowTitle),
      cell(r.connector),
      cell(r.attempts),
      cell(r.lastError),
      cell(formatDateTime(r.createdAt)),
      ...(admin ? [retryForm(r, staff, days)] : []),
    ]),
  );
}

function outboxSection(report: InsightsReport, staff: StaffPrincipal): SafeHtml {
  const o = T.outbox;
  const d = T.deadLetters;
  const total = OUTBOX_ORDER.reduce((sum, s) => sum + report.outbox[s], 0);
  const chart = barChart({
    title: o.chartTitle(total),
    series: [{ label: o.count, colour: CHART_COLOURS.primary }],
    rows: OUTBOX_ORDER.map((s) => ({ label: o.statuses[s], values: [report.outbox[s]] })),
  });
  const counts = table(
    o.caption,
    [{ heading: o.status }, { heading: o.count, number: true }],
    OUTBOX_ORDER.map((s) => [cell(o.statuses[s]), cell(report.outbox[s])]),
  );
  const dead = report.deadLetters;
  const more = report.outbox.dead > dead.length && dead.length >= DEAD_LETTER_PAGE_LIMIT;
  return html`<section aria-labelledby="insights-outbox">
    <h2 id="insights-outbox">${o.heading}</h2>
    <p>${o.explain}</p>
    ${chart} ${counts}
    <h3 id="insights-dead-letters">${d.heading}</h3>
    ${csvLink(EXPORTS.deadLetters, d.csvName)}
    ${dead.length > 0 ? deadLetterTable(dead, staff, report.period.days) : html`<p>${d.none}</p>`}
    ${more ? html`<p>${d.more(dead.length)}</p>` : ''}
  </section>`;
}

function noticeHtml(notice: Notice | undefined): SafeHtml {
  if (!notice) return html``;
  const text =
    notice.kind === 'requeued' ? T.deadLetters.requeued(notice.receipt) : T.deadLetters.notRequeued;
  return html`<p class="notice" role="status">${text}</p>`;
}

/** The page's main content for a report and the viewing staff member. */
export function insightsMain(
  report: InsightsReport,
  staff: StaffPrincipal,
  notice?: Notice,
): SafeHtml {
  const days = report.period.days;
  return html`${noticeHtml(notice)}
    <p>${T.intro}</p>
    ${periodForm(report)} ${unansweredSection(report.unanswered, days)}
    ${feedbackSection(report.feedback, days)} ${funnelSection(report.funnels, days)}
    ${outboxSection(report, staff)}`;
}
