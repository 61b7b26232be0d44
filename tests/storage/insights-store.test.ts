import { describe, expect, it } from 'vitest';
import type { FlowEventRecord, QuestionRecord } from '../../storage/types.js';
import { backends, uniqueId, useStores } from './backends.js';

describe.each(backends)('insights on $name', (backend) => {
  const context = useStores(backend);

  const question = (groupKey: string, overrides: Partial<QuestionRecord>): QuestionRecord => ({
    text: 'Was kostet die Hundesteuer?',
    groupKey,
    language: 'de',
    outcome: 'abstained',
    confidence: 0.2,
    createdAt: '2040-01-01T10:00:00.000Z',
    ...overrides,
  });

  describe('unanswered questions', () => {
    it('groups the not-answered questions since a time, most frequent first', async () => {
      const dog = uniqueId('hund steuer');
      const bin = uniqueId('tonne');
      const tree = uniqueId('baum');
      const record = (q: QuestionRecord) => context.stores.insights.recordQuestion(q);
      await record(question(dog, { createdAt: '2039-12-31T23:59:59.999Z', text: 'too old' }));
      await record(question(dog, { createdAt: '2040-01-01T10:00:00.000Z', serviceId: 's-dog' }));
      await record(
        question(dog, {
          createdAt: '2040-01-01T11:00:00.000Z',
          outcome: 'low-confidence',
          confidence: 0.4,
          serviceId: 's-dog',
          text: 'Hundesteuer zahlen wie?',
        }),
      );
      await record(question(dog, { createdAt: '2040-01-01T10:30:00.000Z', serviceId: 's-cat' }));
      await record(question(dog, { createdAt: '2040-01-01T12:00:00.000Z', outcome: 'answered' }));
      await record(question(bin, { createdAt: '2040-01-02T09:00:00.000Z', text: 'Tonne voll' }));
      await record(question(tree, { createdAt: '2040-01-02T10:00:00.000Z', text: 'Baum fällen' }));

      const groups = (
        await context.stores.insights.unansweredGroups({ since: '2040-01-01T00:00:00.000Z' })
      ).filter((g) => [dog, bin, tree].includes(g.groupKey));
      expect(groups).toEqual([
        {
          groupKey: dog,
          example: 'Hundesteuer zahlen wie?',
          count: 3,
          abstained: 2,
          lowConfidence: 1,
          serviceId: 's-dog',
          lastAskedAt: '2040-01-01T11:00:00.000Z',
        },
        {
          groupKey: tree,
          example: 'Baum fällen',
          count: 1,
          abstained: 1,
          lowConfidence: 0,
          lastAskedAt: '2040-01-02T10:00:00.000Z',
        },
        {
          groupKey: bin,
          example: 'Tonne voll',
          count: 1,
          abstained: 1,
          lowConfidence: 0,
          lastAskedAt: '2040-01-02T09:00:00.000Z',
        },
      ]);
    });

    it('names the most recent service when two are on top equally often', async () => {
      const key = uniqueId('parken');
      await context.stores.insights.recordQuestion(
        question(key, { createdAt: '2041-01-01T10:00:00.000Z', serviceId: 's-older' }),
      );
      await context.stores.insights.recordQuestion(
        question(key, { createdAt: '2041-01-01T11:00:00.000Z', serviceId: 's-newer' }),
      );
      const [group] = (
        await context.stores.insights.unansweredGroups({ since: '2041-01-01T00:00:00.000Z' })
      ).filter((g) => g.groupKey === key);
      expect(group?.serviceId).toBe('s-newer');
    });

    it('returns at most the requested number of groups, and none when nothing is unanswered', async () => {
      for (const minute of ['01', '02', '03']) {
        await context.stores.insights.recordQuestion(
          question(uniqueId('late'), { createdAt: `2999-01-01T10:${minute}:00.000Z` }),
        );
      }
      const since = '2999-01-01T00:00:00.000Z';
      const groups = await context.stores.insights.unansweredGroups({ since, limit: 2 });
      expect(groups.map((g) => g.lastAskedAt)).toEqual([
        '2999-01-01T10:03:00.000Z',
        '2999-01-01T10:02:00.000Z',
      ]);
      expect(
        await context.stores.insights.unansweredGroups({ since: '3000-01-01T00:00:00.000Z' }),
      ).toEqual([]);
    });

    it('cuts an over-long question instead of failing the turn', async () => {
      const key = uniqueId('lang');
      await context.stores.insights.recordQuestion(
        question(key, { text: 'x'.repeat(2000), createdAt: '2042-01-01T10:00:00.000Z' }),
      );
      const [group] = (
        await context.stores.insights.unansweredGroups({ since: '2042-01-01T00:00:00.000Z' })
      ).filter((g) => g.groupKey === key);
      expect(group?.example).toHaveLength(500);
    });

    it.each([
      ['an unknown outcome', { outcome: 'guessed' }],
      ['an unknown language', { language: 'fr' }],
      ['an empty text', { text: '' }],
      ['a confidence that is not a number', { confidence: Number.NaN }],
    ])('refuses %s', async (_, override) => {
      await expect(
        context.stores.insights.recordQuestion(question('k', override as Partial<QuestionRecord>)),
      ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
    });
  });

  describe('feedback summary', () => {
    it('sums thumbs per service and facet since a time, most thumbs down first', async () => {
      const good = uniqueId('service-good');
      const bad = uniqueId('service-bad');
      const rate = (
        serviceId: string,
        facet: string | undefined,
        rating: 'up' | 'down',
        createdAt = '2040-02-01T10:00:00.000Z',
      ) =>
        context.stores.feedback.record({
          conversationId: uniqueId('conversation'),
          activityId: 'a',
          serviceId,
          ...(facet ? { facet } : {}),
          rating,
          createdAt,
        });
      await rate(good, 'fees', 'up');
      await rate(good, 'fees', 'up');
      await rate(good, 'fees', 'down');
      await rate(bad, 'documents', 'down');
      await rate(bad, 'documents', 'down');
      await rate(bad, undefined, 'up');
      await rate(bad, 'documents', 'down', '2040-01-31T23:59:59.999Z');

      const summary = (
        await context.stores.insights.feedbackSummary({ since: '2040-02-01T00:00:00.000Z' })
      ).filter((row) => row.serviceId === good || row.serviceId === bad);
      expect(summary).toEqual([
        { serviceId: bad, facet: 'documents', up: 0, down: 2 },
        { serviceId: good, facet: 'fees', up: 2, down: 1 },
        { serviceId: bad, up: 1, down: 0 },
      ]);
    });
  });

  describe('flow funnels', () => {
    it('counts runs started, completed, abandoned and per step, steps in the order first seen', async () => {
      const flow = uniqueId('anwohnerparken');
      const event = (
        runId: string,
        kind: FlowEventRecord['event'],
        minute: number,
        detail?: string,
      ): FlowEventRecord => ({
        runId,
        flow,
        event: kind,
        ...(detail ? { detail } : {}),
        createdAt: `2040-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
      });
      const events: FlowEventRecord[] = [
        { ...event('old', 'started', 0), createdAt: '2040-02-28T10:00:00.000Z' },
        event('r1', 'started', 1),
        event('r1', 'step', 2, 'name'),
        event('r1', 'step', 3, 'address'),
        event('r1', 'completed', 4),
        event('r2', 'started', 5),
        event('r2', 'step', 6, 'name'),
        event('r2', 'step', 7, 'name'),
        event('r2', 'abandoned', 8, 'cancelled'),
        event('r3', 'started', 9),
        event('r3', 'step', 10, 'name'),
        event('r3', 'step', 11, 'address'),
        event('r3', 'step', 12, 'plate'),
      ];
      for (const e of events) await context.stores.insights.recordFlowEvent(e);

      const funnels = await context.stores.insights.flowFunnels({
        since: '2040-03-01T00:00:00.000Z',
      });
      expect(funnels.find((f) => f.flow === flow)).toEqual({
        flow,
        started: 3,
        completed: 1,
        abandoned: 1,
        steps: [
          { step: 'name', runs: 3 },
          { step: 'address', runs: 2 },
          { step: 'plate', runs: 1 },
        ],
      });
    });

    it("counts citizens' own runs only, not applications staff enter for callers", async () => {
      const flow = uniqueId('kindergeld');
      const at = (minute: number) => `2040-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
      const run = (runId: string, byStaff: boolean, start: number): FlowEventRecord[] =>
        [
          { event: 'started' as const },
          { event: 'step' as const, detail: 'child' },
          { event: 'step' as const, detail: 'iban' },
          { event: 'completed' as const },
        ].map((e, i) => ({ runId, flow, ...e, byStaff, createdAt: at(start + i) }));
      const events = [
        ...run('staff-run', true, 0),
        ...run('citizen-run', false, 10).slice(0, 2),
        // A staff run that ends in a handoff must not count as a citizen abandoning either.
        { runId: 'staff-2', flow, event: 'started', byStaff: true, createdAt: at(20) },
        {
          runId: 'staff-2',
          flow,
          event: 'abandoned',
          detail: 'cancelled',
          byStaff: true,
          createdAt: at(21),
        },
      ] satisfies FlowEventRecord[];
      for (const e of events) await context.stores.insights.recordFlowEvent(e);

      const funnels = await context.stores.insights.flowFunnels({
        since: '2040-05-01T00:00:00.000Z',
      });
      expect(funnels.find((f) => f.flow === flow)).toEqual({
        flow,
        started: 1,
        completed: 0,
        abandoned: 0,
        steps: [{ step: 'child', runs: 1 }],
      });
    });

    it('has no funnel for a flow only staff ran', async () => {
      const flow = uniqueId('nur-personal');
      await context.stores.insights.recordFlowEvent({
        runId: 'r',
        flow,
        event: 'started',
        byStaff: true,
        createdAt: '2040-05-02T10:00:00.000Z',
      });
      const funnels = await context.stores.insights.flowFunnels({
        since: '2040-05-02T00:00:00.000Z',
      });
      expect(funnels.map((f) => f.flow)).not.toContain(flow);
    });

    it('lists flows by name with zero for what did not happen', async () => {
      const prefix = uniqueId('flow');
      await context.stores.insights.recordFlowEvent({
        runId: 'r',
        flow: `${prefix}-b`,
        event: 'started',
        createdAt: '2040-04-01T10:00:00.000Z',
      });
      await context.stores.insights.recordFlowEvent({
        runId: 'r',
        flow: `${prefix}-a`,
        event: 'completed',
        createdAt: '2040-04-01T10:00:00.000Z',
      });
      const funnels = (
        await context.stores.insights.flowFunnels({ since: '2040-04-01T00:00:00.000Z' })
      ).filter((f) => f.flow.startsWith(prefix));
      expect(funnels).toEqual([
        { flow: `${prefix}-a`, started: 0, completed: 1, abandoned: 0, steps: [] },
        { flow: `${prefix}-b`, started: 1, completed: 0, abandoned: 0, steps: [] },
      ]);
    });

    it('refuses an unknown event', async () => {
      await expect(
        context.stores.insights.recordFlowEvent({
          runId: 'r',
          flow: 'f',
          event: 'paused' as 'step',
          createdAt: '2040-01-01T00:00:00.000Z',
        }),
      ).rejects.toMatchObject({ code: 'LOTSE_STORAGE_INVALID_INPUT' });
    });
  });

  describe('outbox counts', () => {
    it('counts submissions per status, zero for the statuses no submission has', async () => {
      const database = await backend.createDatabase();
      const stores = await database.open();
      try {
        expect(await stores.insights.outboxCounts()).toEqual({
          pending: 0,
          delivered: 0,
          rejected: 0,
          dead: 0,
        });
        const statuses = ['pending', 'pending', 'dead', 'delivered', 'pending'];
        for (const [i, status] of statuses.entries()) {
          await stores.sql.run(
            `INSERT INTO outbox (id, receipt, flow, connector, idempotency_key, payload, status,
               next_attempt_at, created_at, updated_at)
             VALUES ($1, $1, 'flow', 'log', $1, '{}', $2, $3, $3, $3)`,
            [`o-${i}`, status, '2040-01-01T00:00:00.000Z'],
          );
        }
        expect(await stores.insights.outboxCounts()).toEqual({
          pending: 3,
          delivered: 1,
          rejected: 0,
          dead: 1,
        });
      } finally {
        await stores.close();
        await database.dispose();
      }
    });
  });
});
