/**
 * What the insights page and its CSV exports show, gathered from the stores and the catalogue
 * into plain rows: names instead of ids (service names from the catalogue, flow titles and field
 * labels from the flow definitions), funnels in the order of the flow's fields with percentages
 * of the runs started, and dead submissions without payload or conversation (only what staff need
 * to act: receipt, flow, connector, attempts, the masked error). Page and CSV read the same rows,
 * so the export always matches the screen.
 */
import { redactDiagnostic } from '../../../bot/insights/redact.js';
import type { FlowRegistry } from '../../../flows/registry.js';
import type { OutboxStatus, OutboxStore } from '../../../flows/outbox/types.js';
import type { KnowledgeBase } from '../../../knowledge/knowledge-base.js';
import type { InsightsStore } from '../../../storage/types.js';
import type { Period } from './period.js';
import { T } from './texts.js';

/** The outbox statuses in the order the page lists them. */
export const OUTBOX_ORDER: readonly OutboxStatus[] = ['pending', 'delivered', 'rejected', 'dead'];

/** Dead submissions shown on the page (the CSV has up to `DEAD_LETTER_EXPORT_LIMIT`). */
export const DEAD_LETTER_PAGE_LIMIT = 50;
export const DEAD_LETTER_EXPORT_LIMIT = 10_000;
/** Question groups shown on the page and exported. */
export const UNANSWERED_LIMIT = 200;

export interface UnansweredRow {
  groupKey: string;
  example: string;
  count: number;
  abstained: number;
  lowConfidence: number;
  serviceId?: string;
  /** The closest service's name, when the catalogue (still) has it. */
  serviceName?: string;
  lastAskedAt: string;
}

export interface FeedbackRow {
  serviceId?: string;
  /** The service's name, its id when the catalogue no longer has it, or "ohne Leistung". */
  serviceName: string;
  facet?: string;
  facetLabel: string;
  up: number;
  down: number;
}

export interface FunnelStage {
  kind: 'started' | 'step' | 'completed' | 'abandoned';
  /** The field id for steps; the kind otherwise. */
  key: string;
  label: string;
  runs: number;
  /** Percent of the runs started (one decimal); undefined when none started in the period. */
  percent: number | undefined;
}

export interface FunnelView {
  flow: string;
  /** The flow's German title, or its id for a flow no longer offered. */
  title: string;
  started: number;
  completed: number;
  stages: FunnelStage[];
}

/** A dead submission as staff may see it: no payload, no conversation. */
export interface DeadLetterRow {
  id: string;
  receipt: string;
  flow: string;
  flowTitle: string;
  connector: string;
  attempts: number;
  /** Personal data masked (see `redactDiagnostic`). */
  lastError: string;
  createdAt: string;
}

/** What a report is built from (a subset of the console module's options). */
export interface ReportSources {
  insights: InsightsStore;
  outbox: Pick<OutboxStore, 'list'>;
  knowledge: Pick<KnowledgeBase, 'search'>;
  registry: Pick<FlowRegistry, 'get'>;
}

/** `part` as a percentage of `whole`, to one decimal; undefined when `whole` is 0. */
export function percentOf(part: number, whole: number): number | undefined {
  if (whole <= 0) return undefined;
  return Math.round((part / whole) * 1000) / 10;
}

function serviceName(sources: ReportSources, serviceId: string | undefined): string | undefined {
  return serviceId === undefined ? undefined : sources.knowledge.search.get(serviceId)?.name;
}

function flowTitle(sources: ReportSources, flow: string): string {
  return sources.registry.get(flow)?.title.de ?? flow;
}

export async function unansweredRows(
  sources: ReportSources,
  period: Period,
): Promise<UnansweredRow[]> {
  const groups = await sources.insights.unansweredGroups({
    since: period.since,
    limit: UNANSWERED_LIMIT,
  });
  return groups.map((g) => ({ ...g, serviceName: serviceName(sources, g.serviceId) }));
}

export async function feedbackRows(sources: ReportSources, period: Period): Promise<FeedbackRow[]> {
  const rows = await sources.insights.feedbackSummary({ since: period.since });
  return rows.map((r) => ({
    ...r,
    serviceName: serviceName(sources, r.serviceId) ?? r.serviceId ?? T.feedback.noService,
    facetLabel: facetLabel(r.facet),
  }));
}

/**
 * The German name of an answer's facet; the key itself for one the texts do not know. Facet keys
 * come with the citizen's feedback, so only the text object's own keys count: `constructor` or
 * `toString` must not turn into a function's source on the page and in the CSV.
 */
export function facetLabel(facet: string | undefined): string {
  if (facet === undefined) return T.noFacet;
  return Object.hasOwn(T.facets, facet) ? T.facets[facet]! : facet;
}

/**
 * The funnel of one flow: started, each answered field in the flow's own field order (fields
 * the definition no longer has follow in the order the store saw them), completed, abandoned.
 */
export function funnelView(
  sources: Pick<ReportSources, 'registry'>,
  funnel: Awaited<ReturnType<InsightsStore['flowFunnels']>>[number],
): FunnelView {
  const definition = sources.registry.get(funnel.flow);
  const order = new Map(definition?.fields.map((f, i) => [f.id, i]) ?? []);
  const rank = (step: string) => order.get(step) ?? Number.MAX_SAFE_INTEGER;
  const steps = funnel.steps
    .map((s, seen) => ({ ...s, seen }))
    .sort((a, b) => rank(a.step) - rank(b.step) || a.seen - b.seen);
  const label = (step: string) => definition?.fields.find((f) => f.id === step)?.label.de ?? step;
  const stage = (
    kind: FunnelStage['kind'],
    key: string,
    text: string,
    runs: number,
  ): FunnelStage => ({
    kind,
    key,
    label: text,
    runs,
    percent: percentOf(runs, funnel.started),
  });
  return {
    flow: funnel.flow,
    title: definition?.title.de ?? funnel.flow,
    started: funnel.started,
    completed: funnel.completed,
    stages: [
      stage('started', 'started', T.funnels.started, funnel.started),
      ...steps.map((s) => stage('step', s.step, T.funnels.step(label(s.step)), s.runs)),
      stage('completed', 'completed', T.funnels.completed, funnel.completed),
      stage('abandoned', 'abandoned', T.funnels.abandoned, funnel.abandoned),
    ],
  };
}

export async function funnelViews(sources: ReportSources, period: Period): Promise<FunnelView[]> {
  const funnels = await sources.insights.flowFunnels({ since: period.since });
  return funnels.map((f) => funnelView(sources, f));
}

export async function deadLetterRows(
  sources: ReportSources,
  limit: number,
): Promise<DeadLetterRow[]> {
  const records = await sources.outbox.list({ status: 'dead', limit });
  return records.map((r) => ({
    id: r.id,
    receipt: r.receipt,
    flow: r.flow,
    flowTitle: flowTitle(sources, r.flow),
    connector: r.connector,
    attempts: r.attempts,
    lastError: r.lastError === undefined ? '' : redactDiagnostic(r.lastError),
    createdAt: r.createdAt,
  }));
}

/** Everything the page shows for a period. */
export interface InsightsReport {
  period: Period;
  unanswered: UnansweredRow[];
  feedback: FeedbackRow[];
  funnels: FunnelView[];
  outbox: Record<OutboxStatus, number>;
  deadLetters: DeadLetterRow[];
}

export async function buildReport(sources: ReportSources, period: Period): Promise<InsightsReport> {
  const [unanswered, feedback, funnels, outbox, deadLetters] = await Promise.all([
    unansweredRows(sources, period),
    feedbackRows(sources, period),
    funnelViews(sources, period),
    sources.insights.outboxCounts(),
    deadLetterRows(sources, DEAD_LETTER_PAGE_LIMIT),
  ]);
  return { period, unanswered, feedback, funnels, outbox, deadLetters };
}
