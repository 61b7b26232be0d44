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
  /**
   * The staff username when staff opened this conversation to enter an application for a caller,
   * so the submission and the insights can tell it from a citizen's own.
   */
  enteredBy?: string;
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

/** Where a request to talk to a person stands (see bot/handoff/state-machine.ts for the rules). */
export type HandoffStatus = 'pending' | 'assigned' | 'resolved' | 'rejected' | 'expired';

/** The open statuses: at most one request per conversation is in one of them. */
export const OPEN_HANDOFF_STATUSES: readonly HandoffStatus[] = ['pending', 'assigned'];

/** A request to talk to a person, queued by department until an agent takes it. */
export interface HandoffRequest {
  id: string;
  conversationId: string;
  channel: string;
  reason: 'user-request' | 'repeated-failure';
  serviceId?: string;
  /** The queue: the responsible authority of the service in context, or `allgemein`. */
  department: string;
  /** The citizen's language, for the texts they get when an agent joins or leaves. */
  language: 'de' | 'en';
  /**
   * How to reach the citizen (a Bot Framework conversation reference as plain JSON), so an
   * agent's messages go out on the citizen's own channel.
   */
  conversation?: Record<string, unknown>;
  status: HandoffStatus;
  /** The staff username holding the conversation (set when assigned). */
  agent?: string;
  /** Phone or e-mail the citizen left for a call back when no one was online. */
  contact?: string;
  /** Why it was closed (rejected/expired), for the console; never shown to the citizen verbatim. */
  closeReason?: string;
  createdAt: string;
  /** Last change or message; an assigned request idle for too long expires. */
  updatedAt: string;
  assignedAt?: string;
  closedAt?: string;
}

/** What a conditional status change writes besides the status. */
export interface HandoffChange {
  status: HandoffStatus;
  /** Set (assign) or keep; `null` clears it. */
  agent?: string | null;
  closeReason?: string;
  /**
   * Apply only if the request was not changed since (its `updatedAt`): an expiry must not end a
   * conversation in which someone wrote after it was found idle.
   */
  unchangedSince?: string;
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
  request(
    input: Omit<
      HandoffRequest,
      | 'id'
      | 'status'
      | 'createdAt'
      | 'updatedAt'
      | 'agent'
      | 'contact'
      | 'closeReason'
      | 'assignedAt'
      | 'closedAt'
    >,
  ): Promise<HandoffRequest>;
  /** The conversation's pending or assigned request. */
  openFor(conversationId: string): Promise<HandoffRequest | undefined>;
  get(id: string): Promise<HandoffRequest | undefined>;
  /**
   * Compare-and-set: applies `change` only while the request is in one of `from`, in one
   * statement, so two agents taking the same request cannot both win. Sets `assignedAt` when the
   * new status is `assigned` and `closedAt` when it is closed. Undefined when the request is
   * unknown or no longer in `from`.
   */
  update(
    id: string,
    from: readonly HandoffStatus[],
    change: HandoffChange,
  ): Promise<HandoffRequest | undefined>;
  /** Requests by status (oldest first), optionally of one department or agent. */
  list(filter: {
    statuses: readonly HandoffStatus[];
    department?: string;
    agent?: string;
    limit?: number;
    /** Most recently changed first (the console's "recently closed"); oldest first otherwise. */
    recentFirst?: boolean;
  }): Promise<HandoffRequest[]>;
  /** 1-based place of a pending request in its department's queue; undefined when not pending. */
  queuePosition(id: string): Promise<number | undefined>;
  /** Stores the contact the citizen left for a call back (open requests only); false otherwise. */
  setContact(id: string, contact: string): Promise<boolean>;
  /** Marks activity on an open request (a message either way), postponing its idle expiry. */
  touch(id: string): Promise<void>;
  /**
   * Open requests past their time: pending created before (unless a call-back contact was left),
   * or assigned untouched since.
   */
  stale(cutoff: {
    pendingCreatedBefore: string;
    assignedUpdatedBefore: string;
  }): Promise<HandoffRequest[]>;
}

/** Who may do what in the staff console; `admin` may do everything. */
export type StaffRole = 'agent' | 'editor' | 'admin';

/** A staff account. The hash is a PHC string of a memory-hard function (scrypt). */
export interface StaffAccount {
  username: string;
  role: StaffRole;
  /** Shown to citizens when this agent answers ("Anna, Service-Team"); the username when unset. */
  displayName?: string;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
  /** Set when the account is locked; a disabled account cannot log in and its sessions end. */
  disabledAt?: string;
}

export interface StaffAccountStore {
  get(username: string): Promise<StaffAccount | undefined>;
  /** Creates the account or replaces its role, display name and hash (and re-enables it). */
  upsert(account: Omit<StaffAccount, 'createdAt' | 'updatedAt'>): Promise<StaffAccount>;
  list(): Promise<StaffAccount[]>;
  /** Replaces the hash (rehash on login when the parameters got stronger). */
  setPasswordHash(username: string, passwordHash: string): Promise<void>;
  disable(username: string): Promise<boolean>;
}

/**
 * A logged-in staff session. The cookie carries a random id; the store keeps only its SHA-256,
 * so a leaked database does not hand out sessions.
 */
export interface StaffSession {
  idHash: string;
  username: string;
  /** The synchronizer token every state-changing request must echo (CSRF). */
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end; idle expiry is checked against `lastSeenAt`. */
  expiresAt: string;
}

export interface StaffSessionStore {
  create(session: StaffSession): Promise<void>;
  get(idHash: string): Promise<StaffSession | undefined>;
  touch(idHash: string, lastSeenAt: string): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Ends every session of a user (password change, account disabled). */
  deleteForUser(username: string): Promise<number>;
  /** Removes sessions past their absolute end or idle since before `idleBefore`. */
  deleteExpired(now: string, idleBefore: string): Promise<number>;
}

/** An agent's presence: `available` agents take chats; presence lapses without a heartbeat. */
export interface StaffPresence {
  username: string;
  status: 'available' | 'away';
  /** Departments the agent serves; empty means all. */
  departments: string[];
  lastSeenAt: string;
}

export interface PresenceStore {
  heartbeat(presence: StaffPresence): Promise<void>;
  /** The agent logged out or closed the console. */
  remove(username: string): Promise<void>;
  /** Agents seen at or after `since`. */
  online(since: string): Promise<StaffPresence[]>;
}

/** How a question went, for the editors' list of unanswered questions. */
export type QuestionOutcome = 'answered' | 'low-confidence' | 'abstained';

/**
 * A question as the insights keep it: personal data (digits, e-mail addresses, long numbers)
 * masked before it is stored, no conversation or user id, grouped by its analysed terms.
 */
export interface QuestionRecord {
  /** The question with personal data masked (see bot/insights/redact.ts). */
  text: string;
  /** Same key for questions with the same topic words ("Hundesteuer zahlen" = "zahle hundesteuer"). */
  groupKey: string;
  language: 'de' | 'en';
  outcome: QuestionOutcome;
  confidence: number;
  /** The top candidate, answered or not. */
  serviceId?: string;
  createdAt: string;
}

/** One step of a flow run, for funnels. `runId` is random per run and names no one. */
export interface FlowEventRecord {
  runId: string;
  flow: string;
  event: 'started' | 'step' | 'completed' | 'abandoned';
  /** The field answered (`step`), or why the run ended (`abandoned`: cancelled, expired, restarted). */
  detail?: string;
  /** True when staff entered the application for a caller. */
  byStaff?: boolean;
  createdAt: string;
}

export interface InsightsStore {
  recordQuestion(question: QuestionRecord): Promise<void>;
  recordFlowEvent(event: FlowEventRecord): Promise<void>;
  /** Not-answered and low-confidence questions since `since`, grouped, most frequent first. */
  unansweredGroups(options: { since: string; limit?: number }): Promise<
    {
      groupKey: string;
      /** The most recent wording of the group. */
      example: string;
      count: number;
      abstained: number;
      lowConfidence: number;
      serviceId?: string;
      lastAskedAt: string;
    }[]
  >;
  /** Thumbs up/down per service and facet since `since`, most thumbs down first. */
  feedbackSummary(options: {
    since: string;
  }): Promise<{ serviceId?: string; facet?: string; up: number; down: number }[]>;
  /**
   * Per flow since `since`: runs started, completed and abandoned, and per field how many runs
   * answered it (distinct runs), in the order first seen. Counts citizens' own runs;
   * applications staff enter for callers are left out.
   */
  flowFunnels(options: { since: string }): Promise<
    {
      flow: string;
      started: number;
      completed: number;
      abandoned: number;
      steps: { step: string; runs: number }[];
    }[]
  >;
  /** Outbox submissions per status (all time). */
  outboxCounts(): Promise<Record<'pending' | 'delivered' | 'rejected' | 'dead', number>>;
}

/** One choice offered in a bot message on a messenger: what it says and the value it stands for. */
export interface StoredChoice {
  title: string;
  /** What choosing it sends back to the bot (any JSON value; `undefined` round-trips as absent). */
  value: unknown;
}

/**
 * What the messenger channels (Telegram, WhatsApp, Matrix) keep between webhooks, in the shared
 * database so that every instance behind the load balancer sees the same: which deliveries were
 * processed, which choices a bot message offered, and when a user last wrote.
 */
export interface ChannelStore {
  /**
   * True the first time (channel, deliveryId) is seen, false for a repeat — atomic (INSERT … ON
   * CONFLICT DO NOTHING), so two instances handling the same webhook retry process it once.
   */
  firstDelivery(channel: string, deliveryId: string): Promise<boolean>;
  /**
   * Keeps the choices of one bot message; returns each with its number (1-based) and token
   * `<setId>.<number>` (setId: 8 random base64url characters; the whole token ≤ 16 characters,
   * so it fits Telegram's 64-byte callback_data). `numbered` says the choices were shown as
   * numbered text (so a typed "2" means choice 2). Keeps at most the 5 latest sets per
   * conversation (deletes older ones). An empty list keeps nothing and returns [].
   */
  rememberChoices(
    conversationId: string,
    choices: StoredChoice[],
    numbered: boolean,
  ): Promise<{ number: number; title: string; token: string }[]>;
  /** The choice a pressed button/list row token names, in this conversation only. */
  choiceByToken(conversationId: string, token: string): Promise<StoredChoice | undefined>;
  /**
   * Choice `n` of the conversation's latest set, only if that set was shown numbered. "Latest"
   * is the set remembered last (a per-conversation insertion counter), not the newest timestamp.
   */
  choiceByNumber(conversationId: string, n: number): Promise<StoredChoice | undefined>;
  /**
   * Typed numbers no longer pick from this conversation's choices (a message without choices came
   * after them, so a "2" is an answer now); buttons of earlier messages keep working.
   */
  retireNumbers(conversationId: string): Promise<void>;
  /**
   * Forgets deliveries and offered choices older than `before` (ISO-8601): duplicate webhook
   * deliveries come within minutes, and a button pressed after days is not worth keeping data
   * for. Returns the rows removed.
   */
  pruneBefore(before: string): Promise<number>;
  /**
   * Records an inbound message time (WhatsApp's 24-hour customer-service window). Never moves
   * back: a late retry of an older message keeps the later time.
   */
  touchChat(channel: string, chatId: string, at: string): Promise<void>;
  lastInbound(channel: string, chatId: string): Promise<string | undefined>;
}

/** How long Lotse keeps what it does not need any more (see storage/retention.ts). */
export interface RetentionPolicy {
  /** Transcripts, conversation state, feedback, closed handoffs, channel data: whole days. */
  days: number;
  /** The editors' insights (masked questions, flow steps): whole days, usually longer. */
  insightsDays: number;
}

/** Rows one retention run deleted, per table, so an operator can see what it did. */
export interface RetentionReport {
  conversations: number;
  activities: number;
  botState: number;
  uploads: number;
  handoffRequests: number;
  feedback: number;
  questionLog: number;
  flowEvents: number;
  channelDeliveries: number;
  channelChoices: number;
  staffSessions: number;
}

/**
 * Deletes transcripts and finished state after the configured period: idle conversations whole
 * (never one with an open handoff, so Direct Line watermarks stay gap-free), old activities of
 * long-lived messenger chats, and every old upload. The outbox and consented profiles are never
 * touched.
 */
export interface RetentionStore {
  run(now: Date, policy: RetentionPolicy): Promise<RetentionReport>;
}

/** Rows a user's "Daten löschen" removed (or detached, for submitted applications). */
export interface ErasureReport {
  profiles: number;
  conversations: number;
  activities: number;
  botState: number;
  uploads: number;
  handoffRequests: number;
  feedback: number;
  channelChoices: number;
  channelChats: number;
  /** Submitted applications kept for the authority, with the user's conversation reference removed. */
  outboxDetached: number;
}

/** "Daten löschen": everything the database keeps about one user, in one transaction. */
export interface ErasureStore {
  eraseUser(userId: string): Promise<ErasureReport>;
}
