/**
 * Turns knowledge results into Bot Framework activities: Markdown text with the source, suggested
 * actions for choices and feedback. Channel-neutral: each channel renders what it can.
 */
import { randomUUID } from 'node:crypto';
import { ActionTypes, type Activity, type CardAction } from 'botbuilder';
import type { AskResult } from '../knowledge/answers/ask.js';
import type { Answer, ServiceRef } from '../knowledge/answers/answer.js';
import type { Language } from '../knowledge/analysis/language.js';
import { BOT_TEXTS } from './texts.js';

/** A message activity with text and optional suggested actions. */
export function message(
  text: string,
  actions: CardAction[] = [],
  language: Language = 'de',
): Partial<Activity> {
  return {
    type: 'message',
    text,
    textFormat: 'markdown',
    locale: language === 'de' ? 'de-DE' : 'en-GB',
    ...(actions.length ? { suggestedActions: { actions, to: [] } } : {}),
  };
}

/**
 * A button whose value the bot reads (`messageBack`): the transcript shows `title` as what the
 * user said, and channels without such buttons render the title as a numbered option.
 */
export function button(title: string, value: Record<string, unknown>): CardAction {
  return { type: ActionTypes.MessageBack, title, text: title, displayText: title, value };
}

/** Buttons that choose a service. */
export function chooseActions(services: ServiceRef[]): CardAction[] {
  return services.map((s) => button(s.name, { action: 'choose', serviceId: s.id }));
}

function feedbackActions(answer: Answer, answerId: string, language: Language): CardAction[] {
  const t = BOT_TEXTS[language];
  const base = { answerId, serviceId: answer.service.id, facet: answer.facet };
  return [
    button(t.feedbackUp, { action: 'feedback', rating: 'up', ...base }),
    button(t.feedbackDown, { action: 'feedback', rating: 'down', ...base }),
  ];
}

function sourceLine(answer: Answer, language: Language): string {
  const label = BOT_TEXTS[language].source;
  const { url, publisher } = answer.source;
  return url
    ? `${label}: [${answer.service.name} – ${publisher}](${url})`
    : `${label}: ${answer.service.name} – ${publisher}`;
}

/** The reply to an answered question: title, catalogue text, links, source, then feedback and alternatives. */
export function answerReply(
  result: AskResult & { answer: Answer },
  language: Language,
  /** Further buttons, such as the offer to apply for the service. */
  extra: CardAction[] = [],
): Partial<Activity> {
  const { answer } = result;
  const t = BOT_TEXTS[language];
  const links = answer.links
    .filter((l) => !answer.markdown.includes(l.url))
    .map((l) => `- [${l.title}](${l.url})`);
  const parts = [
    `**${answer.service.name}**`,
    answer.markdown,
    links.join('\n'),
    sourceLine(answer, language),
  ];
  if (result.candidates.length > 1) parts.push(t.otherCandidates);
  else parts.push(t.feedbackPrompt);
  const others = result.candidates.filter((c) => c.id !== answer.service.id);
  const actions = [
    ...extra,
    ...feedbackActions(answer, randomUUID(), language),
    ...chooseActions(others),
  ];
  const activity = message(parts.filter(Boolean).join('\n\n'), actions, language);
  return {
    ...activity,
    channelData: {
      lotse: { serviceId: answer.service.id, facet: answer.facet, confidence: answer.confidence },
    },
  };
}

/** The reply when no service matched: say so, offer the closest services, a person and 115. */
export function noMatchReply(result: AskResult, language: Language): Partial<Activity> {
  const t = BOT_TEXTS[language];
  const text = result.candidates.length ? `${t.noMatch}\n\n${t.closest}` : t.noMatch;
  return message(
    text,
    [
      ...chooseActions(result.candidates),
      { type: ActionTypes.ImBack, title: t.talkToHuman, value: t.talkToHuman },
    ],
    language,
  );
}
