/**
 * The narrow interfaces the rest of Lotse stores through. One SQL backend (SQLite embedded, or
 * PostgreSQL for several instances) implements them all, so state, transcripts, feedback and
 * handoff requests live in one database with one migration history.
 */
import type { Activity } from 'botbuilder';

/** A Direct Line conversation as the channel keeps it. */
export interface ConversationRecord {
  id: string;
  /** The user id the conversation was started for (tokens are bound to it when known). */
  userId?: string;
  createdAt: string;
}

/**
 * The ordered activity log of each conversation (user and bot activities). The watermark of an
 * activity is its position in its conversation, starting at 1; clients resume after a watermark.
 */
export interface TranscriptStore {
  createConversation(record: ConversationRecord): Promise<void>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /** Appends an activity and returns its watermark. */
  append(conversationId: string, activity: Partial<Activity>): Promise<number>;
  /** Activities after `watermark` (exclusive; 0 for all), oldest first, at most `limit`. */
  list(
    conversationId: string,
    watermark: number,
    limit?: number,
  ): Promise<{ activities: Partial<Activity>[]; watermark: number }>;
}

/** A citizen's thumbs up or down on one answer. */
export interface FeedbackRecord {
  conversationId: string;
  /** The id of the bot activity that carried the answer. */
  activityId: string;
  serviceId?: string;
  facet?: string;
  rating: 'up' | 'down';
  createdAt: string;
}

export interface FeedbackStore {
  record(feedback: FeedbackRecord): Promise<void>;
  list(options?: { limit?: number }): Promise<FeedbackRecord[]>;
}

/** A request to talk to a person; staff work on it in a later stage (pending → assigned → resolved). */
export interface HandoffRequest {
  id: string;
  conversationId: string;
  channel: string;
  reason: 'user-request' | 'repeated-failure';
  serviceId?: string;
  status: 'pending';
  createdAt: string;
}

/**
 * What a user allowed Lotse to keep for their next application ("once only"): entries by profile
 * key (name, address, IBAN …) as the user typed them, so they are parsed and checked again when
 * offered. Kept only with explicit consent; "Daten löschen" removes it.
 */
export interface Profile {
  userId: string;
  entries: Record<string, string>;
  consentedAt: string;
}

export interface ProfileStore {
  get(userId: string): Promise<Profile | undefined>;
  /** Merges entries into the profile (creating it); `consentedAt` records the consent. */
  save(userId: string, entries: Record<string, string>, consentedAt: string): Promise<void>;
  /** Deletes the profile; true when there was one. */
  delete(userId: string): Promise<boolean>;
}

export interface HandoffStore {
  /** Records a request; at most one open request per conversation (returns the existing one). */
  request(input: Omit<HandoffRequest, 'id' | 'status' | 'createdAt'>): Promise<HandoffRequest>;
  openFor(conversationId: string): Promise<HandoffRequest | undefined>;
}
