/**
 * What the bot remembers within one conversation: the language, the service being talked about
 * (for follow-ups such as "Und was kostet das?"), how often in a row it failed to understand, and
 * the application in progress (its answers are personal data; they go with the conversation).
 */
import type { Language } from '../knowledge/analysis/language.js';
import type { FlowState } from '../flows/engine/engine.js';

export interface ConversationData {
  language?: Language;
  /** The service of the last answer, for follow-up questions. */
  serviceId?: string;
  /** Consecutive questions without a confident answer. */
  failures: number;
  /** The application in progress, if any (kept until submitted, cancelled or expired). */
  flow?: FlowState;
  /** Random id of the flow run in progress, for the editors' funnels (names no one). */
  flowRunId?: string;
  /** Waiting for a phone number or e-mail address for a call back on this handoff request. */
  contactFor?: { handoffId: string; tries: number };
  /** Entries of the last application, waiting for the user's consent to keep them (once only). */
  pendingProfile?: Record<string, string>;
}

/** A fresh conversation. */
export function newConversationData(language?: Language): ConversationData {
  return { failures: 0, ...(language ? { language } : {}) };
}

/** After this many failed questions in a row the bot offers (and records) a handoff to a person. */
export const FAILURES_BEFORE_HANDOFF = 3;
