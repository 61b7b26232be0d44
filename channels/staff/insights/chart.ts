/**
 * Horizontal bar charts as inline SVG, rendered on the server: no chart library, no script, and
 * nothing the Content-Security-Policy forbids (colours are SVG presentation attributes, not style
 * attributes). A chart is `role="img"` with its summary as accessible name; the exact numbers
 * always stand in a table beside it, which is the text alternative. Every bar carries its value
 * as text, so no reading depends on colour alone (legend entries name each series too).
 */
import { html, type SafeHtml } from '../html.js';

/**
 * Colours with at least 4.5:1 contrast against the chart's white background (the graphics need
 * 3:1, the value labels 4.5:1), and distinguishable from each other.
 */
export const CHART_COLOURS = {
  text: '#1a1a1a',
  background: '#ffffff',
  axis: '#595959',
  primary: '#1d4f91',
  positive: '#1a7340',
  negative: '#b3261e',
} as const;

export interface BarSeries {
  label: string;
  /** One of `CHART_COLOURS` (or another colour with ≥3:1 against white). */
  colour: string;
}

export interface BarRow {
  label: string;
  /** One value per series, in series order. */
  values: readonly number[];
  /** Written after each bar instead of the bare number (e.g. "12 (40 %)"). */
  valueLabels?: readonly string[];
}

export interface BarChartOptions {
  /** The accessible name: what the chart shows, in one sentence. */
  title: string;
  series: readonly BarSeries[];
  rows: readonly BarRow[];
}

const WIDTH = 800;
const LABEL_WIDTH = 250;
const BAR_START = LABEL_WIDTH + 10;
/** The length of the longest bar, in the chart's units. */
export const BAR_SPACE = 440;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const ROW_GAP = 12;
const LEGEND_HEIGHT = 26;
const FONT_SIZE = 13;
const MAX_LABEL_CHARS = 30;

const numberFormat = new Intl.NumberFormat('de-DE');

/** A number as German text ("1.234"). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

function shorten(label: string): string {
  const chars = Array.from(label);
  return chars.length <= MAX_LABEL_CHARS
    ? label
    : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

/** Width in the chart of a bar for `value`, the longest bar filling the bar space. */
export function barWidth(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.max(1, Math.round((value / max) * BAR_SPACE));
}

/** Renders the chart; an empty `rows` gives an empty string (the page says "no data" instead). */
export function barChart(options: BarChartOptions): SafeHtml {
  if (options.rows.length === 0) return html``;
  const { series, rows } = options;
  const legend = series.length > 1;
  const top = legend ? LEGEND_HEIGHT : 4;
  const rowHeight = series.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP;
  const height = top + rows.length * rowHeight + 4;
  const max = Math.max(0, ...rows.flatMap((r) => r.values));
  const legendItems = legend
    ? series.map((s, i) => {
        const x = BAR_START + i * 180;
        return html`<rect x="${x}" y="4" width="14" height="14" fill="${s.colour}" /><text
            x="${x + 20}"
            y="16"
            font-size="${FONT_SIZE}"
            fill="${CHART_COLOURS.text}"
          >
            ${s.label}
          </text>`;
      })
    : '';
  const bars = rows.map((row, r) => {
    const y0 = top + r * rowHeight;
    const labelY = y0 + (rowHeight - ROW_GAP) / 2 + FONT_SIZE / 2 - 2;
    return html`<g>
      <text
        x="${LABEL_WIDTH}"
        y="${labelY}"
        text-anchor="end"
        font-size="${FONT_SIZE}"
        fill="${CHART_COLOURS.text}"
      >
        ${shorten(row.label)}
      </text>
      ${series.map((s, i) => {
        const value = row.values[i] ?? 0;
        const y = y0 + i * (BAR_HEIGHT + BAR_GAP);
        const w = barWidth(value, max);
        return html`<rect
            x="${BAR_START}"
            y="${y}"
            width="${w}"
            height="${BAR_HEIGHT}"
            fill="${s.colour}"
          /><text
            x="${BAR_START + w + 6}"
            y="${y + BAR_HEIGHT - 4}"
            font-size="${FONT_SIZE}"
            fill="${CHART_COLOURS.text}"
          >
            ${row.valueLabels?.[i] ?? formatNumber(value)}
          </text>`;
      })}
    </g>`;
  });
  return html`<svg
    class="insights-chart"
    role="img"
    aria-label="${options.title}"
    viewBox="0 0 ${WIDTH} ${height}"
    width="100%"
    xmlns="http://www.w3.org/2000/svg"
    font-family="sans-serif"
  >
    <title>${options.title}</title>
    <rect x="0" y="0" width="${WIDTH}" height="${height}" fill="${CHART_COLOURS.background}" />
    ${legendItems}
    <line
      x1="${BAR_START}"
      y1="${top - 2}"
      x2="${BAR_START}"
      y2="${height - 2}"
      stroke="${CHART_COLOURS.axis}"
      stroke-width="1"
    />
    ${bars}
  </svg>`;
}
