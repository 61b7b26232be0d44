import { describe, expect, it } from 'vitest';
import {
  BAR_SPACE,
  barChart,
  barWidth,
  CHART_COLOURS,
} from '../../../../channels/staff/insights/chart.js';

/** WCAG relative luminance contrast of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b2 ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

const chart = () =>
  barChart({
    title: 'Rückmeldungen <je> Leistung',
    series: [
      { label: 'Hilfreich', colour: CHART_COLOURS.positive },
      { label: 'Nicht hilfreich', colour: CHART_COLOURS.negative },
    ],
    rows: [
      { label: 'Personalausweis & Pass', values: [3, 1] },
      { label: 'Hundesteuer', values: [0, 6], valueLabels: ['0 (0 %)', '6 (100 %)'] },
    ],
  }).value;

describe('barChart', () => {
  it('is an image with the summary as its accessible name and title', () => {
    const svg = chart();
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    expect(svg).toContain('aria-label="Rückmeldungen &lt;je&gt; Leistung"');
    expect(svg).toContain('<title>Rückmeldungen &lt;je&gt; Leistung</title>');
  });

  it('labels every row and bar, and names the series in a legend', () => {
    const text = chart().replace(/\s+/g, ' ');
    for (const label of [
      'Personalausweis &amp; Pass',
      'Hundesteuer',
      'Hilfreich',
      'Nicht hilfreich',
    ]) {
      expect(text).toContain(`> ${label} </text>`);
    }
    for (const value of [
      '> 3 </text>',
      '> 1 </text>',
      '> 0 (0 %) </text>',
      '> 6 (100 %) </text>',
    ]) {
      expect(text).toContain(value);
    }
  });

  it('scales bars to the largest value', () => {
    expect(barWidth(6, 6)).toBe(BAR_SPACE);
    expect(barWidth(3, 6)).toBe(BAR_SPACE / 2);
    expect(barWidth(0, 6)).toBe(0);
    expect(barWidth(0.001, 6)).toBe(1);
    expect(barWidth(5, 0)).toBe(0);
    expect(chart()).toContain(`width="${BAR_SPACE}"`);
    expect(chart()).toContain(`width="${BAR_SPACE / 2}"`);
  });

  it('carries no style attribute (the console forbids inline styles)', () => {
    expect(chart()).not.toMatch(/\sstyle=/);
  });

  it('renders nothing without rows', () => {
    expect(barChart({ title: 'leer', series: [], rows: [] }).value).toBe('');
  });

  it('uses colours with at least 3:1 against the background, and text with 4.5:1', () => {
    for (const colour of [
      CHART_COLOURS.primary,
      CHART_COLOURS.positive,
      CHART_COLOURS.negative,
      CHART_COLOURS.axis,
    ]) {
      expect(contrast(colour, CHART_COLOURS.background)).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(CHART_COLOURS.text, CHART_COLOURS.background)).toBeGreaterThanOrEqual(4.5);
  });
});
