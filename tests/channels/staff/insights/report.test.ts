/**
 * The rows the insights page and exports show, built from stub stores: funnels in field order
 * with percentages of the runs started, names for ids, and dead submissions without payload.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../../channels/staff/insights/period.js';
import {
  deadLetterRows,
  feedbackRows,
  funnelView,
  percentOf,
  type ReportSources,
} from '../../../../channels/staff/insights/report.js';
import type { OutboxRecord } from '../../../../flows/outbox/types.js';
import { FlowRegistry } from '../../../../flows/registry.js';
import type { InsightsStore } from '../../../../storage/types.js';

const registry = new FlowRegistry();

function sources(overrides: Partial<InsightsStore>, dead: OutboxRecord[] = []): ReportSources {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    insights: {
      recordQuestion: unused,
      recordFlowEvent: unused,
      unansweredGroups: unused,
      feedbackSummary: unused,
      flowFunnels: unused,
      outboxCounts: unused,
      ...overrides,
    },
    outbox: { list: async () => dead },
    knowledge: {
      search: {
        get: (id: string) => (id === '1063441' ? { name: 'Personalausweis' } : undefined),
      } as unknown as ReportSources['knowledge']['search'],
    },
    registry,
  };
}

describe('percentOf', () => {
  it.each([
    [1, 4, 25],
    [3, 4, 75],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [5, 4, 125],
    [0, 4, 0],
  ])('gives %d of %d as %d %', (part, whole, percent) => {
    expect(percentOf(part, whole)).toBe(percent);
  });

  it('gives no percentage of nothing', () => {
    expect(percentOf(3, 0)).toBeUndefined();
  });
});

describe('funnelView', () => {
  it("orders steps as the flow's fields, with labels and percentages of the runs started", () => {
    const view = funnelView(sources({}), {
      flow: 'maengelmeldung',
      started: 4,
      completed: 1,
      abandoned: 2,
      steps: [
        { step: 'description', runs: 3 },
        { step: 'removed-field', runs: 1 },
        { step: 'category', runs: 4 },
      ],
    });
    expect(view.title).toBe('Mängelmeldung');
    expect(view.stages.map((s) => [s.kind, s.label, s.runs, s.percent])).toEqual([
      ['started', 'Begonnen', 4, 100],
      ['step', 'Schritt: Art des Mangels', 4, 100],
      ['step', 'Schritt: Beschreibung', 3, 75],
      ['step', 'Schritt: removed-field', 1, 25],
      ['completed', 'Abgeschlossen', 1, 25],
      ['abandoned', 'Abgebrochen', 2, 50],
    ]);
  });

  it('names a flow no longer offered by its id and gives no percentages without starts', () => {
    const view = funnelView(sources({}), {
      flow: 'old-flow',
      started: 0,
      completed: 1,
      abandoned: 0,
      steps: [{ step: 'x', runs: 1 }],
    });
    expect(view.title).toBe('old-flow');
    expect(view.stages.map((s) => s.percent)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('feedbackRows', () => {
  it('names services from the catalogue and facets in German', async () => {
    const rows = await feedbackRows(
      sources({
        feedbackSummary: async () => [
          { serviceId: '1063441', facet: 'fees', up: 1, down: 4 },
          { serviceId: 'gone', facet: 'something-new', up: 0, down: 1 },
          { up: 2, down: 0 },
        ],
      }),
      parsePeriod({}, new Date()),
    );
    expect(rows.map((r) => [r.serviceName, r.facetLabel])).toEqual([
      ['Personalausweis', 'Gebühren'],
      ['gone', 'something-new'],
      ['ohne Leistung', 'ohne Thema'],
    ]);
  });
});

describe('feedbackRows with facet keys that name object properties', () => {
  it('shows such a key as it is, not a function from the text object', async () => {
    const rows = await feedbackRows(
      sources({
        feedbackSummary: async () =>
          ['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((facet) => ({
            facet,
            up: 0,
            down: 1,
          })),
      }),
      parsePeriod({}, new Date()),
    );
    expect(rows.map((r) => r.facetLabel)).toEqual([
      'constructor',
      'toString',
      '__proto__',
      'hasOwnProperty',
    ]);
  });
});

describe('deadLetterRows', () => {
  it('keeps what staff need to act and masks personal data in the error; no payload', async () => {
    const record: OutboxRecord = {
      id: 'id-1',
      receipt: 'LT-2026-AAAA-BBBB',
      flow: 'maengelmeldung',
      connector: 'open311',
      idempotencyKey: 'k',
      payload: { email: 'anna@example.org', description: 'geheim' },
      conversation: { user: { id: 'u-1' } },
      status: 'dead',
      attempts: 5,
      nextAttemptAt: '2026-03-01T00:00:00.000Z',
      lastError: 'HTTP 422: email anna@example.org rejected',
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    };
    const rows = await deadLetterRows(sources({}, [record]), 10);
    expect(rows).toEqual([
      {
        id: 'id-1',
        receipt: 'LT-2026-AAAA-BBBB',
        flow: 'maengelmeldung',
        flowTitle: 'Mängelmeldung',
        connector: 'open311',
        attempts: 5,
        lastError: 'HTTP 422: email [E-Mail] rejected',
        createdAt: '2026-03-01T00:00:00.000Z',
      },
    ]);
  });
});

describe('parsePeriod', () => {
  const now = new Date('2026-03-31T12:00:00.000Z');

  it.each([
    [{ days: '7' }, 7, '2026-03-24T12:00:00.000Z'],
    [{ days: '90' }, 90, '2025-12-31T12:00:00.000Z'],
    [{}, 30, '2026-03-01T12:00:00.000Z'],
    [{ days: '365' }, 30, '2026-03-01T12:00:00.000Z'],
    [{ days: ['7', '90'] }, 30, '2026-03-01T12:00:00.000Z'],
    [{ days: 'abc' }, 30, '2026-03-01T12:00:00.000Z'],
  ])('reads %j as %d days since %s', (query, days, since) => {
    expect(parsePeriod(query, now)).toEqual({ days, since });
  });
});
