/**
 * The editors' insights in SQL (see `InsightsStore`): a log of masked questions and of flow
 * steps, plus read-only summaries of the feedback and outbox tables. Nothing here names a user
 * or a conversation, so the log can be kept longer than transcripts.
 *
 * The summaries aggregate in SQL where both engines agree (GROUP BY, count DISTINCT, window
 * functions) and pick winners among few rows in TypeScript where SQL would differ or be obscure.
 */
import { randomUUID } from 'node:crypto';
import {
  assertLimit,
  assertOneOf,
  assertText,
  invalidInput,
  placeholders,
} from './input-checks.js';
import type { SqlClient } from './sql.js';
import type { FlowEventRecord, InsightsStore, QuestionOutcome, QuestionRecord } from './types.js';

type UnansweredGroup = Awaited<ReturnType<InsightsStore['unansweredGroups']>>[number];
type FeedbackSummaryRow = Awaited<ReturnType<InsightsStore['feedbackSummary']>>[number];
type FlowFunnel = Awaited<ReturnType<InsightsStore['flowFunnels']>>[number];
type OutboxCounts = Awaited<ReturnType<InsightsStore['outboxCounts']>>;
/** A count as the drivers return it: PostgreSQL's bigint arrives as text. */
type Count = number | string;

const OUTCOMES: readonly QuestionOutcome[] = ['answered', 'low-confidence', 'abstained'];
const LANGUAGES: readonly QuestionRecord['language'][] = ['de', 'en'];
const FLOW_EVENTS: readonly FlowEventRecord['event'][] = [
  'started',
  'step',
  'completed',
  'abandoned',
];
const OUTBOX_STATUSES = ['pending', 'delivered', 'rejected', 'dead'] as const;
/** Questions are kept up to this length: the rest of an essay adds nothing to a group. */
export const MAX_QUESTION_LENGTH = 500;
const MAX_KEY_LENGTH = 500;
const DEFAULT_GROUP_LIMIT = 50;
const MAX_GROUP_LIMIT = 500;

export class SqlInsightsStore implements InsightsStore {
  constructor(private readonly sql: SqlClient) {}

  /**
   * Logs a question; the caller has masked personal data. Text and group key are cut to their
   * maximum rather than refused: a long question must not fail the citizen's turn.
   */
  async recordQuestion(question: QuestionRecord): Promise<void> {
    const text = nonEmpty('question text', question.text).slice(0, MAX_QUESTION_LENGTH);
    const groupKey = nonEmpty('question group key', question.groupKey).slice(0, MAX_KEY_LENGTH);
    assertOneOf('question language', question.language, LANGUAGES);
    assertOneOf('question outcome', question.outcome, OUTCOMES);
    if (!Number.isFinite(question.confidence)) {
      throw invalidInput(
        `question confidence must be a number, got ${String(question.confidence)}`,
      );
    }
    await this.sql.run(
      `INSERT INTO question_log
         (id, text, group_key, language, outcome, confidence, service_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        randomUUID(),
        text,
        groupKey,
        question.language,
        question.outcome,
        question.confidence,
        question.serviceId,
        question.createdAt,
      ],
    );
  }

  async recordFlowEvent(event: FlowEventRecord): Promise<void> {
    assertText('flow event run id', event.runId, MAX_KEY_LENGTH);
    assertText('flow event flow', event.flow, MAX_KEY_LENGTH);
    assertOneOf('flow event', event.event, FLOW_EVENTS);
    if (event.detail !== undefined) assertText('flow event detail', event.detail, MAX_KEY_LENGTH);
    await this.sql.run(
      `INSERT INTO flow_events (id, run_id, flow, event, detail, by_staff, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        event.runId,
        event.flow,
        event.event,
        event.detail,
        event.byStaff === true,
        event.createdAt,
      ],
    );
  }

  /**
   * Groups of not-answered questions since `since`: most frequent first, then most recent. Each
   * shows its latest wording and the service most often on top (the latest on a tie).
   */
  async unansweredGroups(options: { since: string; limit?: number }): Promise<UnansweredGroup[]> {
    const limit = assertLimit(
      'unanswered groups limit',
      options.limit ?? DEFAULT_GROUP_LIMIT,
      MAX_GROUP_LIMIT,
    );
    const groups = await this.sql.query<{
      group_key: string;
      count: Count;
      abstained: Count;
      low_confidence: Count;
      last_asked_at: string;
    }>(
      `SELECT group_key, count(*) AS count,
         sum(CASE WHEN outcome = 'abstained' THEN 1 ELSE 0 END) AS abstained,
         sum(CASE WHEN outcome = 'low-confidence' THEN 1 ELSE 0 END) AS low_confidence,
         max(created_at) AS last_asked_at
       FROM question_log WHERE outcome <> 'answered' AND created_at >= $1
       GROUP BY group_key
       ORDER BY count(*) DESC, max(created_at) DESC, group_key
       LIMIT $2`,
      [options.since, limit],
    );
    if (groups.length === 0) return [];
    const keys = groups.map((group) => group.group_key);
    const inKeys = `group_key IN (${placeholders(2, keys.length)})`;
    const examples = await this.sql.query<{ group_key: string; text: string }>(
      `SELECT group_key, text FROM (
         SELECT group_key, text,
           row_number() OVER (PARTITION BY group_key ORDER BY created_at DESC, id DESC) AS place
         FROM question_log
         WHERE outcome <> 'answered' AND created_at >= $1 AND ${inKeys}
       ) latest WHERE place = 1`,
      [options.since, ...keys],
    );
    const services = await this.sql.query<{
      group_key: string;
      service_id: string;
      asked: Count;
      last_asked_at: string;
    }>(
      `SELECT group_key, service_id, count(*) AS asked, max(created_at) AS last_asked_at
       FROM question_log
       WHERE outcome <> 'answered' AND created_at >= $1 AND service_id IS NOT NULL AND ${inKeys}
       GROUP BY group_key, service_id`,
      [options.since, ...keys],
    );
    const example = new Map(examples.map((row) => [row.group_key, row.text]));
    const service = topServices(services);
    return groups.map((group) => {
      const serviceId = service.get(group.group_key);
      return {
        groupKey: group.group_key,
        example: example.get(group.group_key) ?? '',
        count: Number(group.count),
        abstained: Number(group.abstained),
        lowConfidence: Number(group.low_confidence),
        ...(serviceId === undefined ? {} : { serviceId }),
        lastAskedAt: group.last_asked_at,
      };
    });
  }

  /** Thumbs per service and facet since `since`: most down first, then fewest up, then by name. */
  async feedbackSummary(options: { since: string }): Promise<FeedbackSummaryRow[]> {
    const rows = await this.sql.query<{
      service_id: string | null;
      facet: string | null;
      up: Count;
      down: Count;
    }>(
      `SELECT service_id, facet,
         sum(CASE WHEN rating = 'up' THEN 1 ELSE 0 END) AS up,
         sum(CASE WHEN rating = 'down' THEN 1 ELSE 0 END) AS down
       FROM feedback WHERE created_at >= $1
       GROUP BY service_id, facet
       ORDER BY down DESC, up, COALESCE(service_id, ''), COALESCE(facet, '')`,
      [options.since],
    );
    return rows.map((row) => ({
      ...(row.service_id === null ? {} : { serviceId: row.service_id }),
      ...(row.facet === null ? {} : { facet: row.facet }),
      up: Number(row.up),
      down: Number(row.down),
    }));
  }

  /**
   * Funnels per flow (by name) since `since`, counting distinct runs of citizens only: runs
   * staff enter for callers (`by_staff = 1`) go differently (staff know the form, a handoff is
   * not a citizen giving up) and would blur where citizens get stuck. Steps come in the order
   * they were first answered, which is the flow's field order as citizens meet it; on a tie the
   * step more runs reached comes first.
   */
  async flowFunnels(options: { since: string }): Promise<FlowFunnel[]> {
    const ends = await this.sql.query<{ flow: string; event: string; runs: Count }>(
      `SELECT flow, event, count(DISTINCT run_id) AS runs FROM flow_events
       WHERE created_at >= $1 AND by_staff = 0 AND event IN ('started', 'completed', 'abandoned')
       GROUP BY flow, event`,
      [options.since],
    );
    const steps = await this.sql.query<{
      flow: string;
      step: string;
      runs: Count;
      first_at: string;
    }>(
      `SELECT flow, detail AS step, count(DISTINCT run_id) AS runs, min(created_at) AS first_at
       FROM flow_events
       WHERE created_at >= $1 AND by_staff = 0 AND event = 'step' AND detail IS NOT NULL
       GROUP BY flow, detail`,
      [options.since],
    );
    const funnels = new Map<string, FlowFunnel>();
    const funnel = (flow: string): FlowFunnel => {
      let found = funnels.get(flow);
      if (!found) {
        found = { flow, started: 0, completed: 0, abandoned: 0, steps: [] };
        funnels.set(flow, found);
      }
      return found;
    };
    for (const row of ends) {
      const event = row.event as 'started' | 'completed' | 'abandoned';
      funnel(row.flow)[event] = Number(row.runs);
    }
    const ordered = [...steps].sort(
      (a, b) =>
        compareText(a.first_at, b.first_at) ||
        Number(b.runs) - Number(a.runs) ||
        compareText(a.step, b.step),
    );
    for (const row of ordered)
      funnel(row.flow).steps.push({ step: row.step, runs: Number(row.runs) });
    return [...funnels.values()].sort((a, b) => compareText(a.flow, b.flow));
  }

  /** Submissions per outbox status, every status present (zero when none). */
  async outboxCounts(): Promise<OutboxCounts> {
    const rows = await this.sql.query<{ status: string; n: Count }>(
      'SELECT status, count(*) AS n FROM outbox GROUP BY status',
    );
    const counts = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as OutboxCounts;
    for (const row of rows) {
      if ((OUTBOX_STATUSES as readonly string[]).includes(row.status)) {
        counts[row.status as keyof OutboxCounts] = Number(row.n);
      }
    }
    return counts;
  }
}

/** Per group: the service most often on top, the most recent one on a tie. */
function topServices(
  rows: readonly { group_key: string; service_id: string; asked: Count; last_asked_at: string }[],
): Map<string, string> {
  const best = new Map<string, { serviceId: string; asked: number; lastAskedAt: string }>();
  for (const row of rows) {
    const asked = Number(row.asked);
    const current = best.get(row.group_key);
    const wins =
      !current ||
      asked > current.asked ||
      (asked === current.asked && row.last_asked_at > current.lastAskedAt) ||
      (asked === current.asked &&
        row.last_asked_at === current.lastAskedAt &&
        row.service_id < current.serviceId);
    if (wins) {
      best.set(row.group_key, {
        serviceId: row.service_id,
        asked,
        lastAskedAt: row.last_asked_at,
      });
    }
  }
  return new Map([...best].map(([key, value]) => [key, value.serviceId]));
}

function nonEmpty(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidInput(`${name} must be a non-empty text, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Code-unit order, the same on every machine (ISO timestamps sort correctly this way). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
