/**
 * What the bot remembers within one conversation: the language, the service being talked about
 * (for follow-ups such as "Und was kostet das?"), and how often in a row it failed to understand.
 * Kept small: no message text is stored here.
 */
import type { Language } from '../knowledge/analysis/language.js';

export interface ConversationData {
  language?: Language;
  /** The service of the last answer, for follow-up questions. */
  serviceId?: string;
  /** Consecutive questions without a confident answer. */
  failures: number;
}

/** A fresh conversation. */
export function newConversationData(language?: Language): ConversationData {
  return { failures: 0, ...(language ? { language } : {}) };
}

/** After this many failed questions in a row the bot offers (and records) a handoff to a person. */
export const FAILURES_BEFORE_HANDOFF = 3;
