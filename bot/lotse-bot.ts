/**
 * The conversation: greets, answers questions from the catalogue by facet with the source,
 * follows up on the service in context, offers choices, admits when it does not know, records
 * feedback and requests for a person. Built on botbuilder's ActivityHandler; the knowledge layer
 * does the work, this class only routes and words it.
 */
import {
  ActivityHandler,
  type ConversationState,
  type StatePropertyAccessor,
  type TurnContext,
} from 'botbuilder';
import { ask } from '../knowledge/answers/ask.js';
import { answerFacet } from '../knowledge/answers/answer.js';
import { languageSignal, type Language } from '../knowledge/analysis/language.js';
import type { ServiceSearch } from '../knowledge/search/searcher.js';
import type { FeedbackStore, InsightsStore, ProfileStore } from '../storage/types.js';
import type { HandoffService } from './handoff/handoff-service.js';
import { HandoffTurns } from './handoff/handoff-turns.js';
import { QuestionInsights } from './insights/question-insights.js';
import { parseCommand, type Command } from './commands.js';
import {
  FAILURES_BEFORE_HANDOFF,
  newConversationData,
  type ConversationData,
} from './conversation-data.js';
import { answerReply, message, noMatchReply } from './replies.js';
import { BOT_TEXTS } from './texts.js';
import type { FlowTurns } from './flow-turns.js';

export interface LotseBotDependencies {
  search: ServiceSearch;
  conversationState: ConversationState;
  feedback: FeedbackStore;
  /** Requests for a person, and the silence while an agent holds the conversation. */
  handoffs: HandoffService;
  /** Clock for stored records; injectable for tests. */
  now?: () => Date;
  /** Applications in dialog; without it the bot answers questions only. */
  flows?: FlowTurns;
  /** Once-only profiles ("meine Daten", "Daten löschen", consent). */
  profiles?: ProfileStore;
  /** Where not-answered and low-confidence questions are kept for editors; off without it. */
  insights?: InsightsStore;
  /**
   * "Daten löschen": removes everything kept about a user in every store (conversations, state,
   * profile, Redis), after the turn that confirmed it. Without it only the profile is deleted.
   */
  eraseUser?: (userId: string) => Promise<void>;
}

/** Set on a turn whose user asked to delete their data; erased once the turn is saved. */
const ERASE_AFTER_TURN = Symbol('lotse.erase-after-turn');

/** Longest message text the bot reads; channels limit sizes before, this is the last guard. */
const MAX_TEXT = 2000;

function localeLanguage(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  return locale.toLowerCase().startsWith('en')
    ? 'en'
    : locale.toLowerCase().startsWith('de')
      ? 'de'
      : undefined;
}

/** Lotse's bot. `run(context)` handles one turn; state is saved at the end of every turn. */
export class LotseBot extends ActivityHandler {
  private readonly data: StatePropertyAccessor<ConversationData>;
  private readonly now: () => Date;
  private readonly handoff: HandoffTurns;
  private readonly questions: QuestionInsights | undefined;

  constructor(private readonly deps: LotseBotDependencies) {
    super();
    this.data = deps.conversationState.createProperty<ConversationData>('lotse');
    this.now = deps.now ?? (() => new Date());
    this.handoff = new HandoffTurns(deps.handoffs);
    this.questions = deps.insights ? new QuestionInsights(deps.insights, this.now) : undefined;

    this.onMembersAdded(async (context, next) => {
      const language = localeLanguage(context.activity.locale) ?? 'de';
      const botId = context.activity.recipient?.id;
      if ((context.activity.membersAdded ?? []).some((m) => m.id !== botId)) {
        await this.data.set(context, newConversationData(language));
        await context.sendActivity(message(BOT_TEXTS[language].welcome, [], language));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /** Handles one turn and saves the conversation state, also when the turn failed. */
  override async run(context: TurnContext): Promise<void> {
    try {
      await super.run(context);
    } finally {
      await this.deps.conversationState.saveChanges(context);
    }
    // Last, so that nothing of this turn (its state, its reply) is written back afterwards.
    const erase = context.turnState.get(ERASE_AFTER_TURN) as string | undefined;
    if (erase && this.deps.eraseUser) await this.deps.eraseUser(erase);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    // While a person holds the conversation the bot only passes messages on.
    if (await this.handoff.relayIfAssigned(context)) return;
    const state = await this.data.get(
      context,
      newConversationData(localeLanguage(context.activity.locale)),
    );
    const text = (context.activity.text ?? '').slice(0, MAX_TEXT).trim();
    state.language =
      languageSignal(text) ?? state.language ?? localeLanguage(context.activity.locale) ?? 'de';
    const language = state.language;
    const command = parseCommand(text, context.activity.value);
    if (command) delete state.contactFor;
    else if (await this.handoff.handleContact(context, state, text, language)) return;
    const flows = this.deps.flows;
    if (command && !(state.flow && command.kind === 'help')) {
      return this.handleCommand(context, command, state, language);
    }
    if (flows && state.flow) {
      if (command?.kind === 'help')
        await context.sendActivity(message(BOT_TEXTS[language].flowHelp, [], language));
      if (await flows.handle(context, state, language)) return;
    }
    const requested = flows?.requested(context);
    if (flows && requested) return flows.start(context, requested, state, language);
    if (!text) {
      await context.sendActivity(message(BOT_TEXTS[language].unsupported, [], language));
      return;
    }
    const result = await ask(this.deps.search, text, {
      language,
      ...(state.serviceId ? { contextServiceId: state.serviceId } : {}),
    });
    await this.questions?.record(text, result);
    if (result.answer) {
      state.serviceId = result.answer.service.id;
      state.failures = 0;
      const offer = this.deps.flows?.offerFor(result.answer.service.id, language);
      await context.sendActivity(
        answerReply({ ...result, answer: result.answer }, language, offer ? [offer] : []),
      );
      return;
    }
    state.failures++;
    if (state.failures >= FAILURES_BEFORE_HANDOFF) {
      state.failures = 0;
      await this.handoff.request(
        context,
        state,
        'repeated-failure',
        language,
        BOT_TEXTS[language].handoffOffer,
      );
      return;
    }
    await context.sendActivity(noMatchReply(result, language));
  }

  private async handleCommand(
    context: TurnContext,
    command: Command,
    state: ConversationData,
    language: Language,
  ): Promise<void> {
    const t = BOT_TEXTS[language];
    switch (command.kind) {
      case 'help':
        await context.sendActivity(message(t.help, [], language));
        return;
      case 'restart':
        await this.deps.flows?.restarted(context, state);
        await this.data.set(context, newConversationData(language));
        await context.sendActivity(message(t.restarted, [], language));
        return;
      case 'human':
        await this.handoff.request(context, state, 'user-request', language);
        return;
      case 'leave-contact':
        await this.handoff.askContact(context, state, language);
        return;
      case 'choose': {
        const service = this.deps.search.get(command.serviceId);
        if (!service) {
          await context.sendActivity(
            noMatchReply(
              { question: '', language, facet: 'general', abstained: true, candidates: [] },
              language,
            ),
          );
          return;
        }
        state.serviceId = service.id;
        state.failures = 0;
        const answer = answerFacet(service, 'general', 1, language);
        await context.sendActivity(
          answerReply(
            { question: '', language, facet: 'general', abstained: false, answer, candidates: [] },
            language,
          ),
        );
        return;
      }
      case 'my-data':
      case 'delete-data':
      case 'profile-consent':
        await this.handleProfile(context, command, state, language);
        return;
      case 'feedback':
        await this.deps.feedback.record({
          conversationId: context.activity.conversation.id,
          activityId: command.answerId,
          ...(command.serviceId ? { serviceId: command.serviceId } : {}),
          ...(command.facet ? { facet: command.facet } : {}),
          rating: command.rating,
          createdAt: this.now().toISOString(),
        });
        await context.sendActivity(
          message(command.rating === 'up' ? t.feedbackThanks : t.feedbackSorry, [], language),
        );
        return;
    }
  }

  /** Once only: show, delete, or (with consent) keep the user's entries. */
  private async handleProfile(
    context: TurnContext,
    command: Extract<Command, { kind: 'my-data' | 'delete-data' | 'profile-consent' }>,
    state: ConversationData,
    language: Language,
  ): Promise<void> {
    const t = BOT_TEXTS[language];
    const userId = context.activity.from?.id;
    const profiles = this.deps.profiles;
    if (!profiles || !userId) {
      await context.sendActivity(message(t.myDataEmpty, [], language));
      return;
    }
    if (command.kind === 'profile-consent') {
      const pending = state.pendingProfile;
      delete state.pendingProfile;
      if (command.granted && pending)
        await profiles.save(userId, pending, this.now().toISOString());
      await context.sendActivity(
        message(command.granted && pending ? t.consentSaved : t.consentDeclined, [], language),
      );
    } else if (command.kind === 'delete-data') {
      delete state.pendingProfile;
      await profiles.delete(userId);
      await context.sendActivity(message(t.dataDeleted, [], language));
      context.turnState.set(ERASE_AFTER_TURN, userId);
    } else {
      const profile = await profiles.get(userId);
      const lines = Object.entries(profile?.entries ?? {}).map(([k, v]) => `- **${k}**: ${v}`);
      await context.sendActivity(
        message(
          lines.length ? `${t.myDataIntro}\n\n${lines.join('\n')}` : t.myDataEmpty,
          [],
          language,
        ),
      );
    }
  }

  /** Queues a request for a person and tells the citizen (also the flow engine's way out). */
  async requestHandoff(
    context: TurnContext,
    state: ConversationData,
    reason: 'user-request' | 'repeated-failure',
  ): Promise<void> {
    await this.handoff.request(context, state, reason, state.language ?? 'de');
  }
}
