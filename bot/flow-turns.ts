/**
 * Runs conversational applications inside the bot: opens a flow when asked, feeds each message to
 * the pure flow engine, turns its replies into activities and carries out its effects — a question
 * in between is answered from the catalogue before the flow's prompt resumes; a confirmed flow is
 * handed to the outbox with the state change in one transaction and the user gets a receipt.
 */
import { randomUUID } from 'node:crypto';
import { ActionTypes, TurnContext, type CardAction } from 'botbuilder';
import { ask } from '../knowledge/answers/ask.js';
import type { Language } from '../knowledge/analysis/language.js';
import type { ServiceSearch } from '../knowledge/search/searcher.js';
import type { FlowDefinition } from '../flows/engine/definition.js';
import {
  resumePrompt,
  startFlow,
  stepFlow,
  type Reply,
  type StepResult,
} from '../flows/engine/engine.js';
import type { FlowRegistry } from '../flows/registry.js';
import type { ConversationData } from './conversation-data.js';
import { answerReply, chooseActions, message, noMatchReply } from './replies.js';
import type { SubmissionPort } from './submissions.js';
import type { InsightsStore, ProfileStore } from '../storage/types.js';
import { FlowFunnel } from './insights/flow-funnel.js';
import { BOT_TEXTS } from './texts.js';

export interface FlowTurnDependencies {
  registry: FlowRegistry;
  /** Once-only profiles; entries are offered in flows, kept only with consent. */
  profiles: ProfileStore;
  submissions: SubmissionPort;
  search: ServiceSearch;
  /** An unfinished flow untouched for longer than this is discarded. */
  expiryMs: number;
  now: () => Date;
  /** Called when the flow engine asks for a person. */
  requestHandoff(context: TurnContext, data: ConversationData): Promise<void>;
  /**
   * The staff member who opened this conversation to enter an application for a caller, if any:
   * the submission is marked with it, and no once-only profile is offered or kept.
   */
  enteredBy?(conversationId: string): Promise<string | undefined>;
  /** Where flow funnel events go; none are kept without it. */
  insights?: InsightsStore;
}

function replyActivity(reply: Reply, language: Language) {
  const actions: CardAction[] = (reply.choices ?? []).map((c) => ({
    type: ActionTypes.MessageBack,
    title: c.title,
    text: c.title,
    displayText: c.title,
    value: c.value,
  }));
  return message(reply.text, actions, language);
}

/** What the user sent, as flow input: text, a button value, a shared location or a photo. */
function flowInput(context: TurnContext): { text?: string; value?: unknown } {
  const a = context.activity;
  const attachment = a.attachments?.find((x) => x.contentUrl);
  const place = a.entities?.find((e) => e.type === 'GeoCoordinates' || e.type === 'Place');
  const value = a.value ?? (attachment ? { attachment } : place);
  return { ...(a.text ? { text: a.text } : {}), ...(value === undefined ? {} : { value }) };
}

/** Where a turn keeps who entered its conversation (a database read, done once per turn). */
const ENTERED_BY = Symbol('lotse.entered-by');

/** Flow handling for LotseBot. */
export class FlowTurns {
  private readonly funnel: FlowFunnel;

  constructor(private readonly deps: FlowTurnDependencies) {
    this.funnel = new FlowFunnel(deps.insights, deps.now);
  }

  /** The staff member who opened this conversation, looked up once per turn. */
  private async staffMember(context: TurnContext): Promise<string | undefined> {
    if (context.turnState.has(ENTERED_BY)) return context.turnState.get(ENTERED_BY);
    const staff = await this.deps.enteredBy?.(context.activity.conversation.id);
    context.turnState.set(ENTERED_BY, staff);
    return staff;
  }

  /** Once only: asks for consent to keep entries the saved profile does not already hold. */
  private async askToKeep(
    context: TurnContext,
    data: ConversationData,
    entries: Record<string, string>,
    language: Language,
  ): Promise<void> {
    const saved = (await this.profileOf(context)) ?? {};
    const fresh = Object.fromEntries(Object.entries(entries).filter(([k, v]) => saved[k] !== v));
    if (!Object.keys(fresh).length) return;
    data.pendingProfile = fresh;
    const t = BOT_TEXTS[language];
    const button = (title: string, granted: boolean): CardAction => ({
      type: ActionTypes.MessageBack,
      title,
      text: title,
      displayText: title,
      value: { action: 'profile-consent', granted },
    });
    await context.sendActivity(
      message(t.consentAsk, [button(t.consentYes, true), button(t.consentNo, false)], language),
    );
  }

  private async profileOf(context: TurnContext): Promise<Record<string, string> | undefined> {
    // Staff entering for callers must never see one caller's data offered for the next.
    if (await this.staffMember(context)) return undefined;
    const userId = context.activity.from?.id;
    return userId ? (await this.deps.profiles.get(userId))?.entries : undefined;
  }

  /** The button offering to apply for a service, when a flow exists for it. */
  offerFor(serviceId: string, language: Language): CardAction | undefined {
    const flow = this.deps.registry.forService(serviceId);
    if (!flow) return undefined;
    const title = `${BOT_TEXTS[language].applyNow}: ${flow.title[language]}`;
    return {
      type: ActionTypes.MessageBack,
      title,
      text: title,
      displayText: title,
      value: { action: 'start-flow', flowId: flow.id },
    };
  }

  /** The flow a message asks to start, by its words or by the offer button. */
  requested(context: TurnContext): FlowDefinition | undefined {
    const value = context.activity.value as { action?: unknown; flowId?: unknown } | undefined;
    if (value?.action === 'start-flow' && typeof value.flowId === 'string')
      return this.deps.registry.get(value.flowId);
    return this.deps.registry.requested(context.activity.text ?? '');
  }

  async start(
    context: TurnContext,
    flow: FlowDefinition,
    data: ConversationData,
    language: Language,
  ): Promise<void> {
    const profile = await this.profileOf(context);
    const result = startFlow(flow, {
      language,
      now: this.deps.now(),
      ...(profile ? { profile } : {}),
    });
    data.flow = result.state;
    data.serviceId = flow.serviceId;
    data.flowRunId = randomUUID();
    const byStaff = !!(await this.staffMember(context));
    await this.funnel.record({ runId: data.flowRunId, flow: flow.id, event: 'started', byStaff });
    for (const r of result.replies) await context.sendActivity(replyActivity(r, language));
  }

  /** Records that the open flow ends unfinished because the user started over ("Neustart"). */
  async restarted(context: TurnContext, data: ConversationData): Promise<void> {
    if (!data.flow) return;
    await this.funnel.record({
      runId: data.flowRunId ?? data.flow.startedAt,
      flow: data.flow.flowId,
      event: 'abandoned',
      detail: 'restarted',
      byStaff: !!(await this.staffMember(context)),
    });
  }

  /**
   * Handles a message while a flow is open. Returns false when there is no (unexpired) flow, so
   * the bot goes on with Q&A.
   */
  async handle(context: TurnContext, data: ConversationData, language: Language): Promise<boolean> {
    const state = data.flow;
    if (!state) return false;
    const flow = this.deps.registry.get(state.flowId);
    const idleMs = this.deps.now().getTime() - Date.parse(state.updatedAt);
    const run = {
      runId: data.flowRunId ?? state.startedAt,
      flow: state.flowId,
      byStaff: !!(await this.staffMember(context)),
    };
    if (!flow || idleMs > this.deps.expiryMs) {
      delete data.flow;
      await this.funnel.record({ ...run, event: 'abandoned', detail: 'expired' });
      await context.sendActivity(message(BOT_TEXTS[language].flowExpired, [], language));
      return false;
    }
    const profile = await this.profileOf(context);
    const result = stepFlow(
      flow,
      state,
      flowInput(context),
      { language, now: this.deps.now(), ...(profile ? { profile } : {}) },
      (code) => this.deps.registry.errorText(code),
    );
    if (result.state) data.flow = result.state;
    else delete data.flow;
    await this.funnel.steps(run, state.asked, result.state?.asked ?? []);
    for (const r of result.replies) await context.sendActivity(replyActivity(r, language));
    await this.effects(context, flow, result, data, language, state.startedAt, run.byStaff);
    // A flow that asks for a person stays open; without state it was submitted or cancelled.
    if (result.effects.some((e) => e.kind === 'submit'))
      await this.funnel.record({ ...run, event: 'completed' });
    else if (!result.state)
      await this.funnel.record({ ...run, event: 'abandoned', detail: 'cancelled' });
    if (!result.state) delete data.flowRunId;
    return true;
  }

  private async effects(
    context: TurnContext,
    flow: FlowDefinition,
    result: StepResult,
    data: ConversationData,
    language: Language,
    startedAt: string,
    byStaff: boolean,
  ): Promise<void> {
    const t = BOT_TEXTS[language];
    for (const effect of result.effects) {
      if (effect.kind === 'question') {
        // A question without a topic of its own ("Was kostet das?") is about the flow's service.
        const answer = await ask(this.deps.search, effect.text, {
          language,
          contextServiceId: flow.serviceId,
        });
        await context.sendActivity(
          answer.answer
            ? answerReply({ ...answer, answer: answer.answer }, language)
            : noMatchReply(answer, language),
        );
        if (data.flow)
          await context.sendActivity(
            replyActivity(resumePrompt(flow, data.flow, language), language),
          );
      } else if (effect.kind === 'handoff') {
        await this.deps.requestHandoff(context, data);
      } else if (effect.kind === 'submit') {
        const reference = TurnContext.getConversationReference(context.activity);
        const staff = byStaff ? await this.staffMember(context) : undefined;
        const { receipt } = await this.deps.submissions.submit(context, {
          flow: flow.id,
          serviceId: flow.serviceId,
          connector: flow.connector,
          // Marked for the office: staff typed this in for a caller.
          payload: staff ? { ...effect.payload, enteredBy: `staff:${staff}` } : effect.payload,
          conversation: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
          // One flow run is one application: a retried turn cannot enqueue it twice.
          idempotencyKey: `${context.activity.conversation.id}:${flow.id}:${startedAt}`,
        });
        await context.sendActivity(message(t.submitted(receipt), [], language));
        const related = (flow.relatedServiceIds ?? [])
          .map((id) => this.deps.search.get(id))
          .filter((s): s is NonNullable<typeof s> => !!s)
          .map((s) => ({ id: s.id, name: s.name }));
        if (related.length)
          await context.sendActivity(message(t.relatedOffer, chooseActions(related), language));
        if (!byStaff) await this.askToKeep(context, data, effect.profileEntries, language);
      }
    }
  }
}
