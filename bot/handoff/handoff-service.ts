/**
 * Human handoff as staff and citizens live it: a citizen's request joins the queue of the
 * responsible department; an agent takes it (the bot then stays silent), writes to the citizen on
 * the citizen's own channel, and resolves it (the bot answers again). Requests nobody takes, and
 * taken conversations nobody writes in, expire. Every change is a compare-and-set by the rules in
 * state-machine.ts, so two agents can never hold one conversation, and every change is announced
 * to the consoles and told to the citizen in their language.
 */
import type { Activity } from 'botbuilder';
import type {
  HandoffRequest,
  HandoffStatus,
  HandoffStore,
  PresenceStore,
  StaffPresence,
  StaffRole,
  TranscriptStore,
} from '../../storage/types.js';
import type { HandoffEvents, HandoffMessage } from './events.js';
import { HANDOFF_TRANSITIONS, type HandoffEvent } from './state-machine.js';
import { HANDOFF_ERROR_TEXTS as E, HANDOFF_TEXTS } from './texts.js';

/** Sends a message into a conversation on its own channel (web chat, a messenger …). */
export interface CitizenMessenger {
  /** False when the conversation's channel cannot take messages Lotse starts. */
  send(conversation: Record<string, unknown>, activity: Partial<Activity>): Promise<boolean>;
}

/** Who acts in the console. */
export interface HandoffActor {
  username: string;
  role: StaffRole;
  /** The name citizens see. */
  displayName: string;
}

export type HandoffErrorCode =
  | 'LOTSE_HANDOFF_NOT_FOUND'
  | 'LOTSE_HANDOFF_CONFLICT'
  | 'LOTSE_HANDOFF_FORBIDDEN'
  | 'LOTSE_HANDOFF_UNDELIVERABLE'
  | 'LOTSE_HANDOFF_INVALID';

/** A refused handoff action; the console shows the message, the code drives the HTTP status. */
export class HandoffError extends Error {
  constructor(
    readonly code: HandoffErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}

export interface HandoffServiceOptions {
  store: HandoffStore;
  presence: PresenceStore;
  transcripts: TranscriptStore;
  events: HandoffEvents;
  messenger: CitizenMessenger;
  /** The queue of a service: its responsible authority, or `allgemein`. */
  departmentOf(serviceId: string | undefined): string;
  now?: () => Date;
  /** An agent unseen this long counts as offline. */
  presenceTimeoutMs: number;
  /** A request nobody takes expires after this long. */
  pendingExpiryMs: number;
  /** A taken conversation with no message either way expires after this long. */
  assignedIdleMs: number;
  /** Failures to tell a citizen are logged, never thrown at the agent who closed the request. */
  log?: { warn(o: object, m: string): void };
}

/** What a citizen's request led to. */
export interface HandoffRequestOutcome {
  handoff: HandoffRequest;
  /** False when the conversation already had an open request. */
  created: boolean;
  /** Place in the department's queue while pending. */
  position?: number;
  /** Agents available for this department right now. */
  agentsOnline: number;
}

/** Longest agent message (the same bound the bot applies to citizens' messages). */
export const MAX_AGENT_MESSAGE = 2000;

export const DEFAULT_DEPARTMENT = 'allgemein';

/** Longest department name the queue keeps. */
export const MAX_DEPARTMENT = 200;

/**
 * The queue name for an authority: its name, trimmed and shortened to what the store keeps, or
 * `allgemein` when the catalogue names none — an operator's catalogue must never make "talk to
 * a person" fail.
 */
export function departmentName(authority: string | undefined): string {
  const name = (authority ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_DEPARTMENT).trim();
  return name || DEFAULT_DEPARTMENT;
}

/** Longest internal reason for a rejection. */
export const MAX_CLOSE_REASON = 200;

/** The desk between citizens, agents and the handoff queue. */
export class HandoffService {
  private readonly now: () => Date;

  constructor(private readonly options: HandoffServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Queues a request for a person (or finds the open one) and says where it stands. */
  async request(input: {
    conversationId: string;
    channel: string;
    reason: HandoffRequest['reason'];
    serviceId?: string;
    language: 'de' | 'en';
    conversation?: Record<string, unknown>;
  }): Promise<HandoffRequestOutcome> {
    const { store } = this.options;
    const existing = await store.openFor(input.conversationId);
    const handoff =
      existing ??
      (await store.request({
        conversationId: input.conversationId,
        channel: input.channel,
        reason: input.reason,
        ...(input.serviceId ? { serviceId: input.serviceId } : {}),
        department: this.options.departmentOf(input.serviceId),
        language: input.language,
        ...(input.conversation ? { conversation: input.conversation } : {}),
      }));
    const created = !existing && handoff.status === 'pending';
    if (created) await this.options.events.publish({ type: 'handoff-updated', handoff });
    const position =
      handoff.status === 'pending' ? await store.queuePosition(handoff.id) : undefined;
    const agentsOnline = (await this.agentsOnline(handoff.department)).length;
    return { handoff, created, ...(position ? { position } : {}), agentsOnline };
  }

  /** The conversation's open request, if any. */
  openFor(conversationId: string): Promise<HandoffRequest | undefined> {
    return this.options.store.openFor(conversationId);
  }

  get(id: string): Promise<HandoffRequest | undefined> {
    return this.options.store.get(id);
  }

  /** Open requests, for the console's queue: pending first by age, then the assigned ones. */
  async queue(): Promise<(HandoffRequest & { position?: number })[]> {
    const { store } = this.options;
    const pending = await store.list({ statuses: ['pending'], limit: 500 });
    const assigned = await store.list({ statuses: ['assigned'], limit: 500 });
    const seen = new Map<string, number>();
    const numbered = pending.map((h) => {
      const position = (seen.get(h.department) ?? 0) + 1;
      seen.set(h.department, position);
      return { ...h, position };
    });
    return [...numbered, ...assigned];
  }

  /** Recently closed requests, newest first, for the console's history. */
  recentlyClosed(limit = 20): Promise<HandoffRequest[]> {
    return this.options.store.list({
      statuses: ['resolved', 'rejected', 'expired'],
      limit,
      recentFirst: true,
    });
  }

  /** An agent takes a pending request; the citizen is told a person is there now. */
  async assign(id: string, actor: HandoffActor): Promise<HandoffRequest> {
    const handoff = await this.change(id, 'assign', { agent: actor.username });
    await this.tellCitizen(handoff, (t) => t.agentJoined(actor.displayName));
    return handoff;
  }

  /** The holding agent (or an admin) ends the conversation; the bot answers again. */
  async resolve(id: string, actor: HandoffActor): Promise<HandoffRequest> {
    await this.mustHold(id, actor);
    const handoff = await this.change(id, 'resolve', {});
    await this.tellCitizen(handoff, (t) => t.resolved(actor.displayName));
    return handoff;
  }

  /** Declines a request (spam, wrong channel …); the citizen gets the 115 number. */
  async reject(id: string, actor: HandoffActor, reason: string): Promise<HandoffRequest> {
    const current = await this.mustExist(id);
    if (current.status === 'assigned') await this.mustHold(id, actor);
    const closeReason = reason.trim().slice(0, MAX_CLOSE_REASON);
    // Only from the status checked above: a request taken meanwhile is not rejected by another.
    const handoff = await this.change(id, 'reject', closeReason ? { closeReason } : {}, [
      current.status,
    ]);
    await this.tellCitizen(handoff, (t) => t.rejected);
    return handoff;
  }

  /** Expires what waited or idled too long; returns how many. Run it on a timer. */
  async expireStale(): Promise<number> {
    const now = this.now().getTime();
    const stale = await this.options.store.stale({
      pendingCreatedBefore: new Date(now - this.options.pendingExpiryMs).toISOString(),
      assignedUpdatedBefore: new Date(now - this.options.assignedIdleMs).toISOString(),
    });
    let expired = 0;
    for (const request of stale) {
      const closeReason = request.status === 'pending' ? 'not taken in time' : 'idle';
      const handoff = await this.options.store.update(request.id, [request.status], {
        status: HANDOFF_TRANSITIONS.expire.to,
        closeReason,
        unchangedSince: request.updatedAt,
      });
      if (!handoff) continue; // taken, written in or closed meanwhile
      expired += 1;
      await this.options.events.publish({ type: 'handoff-updated', handoff });
      await this.tellCitizen(handoff, (t) =>
        request.status === 'pending' ? t.expiredPending : t.expiredAssigned,
      );
    }
    return expired;
  }

  /** An agent's message to the citizen, on the citizen's channel, marked as from a person. */
  async sendAgentMessage(id: string, actor: HandoffActor, text: string): Promise<void> {
    const body = text.trim();
    if (!body || body.length > MAX_AGENT_MESSAGE) {
      throw new HandoffError('LOTSE_HANDOFF_INVALID', E.LOTSE_HANDOFF_INVALID(MAX_AGENT_MESSAGE));
    }
    const handoff = await this.mustHold(id, actor);
    if (handoff.status !== 'assigned') {
      throw new HandoffError('LOTSE_HANDOFF_CONFLICT', E.LOTSE_HANDOFF_CLOSED);
    }
    const t = HANDOFF_TEXTS[handoff.language];
    const delivered = handoff.conversation
      ? await this.options.messenger.send(handoff.conversation, {
          type: 'message',
          text: `${t.agentSays(actor.displayName)} ${body}`,
          textFormat: 'markdown',
          channelData: { lotse: { from: 'agent', agent: actor.displayName } },
        })
      : false;
    if (!delivered) {
      throw new HandoffError(
        'LOTSE_HANDOFF_UNDELIVERABLE',
        E.LOTSE_HANDOFF_UNDELIVERABLE(handoff.channel),
      );
    }
    await this.options.store.touch(id);
    await this.publishMessage(handoff, {
      from: 'agent',
      agent: actor.username,
      text: body,
      timestamp: this.now().toISOString(),
    });
  }

  /** A citizen wrote while an agent holds the conversation: keep it alive, show it live. */
  async citizenWrote(handoff: HandoffRequest, text: string): Promise<void> {
    await this.options.store.touch(handoff.id);
    await this.publishMessage(handoff, {
      from: 'citizen',
      text,
      timestamp: this.now().toISOString(),
    });
  }

  /** Keeps the citizen's contact for a call back. */
  setContact(id: string, contact: string): Promise<boolean> {
    return this.options.store.setContact(id, contact);
  }

  /** The conversation as the console shows it: citizen, bot and agent messages, oldest first. */
  async transcript(handoff: HandoffRequest, limit = 200): Promise<HandoffMessage[]> {
    const messages: HandoffMessage[] = [];
    // Page through to the end: a long conversation's newest messages matter most.
    for (let watermark = 0; ;) {
      const page = await this.options.transcripts.list(handoff.conversationId, watermark, 500);
      for (const a of page.activities) {
        if (a.type !== 'message' || !(a.text || a.attachments?.length)) continue;
        const lotse = (a.channelData as { lotse?: { from?: string } } | undefined)?.lotse;
        messages.push({
          from: lotse?.from === 'agent' ? 'agent' : a.from?.role === 'bot' ? 'bot' : 'citizen',
          text: a.text ?? '',
          timestamp:
            typeof a.timestamp === 'string'
              ? a.timestamp
              : (a.timestamp?.toISOString?.() ?? handoff.createdAt),
        });
      }
      if (messages.length > limit) messages.splice(0, messages.length - limit);
      if (page.activities.length < 500 || page.watermark <= watermark) break;
      watermark = page.watermark;
    }
    return messages;
  }

  /** Records that an agent's console is open; `away` agents are not offered new chats. */
  async heartbeat(presence: Omit<StaffPresence, 'lastSeenAt'>): Promise<void> {
    await this.options.presence.heartbeat({ ...presence, lastSeenAt: this.now().toISOString() });
  }

  async leave(username: string): Promise<void> {
    await this.options.presence.remove(username);
    await this.options.events.publish({ type: 'presence-changed' });
  }

  /** Agents available for a department (or any, without one), seen within the timeout. */
  async agentsOnline(department?: string): Promise<StaffPresence[]> {
    const since = new Date(this.now().getTime() - this.options.presenceTimeoutMs).toISOString();
    const online = await this.options.presence.online(since);
    return online.filter(
      (p) =>
        p.status === 'available' &&
        (!department || p.departments.length === 0 || p.departments.includes(department)),
    );
  }

  private async mustExist(id: string): Promise<HandoffRequest> {
    const handoff = await this.options.store.get(id);
    if (!handoff) throw new HandoffError('LOTSE_HANDOFF_NOT_FOUND', E.LOTSE_HANDOFF_NOT_FOUND);
    return handoff;
  }

  /** The request, if `actor` holds it (an admin may act on any). */
  private async mustHold(id: string, actor: HandoffActor): Promise<HandoffRequest> {
    const handoff = await this.mustExist(id);
    if (handoff.agent !== actor.username && actor.role !== 'admin') {
      throw new HandoffError('LOTSE_HANDOFF_FORBIDDEN', E.LOTSE_HANDOFF_FORBIDDEN);
    }
    return handoff;
  }

  /** Applies `event` by the state machine, from `from` (a subset of the rule's) if given. */
  private async change(
    id: string,
    event: HandoffEvent,
    extra: { agent?: string; closeReason?: string },
    from: readonly HandoffStatus[] = HANDOFF_TRANSITIONS[event].from,
  ): Promise<HandoffRequest> {
    const rule = HANDOFF_TRANSITIONS[event];
    const allowed = from.filter((status) => rule.from.includes(status));
    const handoff = await this.options.store.update(id, allowed, { status: rule.to, ...extra });
    if (!handoff) {
      const current = await this.mustExist(id);
      throw new HandoffError(
        'LOTSE_HANDOFF_CONFLICT',
        current.status === 'assigned' ? E.LOTSE_HANDOFF_TAKEN : E.LOTSE_HANDOFF_CLOSED,
      );
    }
    await this.options.events.publish({ type: 'handoff-updated', handoff });
    return handoff;
  }

  private async publishMessage(handoff: HandoffRequest, message: HandoffMessage): Promise<void> {
    await this.options.events.publish({
      type: 'handoff-message',
      handoffId: handoff.id,
      conversationId: handoff.conversationId,
      message,
    });
  }

  private async tellCitizen(
    handoff: HandoffRequest,
    text: (t: (typeof HANDOFF_TEXTS)['de' | 'en']) => string,
  ): Promise<void> {
    if (!handoff.conversation) return;
    try {
      await this.options.messenger.send(handoff.conversation, {
        type: 'message',
        text: text(HANDOFF_TEXTS[handoff.language]),
        textFormat: 'markdown',
      });
    } catch (error) {
      this.options.log?.warn(
        { handoff: handoff.id, channel: handoff.channel, err: (error as Error).message },
        'could not tell the citizen about their handoff',
      );
    }
  }
}
